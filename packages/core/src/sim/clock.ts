import { assert } from '../errors.ts';

/** 2024-07-04T17:58:00Z: the lab transcripts' day. Any fixed instant would do. */
export const DEFAULT_START_MS = Date.UTC(2024, 6, 4, 17, 58, 0);

/**
 * The one place that knows "now". Time is virtual nanoseconds since the simulation's start
 * and only moves forward, by the scheduler.
 */
export class Clock {
  readonly startMs: number;
  // A double from the start (-0 is not a small integer; the constructor then stores 0): the field
  // never changes its representation when the time passes 2^30 ns, which would throw away all
  // optimized code that reads it in the middle of a run.
  #nowNs = -0;

  constructor(startMs: number = DEFAULT_START_MS) {
    this.startMs = startMs;
    this.#nowNs = 0;
  }

  get nowNs(): number {
    return this.#nowNs;
  }

  /** Moves to `ns`; the scheduler calls this when it pops an event. */
  moveTo(ns: number): void {
    // Checked before the message is built: this runs once per simulated event.
    if (ns < this.#nowNs) assert(false, `clock moves backwards from ${this.#nowNs} to ${ns}`);
    this.#nowNs = ns;
  }

  /** Milliseconds since the Unix epoch at virtual time `ns` (default: now). */
  epochMs(ns: number = this.#nowNs): number {
    return this.startMs + Math.floor(ns / 1_000_000);
  }

  /** A Date for printing; never used to decide anything. */
  date(ns: number = this.#nowNs): Date {
    return new Date(this.epochMs(ns));
  }
}
