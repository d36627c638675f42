import { SimError } from '../errors.ts';

/** Virtual time is integer nanoseconds, as Hubble stamps flows. */
export const NS_PER_US = 1_000;
export const NS_PER_MS = 1_000_000;
export const NS_PER_S = 1_000_000_000;
export const NS_PER_MIN = 60 * NS_PER_S;
export const NS_PER_H = 60 * NS_PER_MIN;

const UNIT_NS: Record<string, number> = {
  ns: 1,
  us: NS_PER_US,
  µs: NS_PER_US,
  μs: NS_PER_US,
  ms: NS_PER_MS,
  s: NS_PER_S,
  m: NS_PER_MIN,
  h: NS_PER_H,
};

/**
 * Parses a duration as Go's time.ParseDuration does: `300ms`, `1.5h`, `2h45m`, `-1s`.
 * Also takes `d` for days (kubectl and sleep users write `1d`). A bare `0` is zero.
 *
 * @example parseDuration('5m') === 300_000_000_000
 */
export function parseDuration(text: string, field = 'duration'): number {
  const s = text.trim();
  if (s === '0' || s === '+0' || s === '-0') return 0;
  const m = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h|d))+$/.exec(s);
  if (m === null) {
    throw new SimError({
      code: 'INVALID_DURATION',
      path: field,
      message: `invalid duration "${text}": expected a number with a unit (ns, us, ms, s, m, h), e.g. 30s, 5m, 1h30m`,
    });
  }
  const sign = m[1] === '-' ? -1 : 1;
  let total = 0;
  for (const part of s.replace(/^[+-]/, '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d)/g)) {
    const unit = part[2] === 'd' ? 24 * NS_PER_H : UNIT_NS[part[2]!]!;
    total += Math.round(Number(part[1]) * unit);
  }
  if (total > MAX_DURATION_NS) {
    throw new SimError({
      code: 'LIMIT_EXCEEDED',
      path: field,
      message: `invalid duration "${text}": out of range (at most ${formatDuration(MAX_DURATION_NS)}, as Go's time.Duration)`,
    });
  }
  return sign * total;
}

/**
 * Go's time.Duration is an int64 of nanoseconds: about 292 years. Its maximum, 2^63 - 1, is not a
 * double; the nearest one is 2^63, which is what a JavaScript number can compare against.
 */
const MAX_DURATION_NS = 2 ** 63;

/**
 * Prints a duration as Go's time.Duration.String(): `5m0s`, `30s`, `1h0m0s`, `1.5s`, `300ms`, `0s`.
 */
export function formatDuration(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let u = Math.abs(Math.round(ns));
  if (u < NS_PER_S) {
    // Go prints sub-second durations in the largest unit that keeps an integer part.
    const [unit, size] = u < NS_PER_US ? ['ns', 1] : u < NS_PER_MS ? ['µs', NS_PER_US] : ['ms', NS_PER_MS];
    return (neg ? '-' : '') + trimFraction(u, size) + unit;
  }
  const h = Math.floor(u / NS_PER_H);
  u -= h * NS_PER_H;
  const m = Math.floor(u / NS_PER_MIN);
  u -= m * NS_PER_MIN;
  const s = `${trimFraction(u, NS_PER_S)}s`;
  let out = s;
  if (h > 0 || m > 0) out = `${m}m${out}`;
  if (h > 0) out = `${h}h${out}`;
  return (neg ? '-' : '') + out;
}

function trimFraction(value: number, size: number): string {
  const whole = Math.floor(value / size);
  const frac = value - whole * size;
  if (frac === 0) return String(whole);
  const digits = String(size).length - 1;
  return `${whole}.${String(frac).padStart(digits, '0').replace(/0+$/, '')}`;
}
