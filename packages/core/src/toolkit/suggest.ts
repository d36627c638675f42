import { Document } from 'yaml';
import type { Cluster } from '../cluster/cluster.ts';
import { NAMESPACE_KEY } from '../identity/endpointLabels.ts';
import { ENTITIES } from '../policy/peerSelector.ts';
import { cmp } from './matrix.ts';
import { observedConnections, type ObservedConnection, type ObservedPeer } from './observedConnections.ts';

/**
 * Least-privilege CiliumNetworkPolicies suggested from what Hubble observed. For each
 * destination workload that received traffic: one ingress rule per source (its labels, as a
 * person would write them), allowing exactly the ports and protocols seen, and the exact HTTP
 * method + path of each request when the proxy saw HTTP on that port.
 *
 * Which traffic counts (the choice matters): connections that went through (FORWARDED) and
 * those that audit mode let through (AUDIT) are wanted traffic; connections and requests that
 * policy DROPPED are not, since a drop is usually the current policy doing its job. To learn
 * traffic that today's policies block, turn on `policy-audit-mode` and replay it first.
 * Egress is left alone: the suggestions only add ingress enforcement to the workloads they select.
 */
export interface SuggestOptions {
  /** Only destinations in this namespace; default: every namespace. */
  readonly namespace?: string;
}

export interface SuggestedPolicy {
  readonly name: string;
  readonly namespace: string;
  /** `default/deathstar`: the workload the policy selects. */
  readonly workload: string;
  readonly object: Record<string, unknown>;
  readonly yaml: string;
}

export interface Suggestion {
  readonly policies: readonly SuggestedPolicy[];
  /** Every policy as one multi-document YAML text, ready for `kubectl apply -f`. */
  readonly yaml: string;
}

/** Pure with respect to the cluster (reads its flows and objects). */
export function suggestPolicies(cluster: Cluster, opts: SuggestOptions = {}): Suggestion {
  const wanted = observedConnections(cluster.flows()).filter(
    (c) =>
      c.destination.kind === 'pod' &&
      c.verdict !== 'DROPPED' &&
      !onlyDeniedRequests(c) &&
      (opts.namespace === undefined || c.destination.namespace === opts.namespace),
  );
  const byWorkload = new Map<string, ObservedConnection[]>();
  for (const c of wanted) byWorkload.set(c.destination.name, [...(byWorkload.get(c.destination.name) ?? []), c]);
  const policies = [...byWorkload.keys()].sort(cmp).map((w) => suggestFor(cluster, byWorkload.get(w)!));
  return { policies, yaml: policies.map((p) => p.yaml).join('---\n') };
}

/** A connection whose every HTTP request the proxy denied carried nothing wanted. */
function onlyDeniedRequests(c: ObservedConnection): boolean {
  return c.requests.length > 0 && c.requests.every((r) => r.verdict === 'DROPPED');
}

function suggestFor(cluster: Cluster, conns: readonly ObservedConnection[]): SuggestedPolicy {
  const dst = conns[0]!.destination;
  const namespace = dst.namespace!;
  const name = `${dst.workload?.name ?? dst.pod!}-ingress-suggested`;
  const bySource = new Map<string, { peer: Record<string, unknown>; conns: ObservedConnection[] }>();
  for (const c of conns) {
    const peer = peerRule(cluster, c.source, namespace);
    const key = JSON.stringify(peer);
    bySource.set(key, { peer, conns: [...(bySource.get(key)?.conns ?? []), c] });
  }
  const ingress = [...bySource.entries()].sort(([a], [b]) => cmp(a, b)).map(([, s]) => ({ ...s.peer, toPorts: toPorts(s.conns) }));
  const object = {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata: { name, namespace },
    spec: {
      description: `Least-privilege ingress for ${dst.name}, suggested from ${conns.length} observed connection${conns.length === 1 ? '' : 's'}`,
      endpointSelector: { matchLabels: selectorLabels(cluster, dst) },
      ingress,
    },
  };
  const doc = new Document(object);
  doc.commentBefore = ` Suggested by cilium-sim from Hubble flows: review before applying.`;
  return { name, namespace, workload: dst.name, object, yaml: doc.toString({ lineWidth: 0 }) };
}

/** `fromEndpoints` for pods (namespace-qualified across namespaces), `fromEntities` or `fromCIDR` otherwise. */
function peerRule(cluster: Cluster, src: ObservedPeer, policyNamespace: string): Record<string, unknown> {
  if (src.kind === 'pod') {
    const labels = selectorLabels(cluster, src);
    if (src.namespace !== policyNamespace) labels[`k8s:${NAMESPACE_KEY}`] = src.namespace!;
    return { fromEndpoints: [{ matchLabels: labels }] };
  }
  if (src.kind === 'reserved' && (ENTITIES as readonly string[]).includes(src.name)) return { fromEntities: [src.name] };
  return { fromCIDR: [`${src.ip}/32`] };
}

/** Labels naming the source's workload: a Deployment's own selector, else the pod's identity labels. */
function selectorLabels(cluster: Cluster, peer: ObservedPeer): Record<string, string> {
  if (peer.workload?.kind === 'Deployment') {
    const match = cluster.get('Deployment', peer.workload.name, peer.namespace)?.spec.selector.matchLabels;
    if (match !== undefined && Object.keys(match).length > 0) return sortedRecord(Object.entries(match));
  }
  const plain = peer.labels
    .filter((l) => l.startsWith('k8s:'))
    .map((l) => l.slice('k8s:'.length).split('='))
    .filter(([k]) => !isNoiseLabel(k!));
  return sortedRecord(plain.map(([k, ...v]) => [k!, v.join('=')]));
}

/** Labels Cilium adds to every identity: namespace, cluster, service account, namespace labels. */
function isNoiseLabel(key: string): boolean {
  return key === NAMESPACE_KEY || key.startsWith('io.cilium.k8s.');
}

function sortedRecord(entries: readonly (readonly [string, string])[]): Record<string, string> {
  return Object.fromEntries([...entries].sort(([a], [b]) => cmp(a, b)));
}

function toPorts(conns: readonly ObservedConnection[]): Record<string, unknown>[] {
  const byPort = new Map<string, ObservedConnection[]>();
  for (const c of conns) byPort.set(`${c.protocol}/${c.port}`, [...(byPort.get(`${c.protocol}/${c.port}`) ?? []), c]);
  const ordered = [...byPort.values()].sort((a, b) => cmp(a[0]!.protocol, b[0]!.protocol) || a[0]!.port - b[0]!.port);
  return ordered.map((cs) => {
    const ports = [{ port: String(cs[0]!.port), protocol: cs[0]!.protocol }];
    const http = httpRules(cs);
    return http.length === 0 ? { ports } : { ports, rules: { http } };
  });
}

/** Exact method + path of every request let through, as anchored regexes (Envoy matches whole values). */
function httpRules(conns: readonly ObservedConnection[]): { method: string; path: string }[] {
  const seen = new Map<string, { method: string; path: string }>();
  for (const r of conns.flatMap((c) => c.requests)) {
    if (r.verdict === 'DROPPED') continue;
    const rule = { method: escapeRegex(r.method), path: escapeRegex(r.path) };
    seen.set(`${rule.method} ${rule.path}`, rule);
  }
  return [...seen.entries()].sort(([a], [b]) => cmp(a, b)).map(([, r]) => r);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
