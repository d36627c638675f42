import { cpuUsage } from 'node:process';

/** Events the bare loop keeps pending, as the issue defines its yardstick. */
export const BARE_LOOP_PENDING = 10_000;

/**
 * The yardstick for `packets_vs_bare`: the least work one simulated packet could cost. A steady
 * event-queue loop with 10,000 pending events: each iteration pops the earliest event from a
 * binary heap (the scheduler's queue), does one Map lookup (a policy-map probe) and pushes the
 * next event a pseudo-random delay later, so the queue stays at 10,000. Run as many times as
 * there were packets, in the same process.
 */
export function bareLoopPerSecond(iterations: number): number {
  // Measured as the packets are: one untimed run for the JIT, then the median of three.
  once(iterations);
  return [once(iterations), once(iterations), once(iterations)].sort((a, b) => a - b)[1]!;
}

/** The same loop per CPU second of this process, for comparing with `PacketRate.perCpuSecond`. */
export function bareLoopPerCpuSecond(iterations: number): number {
  once(iterations);
  const runs = [0, 1, 2].map(() => {
    const before = cpuUsage();
    once(iterations);
    const used = cpuUsage(before);
    return iterations / ((used.user + used.system) / 1e6);
  });
  return runs.sort((a, b) => a - b)[1]!;
}

function once(iterations: number): number {
  const heap: number[] = [];
  const map = new Map<number, number>();
  for (let i = 0; i < 1024; i++) map.set(i, i);
  let seed = 1;
  const delay = (): number => {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) & 0x7fffffff;
    return 1 + (seed % 1000);
  };
  for (let i = 0; i < BARE_LOOP_PENDING; i++) push(heap, delay() * 100);
  let sink = 0;
  const start = performance.now();
  for (let i = 0; i < iterations; i++) {
    const at = pop(heap);
    sink += map.get(at & 1023) ?? 0;
    push(heap, at + delay());
  }
  const seconds = (performance.now() - start) / 1000;
  if (sink === -1) console.log(sink); // keeps the loop from being optimised away
  return iterations / seconds;
}

function push(h: number[], v: number): void {
  h.push(v);
  let i = h.length - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (h[p]! <= v) break;
    h[i] = h[p]!;
    i = p;
  }
  h[i] = v;
}

function pop(h: number[]): number {
  const top = h[0]!;
  const last = h.pop()!;
  if (h.length === 0) return top;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= h.length) break;
    const c = l + 1 < h.length && h[l + 1]! < h[l]! ? l + 1 : l;
    if (h[c]! >= last) break;
    h[i] = h[c]!;
    i = c;
  }
  h[i] = last;
  return top;
}
