import { SimError } from '../errors.ts';
import type { Clock } from '../sim/clock.ts';
import { NS_PER_MS } from '../sim/duration.ts';

/**
 * An instant with nanosecond precision. Epoch nanoseconds overflow a double's exact range,
 * so the instant is split into epoch milliseconds and the nanoseconds within that millisecond.
 */
export interface FlowInstant {
  readonly ms: number;
  /** 0..999_999 */
  readonly ns: number;
}

export function instantFromEpochMs(ms: number): FlowInstant {
  const whole = Math.floor(ms);
  return { ms: whole, ns: Math.round((ms - whole) * NS_PER_MS) };
}

/** The instant of virtual time `ns` on `clock`, which is how flows get stamped. */
export function instantAt(clock: Pick<Clock, 'startMs'>, ns: number): FlowInstant {
  const within = ns % NS_PER_MS;
  return { ms: clock.startMs + (ns - within) / NS_PER_MS, ns: within };
}

/** Moves an instant by a (possibly negative) number of nanoseconds. */
export function addNs(t: FlowInstant, deltaNs: number): FlowInstant {
  const total = t.ns + deltaNs;
  const carryMs = Math.floor(total / NS_PER_MS);
  return { ms: t.ms + carryMs, ns: total - carryMs * NS_PER_MS };
}

export function compareInstants(a: FlowInstant, b: FlowInstant): number {
  return a.ms !== b.ms ? a.ms - b.ms : a.ns - b.ns;
}

/** Nanoseconds within the second, 0..999_999_999. */
export function nanosOfSecond(t: FlowInstant): number {
  return (((t.ms % 1000) + 1000) % 1000) * NS_PER_MS + t.ns;
}

/**
 * RFC 3339 as protojson prints a Timestamp: UTC, and 0, 3, 6 or 9 fraction digits,
 * the fewest that keep the value exact.
 *
 * @example formatFlowTime({ ms: Date.UTC(2024, 6, 4, 17, 58, 28, 795), ns: 0 }) === '2024-07-04T17:58:28.795Z'
 */
export function formatFlowTime(t: FlowInstant): string {
  const base = new Date(t.ms).toISOString().slice(0, 19);
  const nanos = nanosOfSecond(t);
  if (nanos === 0) return `${base}Z`;
  const nine = String(nanos).padStart(9, '0');
  const digits = nanos % 1_000_000 === 0 ? 3 : nanos % 1000 === 0 ? 6 : 9;
  return `${base}.${nine.slice(0, digits)}Z`;
}

/** The stamp of a flow emitted at virtual time `ns`: `flowTimeAt(cluster.clock, clock.nowNs)`. */
export function flowTimeAt(clock: Pick<Clock, 'startMs'>, ns: number): string {
  return formatFlowTime(instantAt(clock, ns));
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?([Zz]|[+-]\d{2}:\d{2})?$/;

/**
 * Parses RFC 3339 (with or without fraction and zone; no zone means UTC, the simulator's only
 * zone) and the shorter `2006-01-02`, `2006-01-02T15:04` forms Hubble's `--since` accepts.
 * Returns undefined when the text is not a time.
 */
export function parseFlowTime(text: string): FlowInstant | undefined {
  const m = RFC3339.exec(text.trim());
  if (m === null) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = 'Z'] = m;
  if (!fieldsInRange(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s))) return undefined;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(ms)) return undefined;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    ms -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  }
  const nanos = Number(frac.padEnd(9, '0'));
  return { ms: ms + Math.floor(nanos / NS_PER_MS), ns: nanos % NS_PER_MS };
}

/** Go's time.Parse refuses a month 13 or a February 30 where Date.UTC would roll over. */
function fieldsInRange(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
  return days !== undefined && d >= 1 && d <= days && h < 24 && mi < 60 && s < 60;
}

/** parseFlowTime for flow records, where a bad stamp is a bug of whoever built the flow. */
export function flowInstant(time: string): FlowInstant {
  const t = parseFlowTime(time);
  if (t === undefined) {
    throw new SimError({
      code: 'INVALID_FIELD',
      object: 'Flow',
      path: 'time',
      message: `invalid time "${time}": expected RFC 3339, e.g. 2024-07-04T17:58:28.795Z`,
    });
  }
  return t;
}
