import { endpointLabels } from '../identity/endpointLabels.ts';
import { labelSet, labelSetKey, type LabelSet } from '../identity/labels.ts';
import { LISTED_RESERVED_IDENTITIES, MIN_LOCAL_IDENTITY, reservedLabels } from '../identity/reserved.ts';
import { fqdnSelectorLabel } from '../policy/fqdn.ts';
import type { IdentityInfo } from '../policy/peerSelector.ts';
import { referencedCidrs } from '../policy/referencedCidrs.ts';
import { CLUSTER_KEY, NAMESPACE_KEY, NAMESPACE_LABELS_PREFIX } from '../identity/endpointLabels.ts';
import { selectorMatches, type Selector } from '../k8s/labelSelector.ts';
import type { PolicyRules } from '../policy/types.ts';
import { PROTOCOL_NUMBERS } from '../policy/u8proto.ts';
import type { LintContext, LintWorkload } from './lintContext.ts';

/**
 * The identities and ports a semantic lint rule judges the policies over: the pods the manifests
 * run, the system pods, the reserved identities, one CIDR identity per prefix and one FQDN
 * identity per name the policies name, and for every selector of every policy a representative
 * pod that selector selects. So "this rule adds nothing" can be decided by asking the policy
 * maps about every identity that could tell two policies apart, with or without workloads.
 */
export interface IdentityUniverse {
  /** Every identity, reserved ones included. */
  readonly identities: readonly IdentityInfo[];
  /** The pod identities (workloads and representatives), which policies can select. */
  readonly pods: readonly IdentityInfo[];
  /** The identities without the representatives: the pods the manifests (and every cluster) run. */
  readonly observed: readonly IdentityInfo[];
  /** Named ports by pod identity. */
  readonly namedPorts: ReadonlyMap<number, LintWorkload['ports']>;
  /** Protocol number and port pairs worth asking about: every port the policies name, and one they do not. */
  readonly ports: readonly { readonly proto: number; readonly port: number }[];
}

const FIRST_POD_IDENTITY = 10_000;

export function identityUniverse(ctx: LintContext, policies: readonly PolicyRules[]): IdentityUniverse {
  const pods = new Map<string, IdentityInfo>();
  const namedPorts = new Map<number, LintWorkload['ports']>();
  const addPod = (labels: LabelSet, ports: LintWorkload['ports']): void => {
    const key = labelSetKey(labels);
    const known = pods.get(key);
    if (known !== undefined) return void namedPorts.set(known.id, [...(namedPorts.get(known.id) ?? []), ...ports]);
    const info = { id: FIRST_POD_IDENTITY + pods.size, labels };
    pods.set(key, info);
    namedPorts.set(info.id, ports);
  };
  for (const w of [...ctx.workloads, ...ctx.systemWorkloads]) addPod(w.labels, w.ports);
  const workloadPods = [...pods.values()];
  for (const sel of selectorsOf(policies)) {
    const labels = representative(sel, ctx);
    if (labels !== undefined) addPod(labels, []);
  }
  let local = MIN_LOCAL_IDENTITY;
  const cidrs = referencedCidrs([...policies]).map((cidr) => ({
    id: local++,
    cidr,
    labels: labelSet([
      { source: 'cidr', key: cidr, value: '' },
      { source: 'reserved', key: 'world', value: '' },
    ]),
  }));
  const fqdns = policies.flatMap((p) =>
    p.rules.flatMap((r) => r.egress.flatMap((pr) => pr.peers.flatMap((peer) => (peer.kind === 'fqdn' ? [peer.fqdn] : [])))),
  );
  const fqdnIds = fqdns.map((f) => ({
    id: local++,
    labels: labelSet([fqdnSelectorLabel(f), { source: 'reserved', key: 'world', value: '' }]),
  }));
  const reserved = LISTED_RESERVED_IDENTITIES.map((id) => ({ id, labels: reservedLabels(id) }));
  const podList = [...pods.values()];
  return {
    identities: [...reserved, ...podList, ...cidrs, ...fqdnIds],
    pods: podList,
    observed: [...reserved, ...workloadPods, ...cidrs, ...fqdnIds],
    namedPorts,
    ports: portPoints(policies, namedPorts),
  };
}

/** Every endpoint selector of the policies: subjects and endpoint peers. */
function selectorsOf(policies: readonly PolicyRules[]): Selector[] {
  return policies.flatMap((p) =>
    p.rules.flatMap((r) => [
      ...(r.subject.kind === 'endpoints' ? [r.subject.selector] : []),
      ...[...r.ingress, ...r.egress].flatMap((pr) => pr.peers.flatMap((peer) => (peer.kind === 'endpoints' ? [peer.selector] : []))),
    ]),
  );
}

/**
 * The labels of a pod `sel` selects, built from its requirements (In: the first value, Exists:
 * a value), in the namespace it names (default otherwise), with the labels every pod carries.
 * Undefined when no pod can match (it names a reserved identity, or contradicts itself).
 */
export function representative(sel: Selector, ctx: LintContext): LabelSet | undefined {
  if (sel.requirements.some((r) => r.source === 'reserved')) return undefined;
  const requiredValue = (key: string): string | undefined => {
    const r = sel.requirements.find((x) => x.key === key && (x.operator === 'In' || x.operator === 'Exists'));
    return r === undefined ? undefined : (r.values[0] ?? 'x');
  };
  const namespace = requiredValue(NAMESPACE_KEY) ?? 'default';
  const podLabels: Record<string, string> = {};
  const namespaceLabels: Record<string, string> = { ...(ctx.namespaces.get(namespace) ?? { 'kubernetes.io/metadata.name': namespace }) };
  for (const r of sel.requirements) {
    if (r.operator !== 'In' && r.operator !== 'Exists') continue;
    if (r.key === NAMESPACE_KEY || r.key === CLUSTER_KEY || r.key === 'io.cilium.k8s.policy.serviceaccount') continue;
    const value = r.values[0] ?? 'x';
    if (r.key.startsWith(NAMESPACE_LABELS_PREFIX)) namespaceLabels[r.key.slice(NAMESPACE_LABELS_PREFIX.length)] = value;
    else podLabels[r.key] = value;
  }
  const { identity } = endpointLabels({
    namespace,
    podLabels,
    namespaceLabels,
    serviceAccount: requiredValue('io.cilium.k8s.policy.serviceaccount') ?? 'default',
    clusterName: requiredValue(CLUSTER_KEY) ?? 'default',
  });
  return selectorMatches(sel, identity) ? identity : undefined;
}

/** The ports the policies name (each end of a range, named ports resolved) and one no policy names, per protocol. */
function portPoints(policies: readonly PolicyRules[], namedPorts: ReadonlyMap<number, LintWorkload['ports']>): IdentityUniverse['ports'] {
  const points = new Map<string, { proto: number; port: number }>();
  const add = (protocol: keyof typeof PROTOCOL_NUMBERS, port: number): void => {
    const proto = PROTOCOL_NUMBERS[protocol];
    points.set(`${proto}/${port}`, { proto, port });
  };
  const named = [...namedPorts.values()].flat();
  for (const p of policies)
    for (const r of p.rules)
      for (const pr of [...r.ingress, ...r.egress])
        for (const spec of (pr.portRules ?? []).flatMap((x) => x.ports)) {
          if (typeof spec.port === 'string') {
            for (const np of named.filter((n) => n.name === spec.port && n.protocol === spec.protocol)) add(np.protocol, np.port);
          } else if (spec.port !== 0) {
            add(spec.protocol, spec.port);
            if (spec.endPort !== undefined) add(spec.protocol, spec.endPort);
          }
        }
  for (const protocol of ['TCP', 'UDP', 'SCTP'] as const) add(protocol, unusedPort(points, PROTOCOL_NUMBERS[protocol]));
  return [...points.values()].sort((a, b) => a.proto - b.proto || a.port - b.port);
}

/** A port no point of `proto` uses, from the top of the range down. */
function unusedPort(points: ReadonlyMap<string, unknown>, proto: number): number {
  let port = 65535;
  while (points.has(`${proto}/${port}`)) port--;
  return port;
}
