import { Cluster, type ObjectRef } from '../packages/core/src/index.ts';
import { clusterManifest, namespaceOf, policyDoc, type Scale } from './workload.ts';

export interface ScaleResult {
  readonly pods: number;
  readonly endpoints: number;
  readonly identities: number;
  readonly policies: number;
  readonly createS: number;
  readonly applyS: number;
  readonly resolveS: number;
  readonly policyUpdateMs: number;
  readonly labelUpdateMs: number;
  /** Endpoints the policy update selects (whose policy map it regenerates): one Deployment's pods. */
  readonly policyUpdateEndpoints: number;
  /** Endpoints the label update moves to another identity: the one pod. */
  readonly labelUpdateEndpoints: number;
  readonly bytesPerPod: number;
  readonly heapUsedMb: number;
  readonly cluster: Cluster;
}

const MiB = 1024 * 1024;

/**
 * Builds the synthetic cluster of `scale`, then times one policy change and one pod label change.
 * Mutual authentication is off: with it, every node's SPIRE agent would mint an SVID for every
 * identity (1,000 x 5,000 certificates), which measures RSA/ECDSA signing, not the simulator.
 */
export function runScale(scale: Scale, gc: () => void): ScaleResult {
  let t = performance.now();
  const cluster = Cluster.create({ seed: 1, nodes: scale.nodes, mutualAuth: false });
  const createS = (performance.now() - t) / 1000;
  const manifest = clusterManifest(scale);
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  t = performance.now();
  const results = cluster.apply(manifest);
  const applyS = (performance.now() - t) / 1000;
  const failed = results.filter((r) => !r.ok);
  if (failed.length > 0) throw new Error(`benchmark manifest rejected: ${failed[0]!.error.message}`);
  t = performance.now();
  const workloads = workloadIdentities(cluster);
  for (const id of workloads) cluster.inspect.policyMap(id);
  const resolveS = (performance.now() - t) / 1000;
  gc();
  const heapAfter = process.memoryUsage().heapUsed;
  const pods = cluster.list('Pod').filter((p) => p.metadata.namespace?.startsWith('tenant-')).length;
  return {
    pods,
    endpoints: cluster.inspect.endpoints().length,
    identities: workloads.length,
    policies: cluster.inspect.policies().length,
    createS,
    applyS,
    resolveS,
    policyUpdateMs: policyUpdateMs(cluster, scale),
    labelUpdateMs: labelUpdateMs(cluster, scale),
    policyUpdateEndpoints: deploymentEndpoints(cluster, scale, 0),
    labelUpdateEndpoints: 1,
    bytesPerPod: (heapAfter - heapBefore) / pods,
    heapUsedMb: heapAfter / MiB,
    cluster,
  };
}

/** The identities of the benchmark's Deployments (namespace tenant-*). */
export function workloadIdentities(cluster: Cluster): number[] {
  return cluster.inspect
    .identities()
    .filter((i) => i.labels.some((l) => l.key === 'io.kubernetes.pod.namespace' && l.value.startsWith('tenant-')))
    .map((i) => i.id);
}

/**
 * Repetitions of each update: the first few untimed (the first run of a code path compiles it),
 * then the timed ones, whose median is the figure.
 */
const WARMUP = 3;
const REPETITIONS = 15;

/** Median of fifteen: policy 0 moves from port 80 to 8080 and back. */
function policyUpdateMs(cluster: Cluster, scale: Scale): number {
  const times: number[] = [];
  for (let i = -WARMUP; i < REPETITIONS; i++) {
    const port = (i + WARMUP) % 2 === 0 ? 8080 : 80;
    const t = performance.now();
    cluster.apply(policyDoc(scale, 0, port));
    if (i >= 0) times.push(performance.now() - t);
  }
  return median(times);
}

/** Median of fifteen: one pod of app-1 gets, changes and loses an identity-relevant label, again and again. */
function labelUpdateMs(cluster: Cluster, scale: Scale): number {
  const ns = namespaceOf(scale, 1);
  const pod = cluster.list('Pod', ns).find((p) => p.metadata.labels['app'] === 'app-1')!;
  const ref: ObjectRef = { kind: 'Pod', namespace: ns, name: pod.metadata.name };
  const times: number[] = [];
  for (let i = -WARMUP; i < REPETITIONS; i++) {
    const value = (['a', 'b', null] as const)[(i + WARMUP) % 3] ?? null;
    const t = performance.now();
    cluster.label(ref, { team: value }, true);
    if (i >= 0) times.push(performance.now() - t);
  }
  return median(times);
}

/** Endpoints of Deployment `i`'s pods (the subject of policy `i`). */
function deploymentEndpoints(cluster: Cluster, scale: Scale, i: number): number {
  const ns = namespaceOf(scale, i);
  return cluster
    .list('Pod', ns)
    .filter((p) => p.metadata.labels['app'] === `app-${i}` && cluster.inspect.endpoint(ns, p.metadata.name) !== undefined).length;
}

function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}
