/** One line of a Cilium agent's log: what the agent logged, before a format prints it. */
export interface LogLine {
  readonly atEpochMs: number;
  readonly level: 'debug' | 'info' | 'warning' | 'error';
  readonly msg: string;
  /** The call's fields, in the order the call gives them. */
  readonly fields: readonly (readonly [string, string])[];
  readonly subsys: string;
}

/**
 * How the agent writes its log: logrus's text format with timestamps (`text-ts`) up to Cilium
 * 1.17, Go slog's text handler from 1.18 (behaviour `agent-log-slog`).
 */
export type LogFormat = 'logrus' | 'slog';

/**
 * Bounded log of one agent container, so long simulations do not grow without end. Lines are
 * kept in time order: a line may be stamped ahead of the clock (the start-up lines of a
 * restarted agent arrive over its first seconds), and a read shows only what has been written
 * by then, as `kubectl logs` does.
 */
export class AgentLog {
  #lines: LogLine[] = [];
  readonly capacity: number;

  constructor(capacity = 20_000) {
    this.capacity = capacity;
  }

  write(line: LogLine): void {
    // Frozen, so the lines `cluster.inspect.agentLog` hands out cannot change the log.
    const frozen = Object.freeze({ ...line, fields: Object.freeze(line.fields.map((f) => Object.freeze([...f] as const))) });
    let i = this.#lines.length;
    while (i > 0 && this.#lines[i - 1]!.atEpochMs > frozen.atEpochMs) i--;
    this.#lines.splice(i, 0, frozen);
    if (this.#lines.length > this.capacity) this.#lines.splice(0, this.#lines.length - this.capacity);
  }

  /** The lines written by `nowMs` (every line when omitted), oldest first. */
  lines(nowMs = Number.POSITIVE_INFINITY): readonly LogLine[] {
    let end = this.#lines.length;
    while (end > 0 && this.#lines[end - 1]!.atEpochMs > nowMs) end--;
    return end === this.#lines.length ? this.#lines : this.#lines.slice(0, end);
  }

  /** A new container: the log of the one before is gone, as `kubectl logs` of the new pod shows. */
  clear(): void {
    this.#lines = [];
  }
}

/**
 * One line as the agent's format prints it (what `kubectl logs` shows of the container):
 * - logrus (`text-ts`): `time="2024-07-04T17:58:03Z" level=debug msg="..." key=value subsys=auth`,
 *   RFC 3339 to the second, fields and `subsys` sorted by key, values outside logrus's safe
 *   characters quoted, warnings as `warning`;
 * - slog: `time=2025-07-30T10:11:12.123Z level=debug msg="..." subsys=auth key=value`, RFC 3339
 *   with the fraction Go's RFC3339Nano keeps, `subsys` (the logger's own attribute) first, then
 *   the call's attributes in call order, values and keys quoted as slog's text handler does,
 *   warnings as `warn`.
 */
export function formatLogLine(l: LogLine, format: LogFormat = 'logrus'): string {
  if (format === 'slog') {
    const level = l.level === 'warning' ? 'warn' : l.level;
    const attrs = [['subsys', l.subsys] as const, ...l.fields].map(([k, v]) => `${slogQuote(k)}=${slogQuote(v)}`);
    return [`time=${rfc3339Nano(l.atEpochMs)}`, `level=${level}`, `msg=${slogQuote(l.msg)}`, ...attrs].join(' ');
  }
  const fields = [...l.fields, ['subsys', l.subsys] as const].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const time = `time="${new Date(l.atEpochMs).toISOString().replace(/\.\d{3}Z$/, 'Z')}"`;
  return [time, `level=${l.level}`, `msg=${logrusQuote(l.msg)}`, ...fields.map(([k, v]) => `${k}=${logrusQuote(v)}`)].join(' ');
}

function logrusQuote(v: string): string {
  return /^[A-Za-z0-9\-._/@^+]+$/.test(v) ? v : JSON.stringify(v);
}

/** slog quotes an empty string and any string with a space, `"`, `=` or an unprintable character. */
function slogQuote(v: string): string {
  return v !== '' && !/[\s"=\p{C}]/u.test(v) ? v : JSON.stringify(v);
}

/** Go's time.RFC3339Nano in UTC: the fraction without trailing zeros, none for a whole second. */
function rfc3339Nano(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.(\d{3})Z$/, (_, f: string) => (f === '000' ? 'Z' : `.${f.replace(/0+$/, '')}Z`));
}
