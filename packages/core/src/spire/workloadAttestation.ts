import { selectorsMatch, type Selector } from './entry.ts';
import type { SpireServer } from './server.ts';

/** What the k8s workload attestor learns about a pod from the kubelet. */
export interface K8sWorkload {
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly podName: string;
  readonly nodeName: string;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * The selectors SPIRE's k8s workload attestor produces for a pod: `k8s:ns:<namespace>`,
 * `k8s:sa:<service account>`, `k8s:pod-name:<name>`, `k8s:node-name:<node>` and one
 * `k8s:pod-label:<key>:<value>` per pod label.
 *
 * @example k8sWorkloadSelectors({ namespace: 'sock-shop', serviceAccount: 'default', podName: 'carts-1', nodeName: 'kind-worker', labels: { name: 'carts' } })
 * // [k8s:ns:sock-shop, k8s:sa:default, k8s:pod-name:carts-1, k8s:node-name:kind-worker, k8s:pod-label:name:carts]
 */
export function k8sWorkloadSelectors(w: K8sWorkload): Selector[] {
  return [
    { type: 'k8s', value: `ns:${w.namespace}` },
    { type: 'k8s', value: `sa:${w.serviceAccount}` },
    { type: 'k8s', value: `pod-name:${w.podName}` },
    { type: 'k8s', value: `node-name:${w.nodeName}` },
    ...Object.entries(w.labels).map(([k, v]) => ({ type: 'k8s', value: `pod-label:${k}:${v}` })),
  ];
}

/**
 * The SPIFFE IDs a pod is issued on its node: every entry the node's agent is authorized for
 * (`authorizedEntries`) whose selectors are all among the pod's attested selectors, sorted.
 * Cilium's own entries (`cilium:mutual-auth`, `k8s:sa:cilium`) match no ordinary pod. While
 * the server is down the answer is empty (the caller keeps what it had).
 */
export function workloadSpiffeIds(server: SpireServer, agentId: string, w: K8sWorkload): string[] {
  const selectors = k8sWorkloadSelectors(w);
  const ids = server
    .authorizedEntries(agentId)
    .filter((e) => e.selectors.length > 0 && selectorsMatch(e.selectors, selectors, 'subset'))
    .map((e) => e.spiffeId);
  return [...new Set(ids)].sort();
}
