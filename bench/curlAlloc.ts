/**
 * Bytes allocated per short connection (the benchmark's curl), estimated by V8's sampling heap
 * profiler counting objects the garbage collector has already freed as well: the steady figure
 * under load, since what is allocated is what the collector must later sweep.
 * `node --import tsx --conditions=source bench/curlAlloc.ts [curls]`.
 */
import { Session } from 'node:inspector';
import { curlCluster, runCurls } from './packets.ts';

const curls = Number(process.argv[2] ?? 2000);
const { cluster, clients } = curlCluster();
runCurls(cluster, clients, curls); // warm: JIT, caches, pools

const session = new Session();
session.connect();
const post = (method: string, params?: object): Promise<{ profile?: { head: Node } }> =>
  new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r as { profile?: { head: Node } }))));

interface Node {
  selfSize: number;
  children: Node[];
}
const sum = (n: Node): number => n.selfSize + n.children.reduce((s, c) => s + sum(c), 0);

await post('HeapProfiler.enable');
await post('HeapProfiler.startSampling', {
  samplingInterval: 256,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
runCurls(cluster, clients, curls);
const { profile } = await post('HeapProfiler.stopSampling');
console.log(JSON.stringify({ curls, bytes_per_curl: Math.round(sum(profile!.head) / curls) }));
