import { labelSet, type Label, type LabelSet } from './labels.ts';
import { isIdentityLabelKey } from './labelFilter.ts';

/** The labels Cilium adds to a pod's own (pkg/k8s/apis/cilium.io): its namespace, service account, cluster. */
export const NAMESPACE_KEY = 'io.kubernetes.pod.namespace';
export const SERVICE_ACCOUNT_KEY = 'io.cilium.k8s.policy.serviceaccount';
export const CLUSTER_KEY = 'io.cilium.k8s.policy.cluster';
/** Cilium's own label keys (pkg/k8s/apis/cilium.io LabelPrefix): never taken from a pod's labels. */
const CILIUM_LABEL_PREFIX = 'io.cilium.k8s';
/** A namespace's label `team` is the endpoint label `io.cilium.k8s.namespace.labels.team`. */
export const NAMESPACE_LABELS_PREFIX = 'io.cilium.k8s.namespace.labels.';

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
  // The replicas of a workload ask with the same input, one after the other as their pods sync in
  // key order: the last answer serves them without writing a key.
  if (last !== undefined && sameInput(last.input, input)) return last.sets;
  // Workloads asked about again share the (frozen) sets too.
  const key = JSON.stringify([input.namespace, input.serviceAccount, input.clusterName, input.podLabels, input.namespaceLabels]);
  let sets = computed.get(key);
  if (sets === undefined) {
    if (computed.size >= COMPUTED_MAX) computed.clear();
    computed.set(key, (sets = labelsOf(input)));
  }
  // Only frozen records are remembered: a caller's own record could change before the next call.
  if (Object.isFrozen(input.podLabels) && Object.isFrozen(input.namespaceLabels)) last = { input, sets };
  return sets;
}

let last: { readonly input: EndpointLabelInput; readonly sets: { all: LabelSet; identity: LabelSet } } | undefined;

/** The same labels of the same namespace, service account and cluster (the order of the labels aside: the sets are sorted). */
function sameInput(a: EndpointLabelInput, b: EndpointLabelInput): boolean {
  return (
    a.namespace === b.namespace &&
    a.serviceAccount === b.serviceAccount &&
    a.clusterName === b.clusterName &&
    sameRecord(a.podLabels, b.podLabels) &&
    sameRecord(a.namespaceLabels, b.namespaceLabels)
  );
}

function sameRecord(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  if (a === b) return true;
  let size = 0;
  for (const k in a) {
    if (!Object.hasOwn(b, k) || a[k] !== b[k]) return false;
    size++;
  }
  for (const _ in b) size--;
  return size === 0;
}

/** Label sets by their input, bounded so odd input cannot grow it without end. */
const computed = new Map<string, { all: LabelSet; identity: LabelSet }>();
const COMPUTED_MAX = 4096;

function labelsOf(input: EndpointLabelInput): { all: LabelSet; identity: LabelSet } {
  const labels: Label[] = [];
  const k8s = (key: string, value: string): void => void labels.push({ source: 'k8s', key, value });
  // Labels under Cilium's own prefix are Cilium's to set: a pod labelled
  // io.cilium.k8s.namespace.labels.team=admins must not pass for a pod of a team=admins
  // namespace, so they are dropped as Cilium's SanitizePodLabels drops them (filterPodLabels).
  for (const [k, v] of Object.entries(input.podLabels)) if (!k.startsWith(CILIUM_LABEL_PREFIX)) k8s(k, v);
  k8s(NAMESPACE_KEY, input.namespace);
  k8s(SERVICE_ACCOUNT_KEY, input.serviceAccount);
  k8s(CLUSTER_KEY, input.clusterName);
  for (const [k, v] of Object.entries(input.namespaceLabels)) k8s(`${NAMESPACE_LABELS_PREFIX}${k}`, v);
  const all = labelSet(labels);
  return { all, identity: labelSet(all.filter((l) => isIdentityLabelKey(l.key))) };
}
