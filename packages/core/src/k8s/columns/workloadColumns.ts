import { formatLabels, selectorString } from './formatLabels.ts';
import { age } from './humanDuration.ts';
import { AGE_COLUMN, columns, type PrinterColumn } from './printerColumn.ts';
import type { DaemonSet, Deployment, Pod, ReplicaSet, StatefulSet } from './printerObjects.ts';

/**
 * Pods, deployments, replica sets, stateful sets and daemon sets, as kubectl's printers.go prints
 * them. The STATUS of a pod is the phase unless a container's waiting or terminated reason
 * overrides it (`ContainerCreating`, `CrashLoopBackOff`, `Completed`), and `Terminating` once
 * it is being deleted. Init containers are not modelled.
 */
function podStatus(pod: Pod): { ready: number; total: number; reason: string; restarts: number } {
  const statuses = pod.status?.containerStatuses ?? [];
  let reason = pod.status?.reason ?? pod.status?.phase ?? '';
  let restarts = 0;
  let ready = 0;
  let hasRunning = false;
  // kubectl walks the statuses from last to first, so the first container's reason wins.
  for (const c of [...statuses].reverse()) {
    restarts += c.restartCount ?? 0;
    const term = c.state?.terminated;
    if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
    else if (term?.reason) reason = term.reason;
    else if (term !== undefined) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode ?? 0}`;
    else if (c.ready === true && c.state?.running !== undefined) {
      hasRunning = true;
      ready++;
    }
  }
  if (reason === 'Completed' && hasRunning) {
    reason = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
  }
  if (pod.metadata.deletionTimestamp !== undefined) reason = pod.status?.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return { ready, total: pod.spec?.containers?.length ?? statuses.length, reason, restarts };
}

/** `0`, or `2 (5m ago)` when a container has restarted: the age is of the latest restart. */
function restartsCell(pod: Pod, nowMs: number): string {
  const restarts = podStatus(pod).restarts;
  const finished = (pod.status?.containerStatuses ?? [])
    .map((c) => c.lastState?.terminated?.finishedAt)
    .filter((t): t is string => t !== undefined)
    .sort()
    .pop();
  return finished === undefined ? String(restarts) : `${restarts} (${age(finished, nowMs)} ago)`;
}

function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const met = gates.filter((g) => pod.status?.conditions?.some((c) => c.type === g.conditionType && c.status === 'True')).length;
  return `${met}/${gates.length}`;
}

function podIP(pod: Pod): string {
  return pod.status?.podIPs?.[0]?.ip ?? pod.status?.podIP ?? '<none>';
}

export const POD_COLUMNS = columns<Pod>(
  { name: 'Ready', type: 'string', cell: (p) => `${podStatus(p).ready}/${podStatus(p).total}` },
  { name: 'Status', type: 'string', cell: (p) => podStatus(p).reason },
  { name: 'Restarts', type: 'string', cell: (p, ctx) => restartsCell(p, ctx.nowMs) },
  AGE_COLUMN,
  { name: 'IP', type: 'string', priority: 1, cell: podIP },
  { name: 'Node', type: 'string', priority: 1, cell: (p) => p.spec?.nodeName || '<none>' },
  { name: 'Nominated Node', type: 'string', priority: 1, cell: (p) => p.status?.nominatedNodeName || '<none>' },
  { name: 'Readiness Gates', type: 'string', priority: 1, cell: readinessGates },
);

/** The `-o wide` columns of workload controllers: container names and images joined by commas, and the selector. */
function templateColumns<T extends Deployment | ReplicaSet | StatefulSet | DaemonSet>(withSelector: boolean): readonly PrinterColumn<T>[] {
  const cols: PrinterColumn<T>[] = [
    {
      name: 'Containers',
      type: 'string',
      priority: 1,
      cell: (o) => (o.spec?.template?.spec?.containers ?? []).map((c) => c.name).join(','),
    },
    {
      name: 'Images',
      type: 'string',
      priority: 1,
      cell: (o) => (o.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? '').join(','),
    },
  ];
  if (withSelector)
    cols.push({ name: 'Selector', type: 'string', priority: 1, cell: (o) => selectorString((o as Deployment).spec?.selector) });
  return cols;
}

export const DEPLOYMENT_COLUMNS = columns<Deployment>(
  { name: 'Ready', type: 'string', cell: (d) => `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}` },
  { name: 'Up-to-date', type: 'integer', cell: (d) => String(d.status?.updatedReplicas ?? 0) },
  { name: 'Available', type: 'integer', cell: (d) => String(d.status?.availableReplicas ?? 0) },
  AGE_COLUMN,
  ...templateColumns<Deployment>(true),
);

export const REPLICASET_COLUMNS = columns<ReplicaSet>(
  { name: 'Desired', type: 'integer', cell: (r) => String(r.spec?.replicas ?? 1) },
  { name: 'Current', type: 'integer', cell: (r) => String(r.status?.replicas ?? 0) },
  { name: 'Ready', type: 'integer', cell: (r) => String(r.status?.readyReplicas ?? 0) },
  AGE_COLUMN,
  ...templateColumns<ReplicaSet>(true),
);

export const STATEFULSET_COLUMNS = columns<StatefulSet>(
  { name: 'Ready', type: 'string', cell: (s) => `${s.status?.readyReplicas ?? 0}/${s.spec?.replicas ?? 1}` },
  AGE_COLUMN,
  ...templateColumns<StatefulSet>(false),
);

export const DAEMONSET_COLUMNS = columns<DaemonSet>(
  { name: 'Desired', type: 'integer', cell: (d) => String(d.status?.desiredNumberScheduled ?? 0) },
  { name: 'Current', type: 'integer', cell: (d) => String(d.status?.currentNumberScheduled ?? 0) },
  { name: 'Ready', type: 'integer', cell: (d) => String(d.status?.numberReady ?? 0) },
  { name: 'Up-to-date', type: 'integer', cell: (d) => String(d.status?.updatedNumberScheduled ?? 0) },
  { name: 'Available', type: 'integer', cell: (d) => String(d.status?.numberAvailable ?? 0) },
  { name: 'Node Selector', type: 'string', cell: (d) => formatLabels(d.spec?.template?.spec?.nodeSelector) },
  AGE_COLUMN,
  ...templateColumns<DaemonSet>(true),
);
