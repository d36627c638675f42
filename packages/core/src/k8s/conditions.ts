import type { ApiObject } from './apiObject.ts';

/** One entry of an object's `status.conditions`, as `kubectl wait --for=condition=...` reads it. */
export interface ObjectCondition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason?: string;
}

/**
 * The conditions an object reports, as the kubelet and the controllers would set them: a Pod's
 * PodReadyToStartContainers, Initialized, Ready, ContainersReady and PodScheduled (from its phase, node and containers), a
 * Deployment's Available and Progressing (from its replicas), and for every other kind the
 * conditions written in its status (a Node's Ready, a policy's Valid).
 */
export function objectConditions(obj: ApiObject): readonly ObjectCondition[] {
  const status = (obj['status'] ?? {}) as Record<string, unknown>;
  if (obj.kind === 'Pod') return podConditions(obj, status);
  if (obj.kind === 'Deployment') return deploymentConditions(obj, status);
  const written = status['conditions'];
  return Array.isArray(written) ? (written as ObjectCondition[]) : [];
}

const truth = (b: boolean): 'True' | 'False' => (b ? 'True' : 'False');

function podConditions(pod: ApiObject, status: Record<string, unknown>): ObjectCondition[] {
  const spec = (pod['spec'] ?? {}) as { nodeName?: string };
  // A pod no node fits has only the scheduler's verdict.
  if (spec.nodeName === undefined) return [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }];
  const containers = (status['containerStatuses'] ?? []) as readonly { ready?: boolean }[];
  const ready = status['phase'] === 'Running' && containers.length > 0 && containers.every((c) => c.ready === true);
  // The order the kubelet of Kubernetes 1.29 lists them in (kubectl describe keeps it).
  return [
    { type: 'PodReadyToStartContainers', status: truth(status['podIP'] !== undefined) },
    { type: 'Initialized', status: 'True' },
    { type: 'Ready', status: truth(ready) },
    { type: 'ContainersReady', status: truth(ready) },
    { type: 'PodScheduled', status: 'True' },
  ];
}

function deploymentConditions(d: ApiObject, status: Record<string, unknown>): ObjectCondition[] {
  const wanted = ((d['spec'] ?? {}) as { replicas?: number }).replicas ?? 1;
  const available = Number(status['availableReplicas'] ?? 0);
  const updated = Number(status['updatedReplicas'] ?? 0);
  return [
    {
      type: 'Available',
      status: truth(available >= wanted),
      reason: available >= wanted ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
    },
    {
      type: 'Progressing',
      status: 'True',
      reason: updated >= wanted && available >= wanted ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
    },
  ];
}
