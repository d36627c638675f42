// Identities and a one-call "fast path" used by the policy tests. Identities are built the way
// the agent labels endpoints (k8s: pod labels, namespace, service account, cluster), so the
// tests exercise the same namespace scoping a real cluster would.
import { expect } from 'vitest';
import type { PolicyDecision } from '../../src/policy/policyDecision.ts';
import { labelSet, type Label } from '../../src/identity/labels.ts';
import { ReservedIdentity, reservedLabels } from '../../src/identity/reserved.ts';
import type { EnforcementMode } from '../../src/policy/enforcement.ts';
import { PolicyEngine } from '../../src/policy/policyEngine.ts';
import type { IdentityInfo } from '../../src/policy/peerSelector.ts';
import { parsePolicy } from '../../src/policy/parsePolicy.ts';
import { referenceVerdict } from './referenceVerdict.ts';
import type { Direction } from '../../src/policy/direction.ts';
import type { PolicyRules } from '../../src/policy/types.ts';
import type { SubjectNamedPorts } from '../../src/policy/namedPorts.ts';

export function pod(
  id: number,
  labels: Record<string, string>,
  namespace = 'default',
  nsLabels: Record<string, string> = {},
): IdentityInfo {
  const l: Label[] = Object.entries(labels).map(([key, value]) => ({ source: 'k8s', key, value }));
  l.push({ source: 'k8s', key: 'io.kubernetes.pod.namespace', value: namespace });
  l.push({ source: 'k8s', key: 'io.cilium.k8s.policy.cluster', value: 'default' });
  l.push({ source: 'k8s', key: 'io.cilium.k8s.policy.serviceaccount', value: 'default' });
  for (const [k, v] of Object.entries({ 'kubernetes.io/metadata.name': namespace, ...nsLabels }))
    l.push({ source: 'k8s', key: `io.cilium.k8s.namespace.labels.${k}`, value: v });
  return { id, labels: labelSet(l) };
}

export function reserved(name: keyof typeof ReservedIdentity): IdentityInfo {
  const id = ReservedIdentity[name];
  return { id, labels: reservedLabels(id) };
}

export function cidrIdentity(id: number, cidr: string): IdentityInfo {
  return {
    id,
    cidr,
    labels: labelSet([
      { source: 'cidr', key: cidr, value: '' },
      { source: 'reserved', key: 'world', value: '' },
    ]),
  };
}

export const deathstar = pod(1000, { class: 'deathstar', org: 'empire' });
export const tiefighter = pod(1001, { class: 'tiefighter', org: 'empire' });
export const xwing = pod(1002, { class: 'xwing', org: 'alliance' });
export const world = reserved('world');
export const host = reserved('host');
export const TCP = 6;
export const UDP = 17;
export const SCTP = 132;

export interface Setup {
  readonly policies: readonly PolicyRules[];
  readonly identities: readonly IdentityInfo[];
  readonly mode?: EnforcementMode;
  readonly namedPorts?: SubjectNamedPorts;
}

/** Parses plain policy objects. */
export function policies(...objs: unknown[]): PolicyRules[] {
  return objs.map((o) => parsePolicy(o));
}

/** The live policy of a setup: repository, selector cache (identities first) and resolution. */
export function engineOf(s: Setup, opts: { allowLocalhost?: boolean } = {}): PolicyEngine {
  const engine = new PolicyEngine({ mode: s.mode ?? 'default', namedPorts: () => s.namedPorts ?? {}, ...opts });
  for (const i of s.identities) engine.upsertIdentity(i);
  for (const p of s.policies) engine.apply(p);
  return engine;
}

/** The fast path: engine (repository + selector cache + resolution) then a policy map lookup. */
export function fastVerdict(
  s: Setup,
  subject: IdentityInfo,
  remote: IdentityInfo,
  direction: Direction,
  proto: number,
  port: number,
): PolicyDecision {
  return engineOf(s).policyMap(subject.id).lookup(remote.id, direction, proto, port);
}

/** Both paths, asserted equal; returns the decision. */
export function verdict(
  s: Setup,
  subject: IdentityInfo,
  remote: IdentityInfo,
  direction: Direction,
  proto: number,
  port: number,
): PolicyDecision {
  const fast = fastVerdict(s, subject, remote, direction, proto, port);
  const ref = referenceVerdict({
    policies: s.policies,
    subject,
    remote,
    direction,
    proto,
    port,
    mode: s.mode ?? 'default',
    ...(s.namedPorts === undefined ? {} : { namedPorts: s.namedPorts }),
  });
  expect(stripRevisions(fast)).toEqual(stripRevisions(ref));
  return fast;
}

export function stripRevisions(d: PolicyDecision): PolicyDecision {
  return {
    ...d,
    policies: d.policies.map(({ kind, namespace, name }) => (namespace === undefined ? { kind, name } : { kind, namespace, name })),
  };
}

export function cnp(name: string, spec: Record<string, unknown>, namespace?: string): Record<string, unknown> {
  return {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata: { name, ...(namespace === undefined ? {} : { namespace }) },
    spec,
  };
}

export function ccnp(name: string, spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name }, spec };
}

export function knp(name: string, spec: Record<string, unknown>, namespace = 'default'): Record<string, unknown> {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

/** The Star Wars lab's L3/L4 rule, as a plain object. */
export const rule1 = cnp('rule1', {
  endpointSelector: { matchLabels: { org: 'empire', class: 'deathstar' } },
  ingress: [{ fromEndpoints: [{ matchLabels: { org: 'empire' } }], toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }] }],
});
