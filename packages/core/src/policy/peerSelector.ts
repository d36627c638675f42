import { lookupLabel, type LabelSet } from '../identity/labels.ts';
import { cidrContains, parseCidr, type Cidr } from './cidr.ts';
import { fqdnSelectorString, type FqdnSelector } from './fqdn.ts';
import { CLUSTER_KEY, NAMESPACE_KEY } from '../identity/endpointLabels.ts';
import { selectorMatches, type Selector } from '../k8s/labelSelector.ts';

/**
 * The peer side of a rule: which remote identities it admits. Each peer has a canonical `key`;
 * the selector cache keeps one selection per distinct key, however many rules repeat it.
 */
export const ENTITIES = [
  'all',
  'world',
  'world-ipv4',
  'world-ipv6',
  'cluster',
  'cluster-mesh',
  'host',
  'remote-node',
  'kube-apiserver',
  'init',
  'ingress',
  'health',
  'unmanaged',
  'none',
] as const;
export type EntityName = (typeof ENTITIES)[number];

export type PeerSelector =
  /** No L3 field: every identity, world included (map key identity 0). */
  | { readonly kind: 'wildcard'; readonly key: string }
  | { readonly kind: 'endpoints'; readonly selector: Selector; readonly key: string }
  | { readonly kind: 'cidr'; readonly cidr: Cidr; readonly except: readonly Cidr[]; readonly key: string }
  | { readonly kind: 'entity'; readonly entity: EntityName; readonly key: string }
  | { readonly kind: 'fqdn'; readonly fqdn: FqdnSelector; readonly key: string }
  | {
      readonly kind: 'service';
      readonly namespace: string;
      readonly name?: string;
      readonly selector?: Selector;
      readonly key: string;
    };

/** The remote side as policy sees it. CIDR identities (16777217+) carry `cidr` and `reserved:world`. */
export interface IdentityInfo {
  readonly id: number;
  readonly labels: LabelSet;
  /** Local CIDR identities: the prefix they stand for, e.g. `20.1.1.1/32`. */
  readonly cidr?: string;
}

/** Facts outside the policy objects that some peers need. */
export interface PolicyContext {
  /** `k8s:io.cilium.k8s.policy.cluster` of local endpoints, for the `cluster` entity. */
  readonly clusterName: string;
  /** The pod selector of a Service, for `toServices`; absent: toServices selects nothing. */
  readonly serviceSelector?: (namespace: string, name: string) => Selector | undefined;
}

export const DEFAULT_POLICY_CONTEXT: PolicyContext = Object.freeze({ clusterName: 'default' });

export const WILDCARD_PEER: PeerSelector = Object.freeze({ kind: 'wildcard', key: '*' });

export function endpointsPeer(selector: Selector): PeerSelector {
  return Object.freeze({ kind: 'endpoints', selector, key: `ep:${selector.key}` });
}

export function cidrPeer(cidr: Cidr, except: readonly Cidr[]): PeerSelector {
  const ex = [...except].map((c) => c.text).sort();
  return Object.freeze({
    kind: 'cidr',
    cidr,
    except: Object.freeze([...except]),
    key: `cidr:${cidr.text}${ex.length === 0 ? '' : ` except ${ex.join(',')}`}`,
  });
}

export function entityPeer(entity: EntityName): PeerSelector {
  return Object.freeze({ kind: 'entity', entity, key: `entity:${entity}` });
}

export function fqdnPeer(fqdn: FqdnSelector): PeerSelector {
  return Object.freeze({ kind: 'fqdn', fqdn, key: `fqdn:${fqdnSelectorString(fqdn)}` });
}

/** True for peers keyed as identity 0 in the policy map (they admit every identity). */
export function isWildcardPeer(p: PeerSelector): boolean {
  return p.kind === 'wildcard' || (p.kind === 'entity' && p.entity === 'all');
}

/** Does `peer` admit `identity`? Pure; the selector cache calls it once per (peer, identity). */
export function peerMatches(peer: PeerSelector, identity: IdentityInfo, ctx: PolicyContext): boolean {
  switch (peer.kind) {
    case 'wildcard':
      return true;
    case 'endpoints':
      return selectorMatches(peer.selector, identity.labels);
    case 'cidr':
      return cidrSelects(peer.cidr, peer.except, identity);
    case 'entity':
      return entityMatches(peer.entity, identity.labels, ctx);
    case 'fqdn':
      return lookupLabel(identity.labels, 'fqdn', fqdnSelectorString(peer.fqdn)) !== undefined;
    case 'service':
      return serviceMatches(peer, identity.labels, ctx);
  }
}

const RESERVED_CLUSTER = ['host', 'remote-node', 'init', 'ingress', 'health', 'unmanaged', 'kube-apiserver'];

function hasReserved(labels: LabelSet, name: string): boolean {
  return lookupLabel(labels, 'reserved', name) !== undefined;
}

function entityMatches(entity: EntityName, labels: LabelSet, ctx: PolicyContext): boolean {
  switch (entity) {
    case 'all':
      return true;
    case 'none':
      return false;
    case 'world':
      return hasReserved(labels, 'world') || hasReserved(labels, 'world-ipv4') || hasReserved(labels, 'world-ipv6');
    case 'cluster':
      return RESERVED_CLUSTER.some((n) => hasReserved(labels, n)) || lookupLabel(labels, 'k8s', CLUSTER_KEY)?.value === ctx.clusterName;
    case 'cluster-mesh':
      return RESERVED_CLUSTER.some((n) => hasReserved(labels, n)) || lookupLabel(labels, 'k8s', CLUSTER_KEY) !== undefined;
    default:
      return hasReserved(labels, entity);
  }
}

/**
 * CIDR selectors match only identities outside the cluster (§2.2): CIDR identities whose
 * prefix lies inside the selector and outside every except, plus the world identities for a
 * /0 of their family, as Cilium labels world with `cidr:0.0.0.0/0`.
 */
function cidrSelects(cidr: Cidr, except: readonly Cidr[], identity: IdentityInfo): boolean {
  const own = identityCidr(identity);
  if (own === undefined) {
    if (cidr.prefixLength !== 0 || except.length > 0) return false;
    const l = identity.labels;
    return hasReserved(l, 'world') || hasReserved(l, cidr.family === 4 ? 'world-ipv4' : 'world-ipv6');
  }
  return cidrContains(cidr, own) && !except.some((e) => cidrContains(e, own));
}

const parsedCidrs = new Map<string, Cidr | undefined>();

/** The prefix of a CIDR identity, from `cidr` or a `cidr:` label; memoised (pure on text). */
export function identityCidr(identity: IdentityInfo): Cidr | undefined {
  const text = identity.cidr ?? identity.labels.find((l) => l.source === 'cidr')?.key;
  if (text === undefined) return undefined;
  if (!parsedCidrs.has(text)) parsedCidrs.set(text, parseCidr(text));
  return parsedCidrs.get(text);
}

function serviceMatches(peer: Extract<PeerSelector, { kind: 'service' }>, labels: LabelSet, ctx: PolicyContext): boolean {
  if (lookupLabel(labels, 'k8s', NAMESPACE_KEY)?.value !== peer.namespace) return false;
  if (peer.selector !== undefined) return selectorMatches(peer.selector, labels);
  const podSelector = peer.name === undefined ? undefined : ctx.serviceSelector?.(peer.namespace, peer.name);
  return podSelector !== undefined && selectorMatches(podSelector, labels);
}

/** How explanations name a peer: `fromEndpoints any:org=empire`, `toCIDRSet 10.0.0.0/8 except ...`. */
export function describePeer(p: PeerSelector): string {
  switch (p.kind) {
    case 'wildcard':
      return 'any peer';
    case 'endpoints':
      return p.selector.key === '' ? 'every endpoint' : `endpoints with ${p.selector.key}`;
    case 'cidr':
      return p.key.slice('cidr:'.length);
    case 'entity':
      return `entity ${p.entity}`;
    case 'fqdn':
      return fqdnSelectorString(p.fqdn);
    case 'service':
      return `service ${p.namespace}/${p.name ?? p.selector?.key ?? ''}`;
  }
}
