import { labelSet, type Label, type LabelSet } from './labels.ts';
import { isIdentityLabelKey } from './labelFilter.ts';

export interface EndpointLabelInput {
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly namespaceLabels: Readonly<Record<string, string>>;
  readonly serviceAccount: string;
  readonly clusterName: string;
}

/**
 * The labels the agent gives a pod's endpoint: its pod labels, namespace, service account,
 * cluster and its namespace's labels, all with source `k8s`. `all` keeps every label (what
 * `cilium endpoint list` shows); the identity uses only the identity-relevant ones.
 */
export function endpointLabels(input: EndpointLabelInput): { all: LabelSet; identity: LabelSet } {
  const labels: Label[] = [];
  const k8s = (key: string, value: string): void => void labels.push({ source: 'k8s', key, value });
  for (const [k, v] of Object.entries(input.podLabels)) k8s(k, v);
  k8s('io.kubernetes.pod.namespace', input.namespace);
  k8s('io.cilium.k8s.policy.serviceaccount', input.serviceAccount);
  k8s('io.cilium.k8s.policy.cluster', input.clusterName);
  for (const [k, v] of Object.entries(input.namespaceLabels)) k8s(`io.cilium.k8s.namespace.labels.${k}`, v);
  const all = labelSet(labels);
  return { all, identity: labelSet(all.filter((l) => isIdentityLabelKey(l.key))) };
}
