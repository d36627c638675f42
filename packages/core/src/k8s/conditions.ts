import type { ApiObject } from './apiObject.ts';
import type { DeploymentCondition, PodCondition } from './builtinObjects.ts';

/** One entry of an object's `status.conditions`, as `kubectl wait --for=condition=...` reads it. */
export interface ObjectCondition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason?: string;
}

/**
 * The conditions an object reports: those written in its status (a Pod's and a Deployment's by
 * the simulated kubelet and controllers, a Node's Ready, a policy's Valid), or for a Pod or
 * Deployment stored before they were written, the ones its phase and replicas give.
 */
export function objectConditions(obj: ApiObject): readonly ObjectCondition[] {
  const status = (obj['status'] ?? {}) as Record<string, unknown>;
  const written = status['conditions'];
  if (Array.isArray(written)) return written as ObjectCondition[];
  if (obj.kind === 'Pod') return podConditionsFor(obj, status);
  return [];
}

function podConditionsFor(pod: ApiObject, status: Record<string, unknown>): ObjectCondition[] {
  const spec = (pod['spec'] ?? {}) as { nodeName?: string };
  if (spec.nodeName === undefined) return [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }];
  const containers = (status['containerStatuses'] ?? []) as readonly { ready?: boolean }[];
  const ready = status['phase'] === 'Running' && containers.length > 0 && containers.every((c) => c.ready === true);
  return (ready ? STARTED : podConditions(false, [], '', undefined)).map(({ type, status: s }) => ({ type, status: s }));
}

/** The conditions keeping the transition time of each whose status did not change, as the kubelet's status manager does. */
function stampPod(
  next: readonly Omit<PodCondition, 'lastTransitionTime' | 'lastProbeTime'>[],
  before: readonly PodCondition[] | undefined,
  now: string,
): PodCondition[] {
  return next.map((c) => {
    const prev = before?.find((p) => p.type === c.type);
    const at = prev !== undefined && prev.status === c.status ? prev.lastTransitionTime : now;
    const why = c.reason === undefined ? {} : { reason: c.reason, ...(c.message === undefined ? {} : { message: c.message }) };
    return { type: c.type, status: c.status, lastProbeTime: null, lastTransitionTime: at, ...why };
  });
}

/** The one array every pod that started at `now` from nothing shares: a large apply stores it once. */
let sharedStarted: { readonly now: string; readonly conditions: readonly PodCondition[] } | undefined;

/**
 * A bound pod's conditions in the order the kubelet of Kubernetes 1.29 lists them (kubectl
 * describe keeps it): ready when its containers run; while they wait, Ready and ContainersReady
 * say which containers are not ready, and PodReadyToStartContainers that the sandbox (its
 * network) is not set up yet.
 */
export function podConditions(
  ready: boolean,
  containers: readonly string[],
  now: string,
  before: readonly PodCondition[] | undefined,
): PodCondition[] {
  if (ready && (before === undefined || before.length === 0)) {
    if (sharedStarted?.now !== now) sharedStarted = { now, conditions: Object.freeze(stampPod(STARTED, undefined, now)) };
    return sharedStarted.conditions as PodCondition[];
  }
  const notReady = `containers with unready status: [${containers.join(' ')}]`;
  const readiness = (type: string) =>
    ready ? { type, status: 'True' as const } : { type, status: 'False' as const, reason: 'ContainersNotReady', message: notReady };
  return stampPod(
    [
      { type: 'PodReadyToStartContainers', status: ready ? 'True' : 'False' },
      { type: 'Initialized', status: 'True' },
      readiness('Ready'),
      readiness('ContainersReady'),
      { type: 'PodScheduled', status: 'True' },
    ],
    before,
    now,
  );
}

/**
 * A pod whose containers the kubelet has stopped (deleted, held by finalizers): its sandbox is
 * gone and Ready, ContainersReady and Initialized carry the kubelet's reason `PodCompleted`.
 */
export function completedPodConditions(now: string, before: readonly PodCondition[] | undefined): PodCondition[] {
  const done = (type: string, status: 'True' | 'False') => ({ type, status, reason: 'PodCompleted' });
  return stampPod(
    [
      { type: 'PodReadyToStartContainers', status: 'False' },
      done('Initialized', 'True'),
      done('Ready', 'False'),
      done('ContainersReady', 'False'),
      { type: 'PodScheduled', status: 'True' },
    ],
    before,
    now,
  );
}

const STARTED = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
  type,
  status: 'True' as const,
}));

/**
 * The scheduler's verdict on a pod no node fits, as `kubectl describe` and `kubectl wait` read it,
 * with its message (`0/3 nodes are available: ...`, scheduler.ts).
 */
export function unschedulableConditions(now: string, message: string): PodCondition[] {
  return [{ type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: now, reason: 'Unschedulable', message }];
}

/**
 * A Deployment's conditions as the deployment controller sets them: Available while at most
 * `maxUnavailable` (25% of the replicas, rounded down, unless the strategy says otherwise) are
 * missing; Progressing with the reason of its ReplicaSet's last step. Times carry over while a
 * condition's status holds (lastUpdateTime moves when its reason does).
 */
export function deploymentConditions(
  d: { readonly spec: Readonly<Record<string, unknown>>; readonly status?: unknown },
  counts: { readonly available: number; readonly updated: number; readonly replicaSet: string },
  now: string,
): DeploymentCondition[] {
  const wanted = Number(d.spec['replicas'] ?? 1);
  const available = counts.available >= wanted - maxUnavailable(d.spec, wanted);
  const done = counts.updated >= wanted && counts.available >= wanted;
  const next: Omit<DeploymentCondition, 'lastUpdateTime' | 'lastTransitionTime'>[] = [
    available
      ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
      : {
          type: 'Available',
          status: 'False',
          reason: 'MinimumReplicasUnavailable',
          message: 'Deployment does not have minimum availability.',
        },
    done
      ? {
          type: 'Progressing',
          status: 'True',
          reason: 'NewReplicaSetAvailable',
          message: `ReplicaSet "${counts.replicaSet}" has successfully progressed.`,
        }
      : { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${counts.replicaSet}" is progressing.` },
  ];
  const before = ((d.status ?? {}) as { conditions?: readonly DeploymentCondition[] }).conditions;
  return next.map((c) => {
    const prev = before?.find((p) => p.type === c.type);
    const transition = prev !== undefined && prev.status === c.status ? prev.lastTransitionTime : now;
    const update = prev !== undefined && prev.status === c.status && prev.reason === c.reason ? prev.lastUpdateTime : now;
    return { type: c.type, status: c.status, lastUpdateTime: update, lastTransitionTime: transition, reason: c.reason, message: c.message };
  });
}

/** `spec.strategy.rollingUpdate.maxUnavailable`: a count, or a percentage of the replicas rounded down (default 25%). */
function maxUnavailable(spec: Readonly<Record<string, unknown>>, replicas: number): number {
  const strategy = (spec['strategy'] ?? {}) as { type?: string; rollingUpdate?: { maxUnavailable?: number | string } };
  if (strategy.type === 'Recreate') return 0;
  const value = strategy.rollingUpdate?.maxUnavailable ?? '25%';
  if (typeof value === 'number') return value;
  const percent = /^(\d+)%$/.exec(value);
  return percent === null ? 0 : Math.floor((replicas * Number(percent[1])) / 100);
}
