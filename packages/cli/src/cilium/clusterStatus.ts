import { type Cluster, behaviourIn, type Pod } from '@cilium-sim/core';
import type { CiliumStatus, WorkloadState } from './printers/status.ts';

/**
 * The workloads cilium-cli's `cilium status` looks for in kube-system, in its order: the agent
 * and Envoy DaemonSets, then the operator, Hubble and Cluster Mesh Deployments.
 */
const WORKLOADS = [
  { kind: 'DaemonSet', name: 'cilium' },
  { kind: 'DaemonSet', name: 'cilium-envoy' },
  { kind: 'Deployment', name: 'cilium-operator' },
  { kind: 'Deployment', name: 'hubble-relay' },
  { kind: 'Deployment', name: 'hubble-ui' },
  { kind: 'Deployment', name: 'clustermesh-apiserver' },
] as const;

/** Newer cilium-cli lists these under Containers even when they do not run, with no count. */
const LISTED_WHEN_ABSENT: ReadonlySet<string> = new Set(['clustermesh-apiserver', 'hubble-relay']);

/**
 * What `cilium status` reports, read from the cluster's objects as cilium-cli reads them: each
 * workload it knows that runs, its pods' phases and images, and the pods Cilium manages. So the
 * box agrees with `kubectl get ds,deploy,pods -A` under every version.
 */
export function clusterStatus(cluster: Cluster): CiliumStatus {
  const version = cluster.options.ciliumVersion;
  const pods = cluster.list('Pod', 'kube-system');
  const running = WORKLOADS.map((w) => ({ ...w, pods: pods.filter((p) => ownedBy(p, w.kind, w.name)) })).filter(
    (w) => cluster.get(w.kind, w.name, 'kube-system') !== undefined,
  );
  const runs = (name: string): boolean => running.some((w) => w.name === name);
  const workloads: WorkloadState[] = running.map((w) => {
    const desired = w.kind === 'DaemonSet' ? w.pods.length : (cluster.get('Deployment', w.name, 'kube-system')?.spec.replicas ?? 0);
    const ready = w.pods.filter((p) => p.status.phase === 'Running').length;
    return { kind: w.kind, name: w.name, desired, ready, available: ready, unavailable: Math.max(0, desired - ready) };
  });
  const listsAbsent = behaviourIn(version, 'status-lists-absent-containers');
  const containers = WORKLOADS.filter((w) => runs(w.name) || (listsAbsent && LISTED_WHEN_ABSENT.has(w.name))).map((w) => {
    const own = running.find((r) => r.name === w.name)?.pods ?? [];
    return { name: w.name, phases: phaseCounts(own) };
  });
  const images = running.flatMap((w) => imageCounts(w.name, w.pods));
  const managed = cluster.inspect.endpoints().length;
  const total = cluster.list('Pod').filter((p) => p.spec.hostNetwork !== true && p.status.phase === 'Running').length;
  const errors = missingDaemonSets(cluster);
  const errorCount = (name: string): number => errors.filter((e) => e.workload === name).length;
  return {
    summary: {
      cilium: errorCount('cilium') > 0 ? `${errorCount('cilium')} errors` : 'OK',
      operator: 'OK',
      envoyDaemonSet:
        errorCount('cilium-envoy') > 0
          ? `${errorCount('cilium-envoy')} errors`
          : runs('cilium-envoy')
            ? 'OK'
            : 'disabled (using embedded mode)',
      hubbleRelay: runs('hubble-relay') ? 'OK' : 'disabled',
      clusterMesh: runs('clustermesh-apiserver') ? 'OK' : 'disabled',
    },
    workloads,
    containers,
    clusterPods: { managed, total },
    helmChartVersion: version.release,
    images,
    ...(errors.length === 0 ? {} : { errors }),
  };
}

/**
 * The DaemonSets cilium-cli looks up and does not find: the agent's always, Envoy's where the
 * version runs it outside the agent. cilium-cli reports the API server's NotFound error.
 */
function missingDaemonSets(cluster: Cluster): { workload: string; pod: string; message: string }[] {
  const expected = ['cilium', ...(behaviourIn(cluster.options.ciliumVersion, 'envoy-daemonset') ? ['cilium-envoy'] : [])];
  return expected
    .filter((name) => cluster.get('DaemonSet', name, 'kube-system') === undefined)
    .map((name) => ({ workload: name, pod: name, message: `daemonsets.apps "${name}" not found` }));
}

function ownedBy(pod: Pod, kind: 'DaemonSet' | 'Deployment', name: string): boolean {
  return (pod.metadata.ownerReferences ?? []).some((o) =>
    kind === 'DaemonSet'
      ? o.kind === 'DaemonSet' && o.name === name
      : o.kind === 'ReplicaSet' && o.name === `${name}-${pod.metadata.labels['pod-template-hash'] ?? ''}`,
  );
}

function phaseCounts(pods: readonly Pod[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of pods) out[p.status.phase] = (out[p.status.phase] ?? 0) + 1;
  return out;
}

/** One row per image the workload's containers run, with how many pods run it. */
function imageCounts(name: string, pods: readonly Pod[]): { name: string; image: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const p of pods) for (const c of p.spec.containers) counts.set(c.image, (counts.get(c.image) ?? 0) + 1);
  return [...counts].map(([image, count]) => ({ name, image, count }));
}
