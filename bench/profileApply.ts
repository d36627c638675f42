/**
 * `node --cpu-prof --import tsx bench/profileApply.ts [tiny|small|full]`: only the benchmark's apply
 * (and the resolution of every workload's policy map), for profiling the apply path without the
 * rest of `pnpm bench`.
 */
import { Cluster } from '../packages/core/src/index.ts';
import { exposeGc } from './machine.ts';
import { workloadIdentities } from './scale.ts';
import { clusterManifest, SCALES } from './workload.ts';

const scale = SCALES[process.argv[2] ?? 'small'];
if (scale === undefined) throw new Error(`unknown scale ${process.argv[2]}`);
// As in `pnpm bench`, a cluster a tenth of the size first, so the figure is of compiled code.
if (scale.name !== 'tiny') Cluster.create({ seed: 1, nodes: 10, mutualAuth: false }).apply(clusterManifest(SCALES['tiny']!));
const cluster = Cluster.create({ seed: 1, nodes: scale.nodes, mutualAuth: false });
const manifest = clusterManifest(scale);
const gc = await exposeGc();
gc();
const heapBefore = process.memoryUsage().heapUsed;
let t = performance.now();
const cpu = process.cpuUsage();
const results = cluster.apply(manifest);
const applyS = (performance.now() - t) / 1000;
// CPU seconds beside wall seconds: on a shared machine the wall figure carries others' load.
const applyCpuS = process.cpuUsage(cpu).user / 1e6;
const failed = results.filter((r) => !r.ok);
if (failed.length > 0) throw new Error(`benchmark manifest rejected: ${failed[0]!.error.message}`);
t = performance.now();
for (const id of workloadIdentities(cluster)) cluster.inspect.policyMap(id);
const resolveS = (performance.now() - t) / 1000;
gc();
const pods = cluster.list('Pod').filter((p) => p.metadata.namespace?.startsWith('tenant-')).length;
const bytesPerPod = Math.round((process.memoryUsage().heapUsed - heapBefore) / pods);
console.log(
  JSON.stringify({
    scale: scale.name,
    objects: results.length,
    apply_s: applyS,
    apply_cpu_s: applyCpuS,
    resolve_s: resolveS,
    bytes_per_pod: bytesPerPod,
  }),
);
