import { Cluster, runtimeOf } from '../cluster/cluster.ts';
import type { Flow } from '../hubble/flow.ts';
import { formatLabel } from '../identity/labels.ts';
import type { ObjectResult } from '../k8s/store.ts';
import { type FlowVerdictChange, replayConnections } from './flowReplay.ts';
import { flowWorkloads } from './flowWorkloads.ts';
import { observedConnections, type ObservedPeer } from './observedConnections.ts';

/**
 * `cilium-sim replay`: the connections of a Hubble export judged against candidate policies.
 * The workloads, labels and identities the flows show are rebuilt in a fresh cluster, the
 * candidate policies applied there as `kubectl apply` would, the outside names the flows show
 * looked up from the pods that used them (so toFQDNs learns them only if the candidate's DNS
 * rules let the proxy see the lookup), and every recorded connection (and HTTP request) judged
 * by the resulting policy maps. Reported: the ones whose verdict differs from the recorded one,
 * with the policies that decide the new verdict. The candidate is the whole policy set: the
 * policies of the recorded cluster are not in an export.
 */
export interface FlowReplayReport {
  /** What the export held. */
  readonly flows: number;
  readonly connections: number;
  /** What was rebuilt from it. */
  readonly rebuilt: { readonly namespaces: number; readonly pods: number; readonly names: number };
  /** The candidate's objects as the API server took them (refused ones included). */
  readonly results: readonly ObjectResult[];
  readonly changes: readonly FlowVerdictChange[];
}

export function replayFlows(flows: readonly Flow[], candidate: string): FlowReplayReport {
  const rebuilt = flowWorkloads(flows);
  const cluster = Cluster.create({ seed: 1, mutualAuth: false, externalHosts: rebuilt.names });
  if (rebuilt.manifest !== '') cluster.apply(rebuilt.manifest);
  const results = cluster.apply(candidate);
  const conns = observedConnections(flows);
  learnNames(cluster, conns, rebuilt.names);
  const rt = runtimeOf(cluster);
  // A system pod (CoreDNS) is not rebuilt: the cluster's own one with the same identity labels stands for it.
  const byLabels = new Map(cluster.inspect.endpoints().map((e) => [labelKey(e.identityLabels.map(formatLabel)), e.identity]));
  const identity = (peer: ObservedPeer): number | undefined => {
    if (peer.kind === 'pod')
      return (
        (peer.namespace === undefined || peer.pod === undefined
          ? undefined
          : cluster.inspect.endpoint(peer.namespace, peer.pod)?.identity) ?? byLabels.get(labelKey(peer.labels))
      );
    if (peer.kind === 'ip' || peer.name.startsWith('world')) return rt.ipcache.identityOf(peer.ip);
    return peer.identity;
  };
  return {
    flows: flows.length,
    connections: conns.length,
    rebuilt: { namespaces: rebuilt.namespaces, pods: rebuilt.pods, names: Object.keys(rebuilt.names).length },
    results,
    changes: replayConnections(conns, 'recorded', rt.policy, identity),
  };
}

/** Identity labels compared across clusters: without the cluster's name. */
function labelKey(labels: readonly string[]): string {
  return labels
    .filter((l) => !l.startsWith('k8s:io.cilium.k8s.policy.cluster='))
    .sort()
    .join(',');
}

/** Each pod looks up the outside names it reached, once, through the DNS proxy if a policy sends it there. */
function learnNames(cluster: Cluster, conns: ReturnType<typeof observedConnections>, names: Readonly<Record<string, string>>): void {
  const byIp = new Map<string, string[]>();
  for (const [name, ip] of Object.entries(names)) byIp.set(ip, [...(byIp.get(ip) ?? []), name]);
  const done = new Set<string>();
  for (const c of conns) {
    if (c.source.kind !== 'pod' || c.destination.kind === 'pod') continue;
    for (const name of byIp.get(c.destination.ip) ?? []) {
      const key = `${c.source.namespace}/${c.source.pod} ${name}`;
      if (done.has(key) || cluster.inspect.endpoint(c.source.namespace ?? '', c.source.pod ?? '') === undefined) continue;
      done.add(key);
      cluster.exec(`${c.source.namespace}/${c.source.pod}`).nslookup(name);
    }
  }
}
