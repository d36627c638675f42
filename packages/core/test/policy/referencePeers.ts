// The reference evaluator's own reading of who a rule applies to: which rules select a subject,
// which peers admit a remote identity, and when a direction is enforced. Written from the rule
// semantics (cilium-facts §2.2, §2.3), not from the engine's enforcement, peer, selector or cache
// code, so a mistake there shows up as a disagreement. Only the label, CIDR and FQDN primitives are
// shared.
import { lookupLabel, type LabelSet } from '../../src/identity/labels.ts';
import { cidrContains, parseCidr, type Cidr } from '../../src/policy/cidr.ts';
import type { Direction } from '../../src/policy/direction.ts';
import { fqdnSelectorString } from '../../src/policy/fqdn.ts';
import type { IdentityInfo, PeerSelector, PolicyContext } from '../../src/policy/peerSelector.ts';
import type { PolicyRule } from '../../src/policy/types.ts';
import { referenceSelects } from './referenceSelector.ts';

export type ReferenceMode = 'default' | 'always' | 'never';

const reserved = (labels: LabelSet, name: string): boolean => lookupLabel(labels, 'reserved', name) !== undefined;

/** An endpointSelector never selects reserved identities; a nodeSelector selects only the host. */
export function selectsSubject(rule: PolicyRule, subject: IdentityInfo): boolean {
  const s = rule.subject;
  const isHost = reserved(subject.labels, 'host');
  if (s.kind === 'nodes') return isHost && referenceSelects(s.selector, subject.labels);
  return subject.labels.every((l) => l.source !== 'reserved') && referenceSelects(s.selector, subject.labels);
}

/** Whether policy applies in `direction`, and whether what nothing allows is dropped there. */
export function enforcementOf(
  selecting: readonly PolicyRule[],
  mode: ReferenceMode,
  direction: Direction,
): { enforced: boolean; defaultDeny: boolean } {
  if (mode === 'never') return { enforced: false, defaultDeny: false };
  if (mode === 'always') return { enforced: true, defaultDeny: true };
  const ingress = direction === 'INGRESS';
  return {
    enforced: selecting.some((r) => (ingress ? r.hasIngress : r.hasEgress)),
    defaultDeny: selecting.some((r) => (ingress ? r.defaultDeny.ingress : r.defaultDeny.egress)),
  };
}

/** Peers that the policy map keys as identity 0: no L3 field, or `entity: all`. */
export function admitsAnyone(peer: PeerSelector): boolean {
  return peer.kind === 'wildcard' || (peer.kind === 'entity' && peer.entity === 'all');
}

const IN_CLUSTER = ['host', 'remote-node', 'init', 'ingress', 'health', 'unmanaged', 'kube-apiserver'];
const CLUSTER_LABEL = 'io.cilium.k8s.policy.cluster';
const NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';

/** Does `peer` admit `remote`? */
export function admits(peer: PeerSelector, remote: IdentityInfo, ctx: PolicyContext): boolean {
  const labels = remote.labels;
  switch (peer.kind) {
    case 'wildcard':
      return true;
    case 'endpoints':
      return referenceSelects(peer.selector, labels);
    case 'cidr':
      return cidrAdmits(peer.cidr, peer.except, remote);
    case 'fqdn':
      return lookupLabel(labels, 'fqdn', fqdnSelectorString(peer.fqdn)) !== undefined;
    case 'service': {
      if (lookupLabel(labels, 'k8s', NAMESPACE_LABEL)?.value !== peer.namespace) return false;
      if (peer.selector !== undefined) return referenceSelects(peer.selector, labels);
      const pods = peer.name === undefined ? undefined : ctx.serviceSelector?.(peer.namespace, peer.name);
      return pods !== undefined && referenceSelects(pods, labels);
    }
    case 'entity':
      switch (peer.entity) {
        case 'all':
          return true;
        case 'none':
          return false;
        case 'world':
          return ['world', 'world-ipv4', 'world-ipv6'].some((n) => reserved(labels, n));
        case 'cluster':
          return IN_CLUSTER.some((n) => reserved(labels, n)) || lookupLabel(labels, 'k8s', CLUSTER_LABEL)?.value === ctx.clusterName;
        case 'cluster-mesh':
          return IN_CLUSTER.some((n) => reserved(labels, n)) || lookupLabel(labels, 'k8s', CLUSTER_LABEL) !== undefined;
        default:
          return reserved(labels, peer.entity);
      }
  }
}

/** CIDR rules admit CIDR identities inside the prefix and outside every except; a /0 also admits world. */
function cidrAdmits(cidr: Cidr, except: readonly Cidr[], remote: IdentityInfo): boolean {
  const text = remote.cidr ?? remote.labels.find((l) => l.source === 'cidr')?.key;
  const own = text === undefined ? undefined : parseCidr(text);
  if (own === undefined) {
    const world = cidr.family === 4 ? 'world-ipv4' : 'world-ipv6';
    return cidr.prefixLength === 0 && except.length === 0 && (reserved(remote.labels, 'world') || reserved(remote.labels, world));
  }
  return cidrContains(cidr, own) && except.every((e) => !cidrContains(e, own));
}
