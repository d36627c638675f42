/**
 * A quicker look at `curl_packets_vs_bare` (and `packets_vs_bare`) than the whole `pnpm bench`:
 * the same curl and stream functions and the same bare loop, in the same process, also in CPU
 * seconds, which a busy shared machine disturbs less than wall time.
 * `pnpm exec tsx --conditions=source bench/curlRatio.ts [curls] [--stream]`.
 */
import { bareLoopPerCpuSecond, bareLoopPerSecond } from './bareLoop.ts';
import { curlPacketsPerSecond, streamPacketsPerSecond } from './packets.ts';

const curls = Number(process.argv[2] ?? 3000);
const curl = curlPacketsPerSecond(curls);
const stream = process.argv.includes('--stream') ? streamPacketsPerSecond(100_000) : undefined;
const iterations = stream?.packets ?? 200_000;
const bare = bareLoopPerSecond(iterations);
const bareCpu = bareLoopPerCpuSecond(iterations);
const ratio = (x: number, base: number): number => Number((x / base).toFixed(4));
console.log(
  JSON.stringify({
    curl_per_s: Math.round(curl.perSecond),
    bare_per_s: Math.round(bare),
    curl_vs_bare: ratio(curl.perSecond, bare),
    curl_vs_bare_cpu: ratio(curl.perCpuSecond, bareCpu),
    ...(stream === undefined
      ? {}
      : { stream_vs_bare: ratio(stream.perSecond, bare), stream_vs_bare_cpu: ratio(stream.perCpuSecond, bareCpu) }),
    curl_flows: curl.flows,
  }),
);
