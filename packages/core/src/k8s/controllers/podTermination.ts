import { completedPodConditions } from '../conditions.ts';
import type { Pod } from '../objects.ts';

/**
 * What the kubelet does to a pod marked for deletion that finalizers keep in the API: it stops
 * the containers once the grace period is over (the simulator deletes with a grace period of 0,
 * so at once), tears the sandbox down (the CNI's DEL removes the Cilium endpoint), and reports
 * the pod in a terminal phase, as kubelet 1.27+ does before the pod goes. A pod that never ran
 * has nothing to stop; it keeps its phase and is never started (podLifecycle.ts).
 */
export function terminatedPod(pod: Pod, now: string): Pod {
  if (pod.status.phase !== 'Running') return pod;
  const containerStatuses = (pod.status.containerStatuses ?? []).map((c) => {
    const startedAt = 'running' in c.state ? c.state.running.startedAt : (pod.status.startTime ?? now);
    return { ...c, ready: false, started: false, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt, finishedAt: now } } };
  });
  const status = {
    ...pod.status,
    phase: 'Succeeded' as const,
    conditions: completedPodConditions(now, pod.status.conditions),
    containerStatuses,
  };
  return { ...pod, status };
}
