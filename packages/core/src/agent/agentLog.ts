/** One line of a Cilium agent's log, in logfmt as the agent writes it. */
export interface LogLine {
  readonly atEpochMs: number;
  readonly level: 'debug' | 'info' | 'warning' | 'error' | 'fatal';
  readonly msg: string;
  readonly fields: readonly (readonly [string, string])[];
  readonly subsys: string;
}

/** Bounded per-node agent log, so long simulations do not grow without end. */
export class AgentLog {
  readonly #lines: LogLine[] = [];
  readonly capacity: number;

  constructor(capacity = 20_000) {
    this.capacity = capacity;
  }

  write(line: LogLine): void {
    // Frozen, so the lines `cluster.inspect.agentLog` hands out cannot change the log.
    this.#lines.push(Object.freeze({ ...line, fields: Object.freeze(line.fields.map((f) => Object.freeze([...f] as const))) }));
    if (this.#lines.length > this.capacity) this.#lines.splice(0, this.#lines.length - this.capacity);
  }

  lines(): readonly LogLine[] {
    return this.#lines;
  }
}

/**
 * `level=debug msg="Policy is requiring authentication" key="..." subsys=auth`: logrus's text
 * format without timestamps, as the Cilium agent configures it (`kubectl logs --timestamps`
 * adds the time in front). Fields after `msg` are sorted by key, as logrus sorts them; values
 * outside logrus's safe characters are quoted.
 */
export function formatLogLine(l: LogLine): string {
  const fields = [...l.fields, ['subsys', l.subsys] as const].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return [`level=${l.level}`, `msg=${quote(l.msg)}`, ...fields.map(([k, v]) => `${k}=${quote(v)}`)].join(' ');
}

function quote(v: string): string {
  return /^[A-Za-z0-9\-._/@^+]+$/.test(v) ? v : JSON.stringify(v);
}
