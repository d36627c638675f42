import type { Cluster, Endpoint, Pod } from '@cilium-sim/core';

/** What one check found: passed, or the reason it did not. */
export interface CheckOutcome {
  readonly passed: boolean;
  /** For a failure, what is still wrong, in the learner's terms. */
  readonly reason?: string;
}

export const PASS: CheckOutcome = Object.freeze({ passed: true });

export function failed(reason: string): CheckOutcome {
  return { passed: false, reason };
}

/** `a=b, c=d`: a label map as a learner writes it. */
export function labelText(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

/** The running pods of `namespace` whose labels include every one of `labels`, by name. */
export function podsWithLabels(cluster: Cluster, namespace: string, labels: Readonly<Record<string, string>>): Pod[] {
  return cluster
    .list('Pod', namespace)
    .filter((p) => p.status.phase === 'Running' && Object.entries(labels).every(([k, v]) => p.metadata.labels[k] === v))
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
}

/**
 * The pod a check runs from: `ns/pod`, or `ns/deploy/NAME` for the first running pod (by name)
 * of that Deployment, so a check does not depend on generated pod names.
 */
export function resolveWorkload(cluster: Cluster, from: string): { pod: string } | { error: string } {
  const parts = from.split('/');
  if (parts.length === 2) {
    const [namespace, name] = parts as [string, string];
    return cluster.get('Pod', name, namespace) === undefined ? { error: `pod ${from} does not exist` } : { pod: from };
  }
  if (parts.length === 3 && (parts[1] === 'deploy' || parts[1] === 'deployment')) {
    const [namespace, , name] = parts as [string, string, string];
    const deployment = cluster.get('Deployment', name, namespace);
    if (deployment === undefined) return { error: `deployment ${namespace}/${name} does not exist` };
    const pod = podsWithLabels(cluster, namespace, deployment.spec.selector.matchLabels ?? {})[0];
    return pod === undefined
      ? { error: `deployment ${namespace}/${name} has no running pod` }
      : { pod: `${namespace}/${pod.metadata.name}` };
  }
  return { error: `"${from}" names no workload (expected NAMESPACE/POD or NAMESPACE/deploy/NAME)` };
}

/** The Cilium endpoint of a pod, when the agent manages it. */
export function endpointOf(cluster: Cluster, pod: Pod): Endpoint | undefined {
  return cluster.inspect.endpoint(pod.metadata.namespace ?? 'default', pod.metadata.name);
}
