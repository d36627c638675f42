import type { Pod } from '@cilium-sim/core';

/**
 * kubectl's words for exec into a pod that runs no containers: the API server's for a pod not
 * bound to a node, kubectl's own for a completed one (deleted, its containers stopped), the
 * kubelet's while the containers are not created. Undefined for a running pod.
 */
export function execRefusal(pod: Pod, container: string | undefined): string | undefined {
  const phase = pod.status.phase;
  if (phase === 'Running') return undefined;
  if (phase === 'Succeeded') return `error: cannot exec into a container in a completed pod; current phase is ${phase}`;
  if (pod.spec.nodeName === undefined) return `Error from server (BadRequest): pod ${pod.metadata.name} does not have a host assigned`;
  return `error: unable to upgrade connection: container not found (${JSON.stringify(container ?? pod.spec.containers[0]?.name ?? '')})`;
}
