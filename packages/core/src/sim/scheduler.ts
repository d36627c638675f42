import { assert, SimError } from '../errors.ts';
import type { Clock } from './clock.ts';
import { EventHeap } from './eventHeap.ts';
import { EventLane } from './eventLane.ts';

export interface ScheduledEvent {
  readonly dueAtNs: number;
  readonly seq: number;
  /** What the event is, for limits and debugging: `tcp-retransmit`, `svid-rotate`. */
  readonly label: string;
  readonly run: () => void;
  /** A background event (a periodic timer) does not keep `runUntilIdle` going. */
  readonly background: boolean;
  cancelled: boolean;
}

/**
 * Every event is one class, so the queue's comparisons see one shape. `run` is a callback made
 * once per event, or a function shared by many events called with the event's `target`
 * (`afterCall`); a reusable event (`reusable`) keeps its callback across many runs.
 */
class Timer implements ScheduledEvent {
  // Declared only, so the constructor's assignments create the fields with their values' types
  // (a due time stays an unboxed number when it changes).
  declare dueAtNs: number;
  declare seq: number;
  declare readonly label: string;
  declare readonly run: () => void;
  declare readonly background: boolean;
  declare cancelled: boolean;

  declare readonly reusable: boolean;
  /** What `run` is called with (see `afterCall`). */
  declare target: unknown;

  constructor(
    dueAtNs: number,
    seq: number,
    label: string,
    run: () => void,
    background: boolean,
    cancelled: boolean,
    reusable: boolean,
    target: unknown,
  ) {
    // -0 first, as the clock does: the due time is a double from the first timer on, never a
    // small integer that later times past 2^30 ns would have to widen.
    this.dueAtNs = -0;
    this.dueAtNs = dueAtNs;
    this.seq = seq;
    this.label = label;
    this.run = run;
    this.background = background;
    this.cancelled = cancelled;
    this.reusable = reusable;
    this.target = target;
  }
}

/** Events that fire when no command drives the clock, e.g. periodic GC, stop `runUntilIdle`. */
export interface ScheduleOptions {
  /** A background event (a periodic timer) does not keep `runUntilIdle` going. */
  readonly background?: boolean;
}

/** Reusable events get a lane per delay, up to this many delays; others go to the heap. */
const MAX_LANES = 8;
/** `afterCall` timers get lanes of their own, as many; `#earliest` numbers them from here. */
const TIMER_LANES = MAX_LANES;

/** `#earliest`'s answer when nothing is queued. */
const NONE = -2;
/** `#earliest`'s answer when the heap's top comes first. */
const HEAP = -1;

/**
 * The event queue, ordered by (dueAtNs, seq), so events due at the same time run in the order
 * they were scheduled: a binary heap, and for reusable events (packets in flight) and a
 * connection's timers (`afterCall`) a first-in, first-out lane per delay, already in that order.
 * A connection's timers are almost always cancelled, and a cancelled event still waits for its
 * time (and counts as run then, toward the event limit): in a lane, it costs neither a sift
 * into a heap of thousands nor one out.
 */
export class Scheduler {
  readonly clock: Clock;
  readonly #heap = new EventHeap<Timer>();
  readonly #lanes: EventLane<Timer>[] = [];
  /** Events in the lanes. */
  #laned = 0;
  readonly #timerLanes: EventLane<Timer>[] = [];
  /** Events in the timer lanes. */
  #timed = 0;
  /** The timer lane whose head comes first, or -1 when it must be found again (see #firstTimerLane). */
  #timerFirst = -1;
  /** The due time of the event `#earliest` last found. */
  #nextDue = 0;
  #seq = 0;
  #foreground = 0;
  /** The most events one `run*` call may execute before it throws. */
  readonly eventLimit: number;

  constructor(clock: Clock, eventLimit = 10_000_000) {
    this.clock = clock;
    this.eventLimit = eventLimit;
  }

  get size(): number {
    return this.#heap.size + this.#laned + this.#timed;
  }

  /** Schedules `run` after `delayNs` (>= 0) of virtual time. */
  after(delayNs: number, label: string, run: () => void, options?: ScheduleOptions): ScheduledEvent {
    // Checked before the message is built: every packet in flight is one event.
    if (!(delayNs >= 0 && Number.isFinite(delayNs))) assert(false, `negative or infinite delay for ${label}`);
    return this.at(this.clock.nowNs + Math.round(delayNs), label, run, options);
  }

  at(dueAtNs: number, label: string, run: () => void, options?: ScheduleOptions): ScheduledEvent {
    if (dueAtNs < this.clock.nowNs) assert(false, `event ${label} scheduled in the past`);
    return this.#push(dueAtNs, label, run, options, undefined);
  }

  /**
   * Schedules `run(target)` after `delayNs`, as `after` would `() => run(target)`: `run` is a
   * function made once (a module's or a class's static), so the event needs no closure. Timers a
   * connection sets and almost always cancels (a connect timeout, a SYN retransmission) use it.
   */
  afterCall<T>(delayNs: number, label: string, run: (target: T) => void, target: T, options?: ScheduleOptions): ScheduledEvent {
    if (!(delayNs >= 0 && Number.isFinite(delayNs))) assert(false, `negative or infinite delay for ${label}`);
    const delay = Math.round(delayNs);
    const lane = laneFor(this.#timerLanes, delay);
    if (lane === undefined) return this.#push(this.clock.nowNs + delay, label, run as (t: unknown) => void, options, target);
    const background = options?.background === true;
    const ev = new Timer(this.clock.nowNs + delay, this.#seq++, label, run as () => void, background, false, false, target);
    if (!background) this.#foreground++;
    lane.push(ev, ev.dueAtNs, ev.seq);
    this.#timed++;
    // A lane that was empty may now hold the first timer.
    if (lane.size === 1) this.#timerFirst = -1;
    return ev;
  }

  /** The timer lane whose head comes first; there is at least one timer. */
  #firstTimerLane(): number {
    const lanes = this.#timerLanes;
    let first = -1;
    let due = 0;
    let seq = 0;
    for (let i = 0; i < lanes.length; i++) {
      const lane = lanes[i]!;
      if (lane.size === 0) continue;
      const headDue = lane.headDue;
      const headSeq = lane.headSeq;
      if (first < 0 || headDue < due || (headDue === due && headSeq < seq)) {
        first = i;
        due = headDue;
        seq = headSeq;
      }
    }
    return first;
  }

  #push(dueAtNs: number, label: string, run: (t: unknown) => void, options: ScheduleOptions | undefined, target: unknown): Timer {
    const background = options?.background === true;
    const ev = new Timer(dueAtNs, this.#seq++, label, run as () => void, background, false, false, target);
    if (!background) this.#foreground++;
    this.#heap.push(ev, ev.dueAtNs, ev.seq);
    return ev;
  }

  /**
   * A foreground event that is not scheduled yet and may be scheduled again each time it has run
   * (`enqueue`): a packet in flight is one, so the per-packet path allocates neither an event
   * nor a closure.
   */
  reusable(label: string, run: () => void): ScheduledEvent {
    return new Timer(this.clock.nowNs, 0, label, run, false, true, true, undefined);
  }

  /** Schedules a `reusable` event after `delayNs` (a whole number >= 0), in the order `after` would. */
  enqueue(event: ScheduledEvent, delayNs: number): void {
    const ev = event as Timer;
    if (!ev.cancelled || ev.background) assert(false, `event ${ev.label} enqueued twice`);
    ev.dueAtNs = this.clock.nowNs + delayNs;
    ev.seq = this.#seq++;
    ev.cancelled = false;
    this.#foreground++;
    const lane = laneFor(this.#lanes, delayNs);
    if (lane === undefined) {
      this.#heap.push(ev, ev.dueAtNs, ev.seq);
      return;
    }
    lane.push(ev, ev.dueAtNs, ev.seq);
    this.#laned++;
  }

  /** Where the earliest event waits (HEAP, a lane's index, or NONE), its due time in `#nextDue`. */
  #earliest(): number {
    let at = NONE;
    let due = 0;
    let seq = 0;
    if (this.#heap.size > 0) {
      at = HEAP;
      due = this.#heap.topDue;
      seq = this.#heap.topSeq;
    }
    if (this.#laned > 0) {
      const lanes = this.#lanes;
      for (let i = 0; i < lanes.length; i++) {
        const lane = lanes[i]!;
        if (lane.size === 0) continue;
        const headDue = lane.headDue;
        const headSeq = lane.headSeq;
        if (at === NONE || headDue < due || (headDue === due && headSeq < seq)) {
          at = i;
          due = headDue;
          seq = headSeq;
        }
      }
    }
    if (this.#timed > 0) {
      if (this.#timerFirst < 0) this.#timerFirst = this.#firstTimerLane();
      const lane = this.#timerLanes[this.#timerFirst]!;
      const headDue = lane.headDue;
      if (at === NONE || headDue < due || (headDue === due && lane.headSeq < seq)) {
        at = TIMER_LANES + this.#timerFirst;
        due = headDue;
      }
    }
    this.#nextDue = due;
    return at;
  }

  cancel(ev: ScheduledEvent): void {
    if (ev.cancelled) return;
    ev.cancelled = true;
    // A cancelled timer waits in the queue until its time; it should not keep its closure's world
    // alive meanwhile (a reusable event keeps its callback for its next run).
    if (!(ev as Timer).reusable) {
      (ev as { run: () => void }).run = NOTHING;
      (ev as Timer).target = undefined;
    }
    if (!ev.background) this.#foreground--;
  }

  /** Runs every event due at or before `untilNs`, then moves the clock to `untilNs`. */
  runUntil(untilNs: number): number {
    let n = 0;
    for (;;) {
      const at = this.#earliest();
      if (at === NONE || this.#nextDue > untilNs) break;
      this.#step(at);
      if (++n > this.eventLimit) this.#limit();
    }
    if (untilNs > this.clock.nowNs) this.clock.moveTo(untilNs);
    return n;
  }

  /** Runs events, jumping to each next due time, until no foreground event is left. */
  runUntilIdle(): number {
    let n = 0;
    while (this.#foreground > 0) {
      const at = this.#earliest();
      if (at === NONE) break;
      this.#step(at);
      if (++n > this.eventLimit) this.#limit();
    }
    return n;
  }

  /**
   * Lets in-flight work settle: runs the events due within `horizonNs` from now (a closing
   * TCP handshake, a last ACK), leaving the clock at the last one run rather than at the horizon.
   */
  settle(horizonNs: number): number {
    const until = this.clock.nowNs + horizonNs;
    let n = 0;
    for (;;) {
      const at = this.#earliest();
      if (at === NONE || this.#nextDue > until) break;
      this.#step(at);
      if (++n > this.eventLimit) this.#limit();
    }
    return n;
  }

  /** Runs events until `done()` holds or no foreground event is left; returns whether it held. */
  runWhile(notDone: () => boolean, untilNs = Number.POSITIVE_INFINITY): boolean {
    let n = 0;
    while (notDone()) {
      const at = this.#earliest();
      if (at === NONE || this.#nextDue > untilNs || this.#foreground === 0) return false;
      this.#step(at);
      if (++n > this.eventLimit) this.#limit();
    }
    return true;
  }

  /** `runWhile(() => !job.ended)` without the closure: a command's run (see cluster/podExec.ts). */
  runUntilEnded(job: { readonly ended: boolean }): boolean {
    let n = 0;
    while (!job.ended) {
      const at = this.#earliest();
      if (at === NONE || this.#foreground === 0) return false;
      this.#step(at);
      if (++n > this.eventLimit) this.#limit();
    }
    return true;
  }

  #limit(): never {
    throw new SimError({
      code: 'LIMIT_EXCEEDED',
      path: 'eventLimit',
      message: `the simulation ran more than ${this.eventLimit} events in one step`,
    });
  }

  /** Runs the earliest event, which waits where `#earliest` said. */
  #step(at: number): void {
    let ev: Timer;
    if (at === HEAP) ev = this.#heap.pop();
    else if (at < TIMER_LANES) {
      ev = this.#lanes[at]!.shift();
      this.#laned--;
    } else {
      ev = this.#timerLanes[at - TIMER_LANES]!.shift();
      this.#timed--;
      this.#timerFirst = -1;
    }
    if (ev.cancelled) return;
    if (!ev.background) this.#foreground--;
    ev.cancelled = true;
    this.clock.moveTo(Math.max(ev.dueAtNs, this.clock.nowNs));
    // A closure ignores the argument; an `afterCall` function takes it.
    (ev.run as (t: unknown) => void)(ev.target);
  }
}

function NOTHING(): void {}

/** The lane of `lanes` for `delayNs`, made on first use; undefined once MAX_LANES delays have one (the heap takes the rest). */
function laneFor(lanes: EventLane<Timer>[], delayNs: number): EventLane<Timer> | undefined {
  for (let i = 0; i < lanes.length; i++) if (lanes[i]!.delayNs === delayNs) return lanes[i];
  if (lanes.length === MAX_LANES) return undefined;
  const lane = new EventLane<Timer>(delayNs);
  lanes.push(lane);
  return lane;
}
