import { labelSet, type LabelSet } from './labels.ts';

/** Cilium's reserved identity numbers (pkg/identity/numericidentity.go). */
export const ReservedIdentity = {
  unknown: 0,
  host: 1,
  world: 2,
  unmanaged: 3,
  health: 4,
  init: 5,
  'remote-node': 6,
  'kube-apiserver': 7,
  ingress: 8,
  'world-ipv4': 9,
  'world-ipv6': 10,
} as const;

export type ReservedIdentityName = keyof typeof ReservedIdentity;

/** The first number a label set can be allocated; 256..65535 for cluster 0. */
export const MIN_ALLOCATED_IDENTITY = 256;
export const MAX_ALLOCATED_IDENTITY = 65535;
/** CIDR and FQDN identities are node-local, from 1<<24 | 1. */
export const MIN_LOCAL_IDENTITY = (1 << 24) + 1;
export const MAX_LOCAL_IDENTITY = (1 << 24) + 0xffffff;

const NAMES = new Map<number, ReservedIdentityName>(
  Object.entries(ReservedIdentity).map(([name, id]) => [id, name as ReservedIdentityName]),
);

/** True for the reserved numbers 0..10 (not for allocated or local identities). */
export function isReservedIdentity(id: number): boolean {
  return id >= 0 && id < MIN_ALLOCATED_IDENTITY && NAMES.has(id);
}

/** `host`, `world`, … for reserved numbers; the decimal number otherwise (NumericIdentity.String). */
export function identityName(id: number): string {
  return NAMES.get(id) ?? String(id);
}

/** The labels of a reserved identity as `cilium identity list` prints them. */
export function reservedLabels(id: number): LabelSet {
  const name = NAMES.get(id);
  if (name === undefined) return labelSet([]);
  if (name === 'kube-apiserver') {
    return labelSet([
      { source: 'reserved', key: 'kube-apiserver', value: '' },
      { source: 'reserved', key: 'remote-node', value: '' },
    ]);
  }
  return labelSet([{ source: 'reserved', key: name, value: '' }]);
}

/** The reserved identities `cilium identity list` shows on a single-stack cluster. */
export const LISTED_RESERVED_IDENTITIES: readonly number[] = [1, 2, 3, 4, 5, 6, 7, 8];
