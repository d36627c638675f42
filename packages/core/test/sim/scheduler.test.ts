import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Clock } from '../../src/sim/clock.ts';
import { Rng } from '../../src/sim/rng.ts';
import { type ScheduledEvent, Scheduler } from '../../src/sim/scheduler.ts';

interface Slot {
  readonly event: ScheduledEvent;
  run: () => void;
}

describe('Scheduler', () => {
  it('runs events by due time, then in the order they were scheduled', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 50 }), (delays) => {
        const s = new Scheduler(new Clock());
        const ran: number[] = [];
        for (const [i, d] of delays.entries()) s.after(d, 'test', () => ran.push(i));
        s.runUntilIdle();
        const expected = delays
          .map((d, i) => [d, i] as const)
          .sort((a, b) => a[0] - b[0] || a[1] - b[1])
          .map(([, i]) => i);
        expect(ran).toEqual(expected);
      }),
    );
  });

  // Reusable events (packets in flight) and afterCall timers wait in first-in, first-out lanes per
  // delay beside the heap; events scheduled from inside events, with few delays and more delays
  // than lanes, must still run in (due time, order of scheduling) order, with runUntil stopping
  // where it should.
  it('runs reusable events and afterCall timers in lanes and timers in the heap in one order', () => {
    const step = fc.record({
      reusable: fc.boolean(),
      call: fc.boolean(),
      delay: fc.constantFrom(0, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31),
      children: fc.nat({ max: 2 }),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 60 }), (steps, pause) => {
        const s = new Scheduler(new Clock());
        const ran: [number, number][] = [];
        const scheduled: [number, number, number][] = [];
        let next = 0;
        // Reusable events are pooled as the datapath pools them: taken again once they have run.
        const idle: Slot[] = [];
        const schedule = (depth: number): void => {
          const x = steps[next++ % steps.length]!;
          const id = scheduled.length;
          scheduled.push([s.clock.nowNs + x.delay, id, 0]);
          const body = (): void => {
            ran.push([s.clock.nowNs, id]);
            if (depth < 3) for (let c = 0; c < x.children; c++) schedule(depth + 1);
          };
          if (!x.reusable && x.call) {
            s.afterCall(x.delay, 'call', (run: () => void) => run(), body);
            return;
          }
          if (!x.reusable) {
            s.after(x.delay, 'timer', body);
            return;
          }
          let slot = idle.pop();
          if (slot === undefined) {
            const made: Slot = { event: s.reusable('packet', () => made.run()), run: body };
            slot = made;
          }
          const taken = slot;
          taken.run = (): void => {
            idle.push(taken);
            body();
          };
          s.enqueue(taken.event, x.delay);
        };
        for (let i = 0; i < steps.length; i++) schedule(0);
        s.runUntil(pause);
        expect(ran.every(([at]) => at <= pause)).toBe(true);
        s.runUntilIdle();
        // Each event ran once, at its due time, and no event ran before one due earlier (or due
        // at the same time and scheduled first).
        expect(ran.map(([, id]) => id).sort((a, b) => a - b)).toEqual(scheduled.map(([, id]) => id));
        for (const [at, id] of ran) expect(at).toBe(scheduled[id]![0]);
        for (let i = 1; i < ran.length; i++) {
          const [a, ia] = ran[i - 1]!;
          const [b, ib] = ran[i]!;
          expect(a < b || (a === b && ia < ib)).toBe(true);
        }
      }),
    );
  });

  // A connection's timers call a shared function with their target rather than a closure: they
  // must run, and be cancelled, exactly as closures scheduled at the same moments would.
  it('runs afterCall events with their target in the order of after, and never once cancelled', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ delay: fc.integer({ min: 0, max: 20 }), call: fc.boolean(), cancel: fc.boolean() }), { maxLength: 50 }),
        (plan) => {
          const s = new Scheduler(new Clock());
          const ran: number[] = [];
          const record = (target: { readonly i: number }): void => {
            ran.push(target.i);
          };
          const events = plan.map(({ delay, call }, i) =>
            call ? s.afterCall(delay, 'test', record, { i }) : s.after(delay, 'test', () => ran.push(i)),
          );
          for (const [i, { cancel }] of plan.entries()) if (cancel) s.cancel(events[i]!);
          s.runUntilIdle();
          const expected = plan
            .map(({ delay, cancel }, i) => ({ delay, cancel, i }))
            .filter((x) => !x.cancel)
            .sort((a, b) => a.delay - b.delay || a.i - b.i)
            .map((x) => x.i);
          expect(ran).toEqual(expected);
        },
      ),
    );
  });

  it('runs until a job ends, leaving later events queued', () => {
    const s = new Scheduler(new Clock());
    const job = { ended: false };
    const ran: string[] = [];
    s.after(5, 'a', () => ran.push('a'));
    s.after(10, 'end', () => {
      ran.push('end');
      job.ended = true;
    });
    s.after(15, 'later', () => ran.push('later'));
    expect(s.runUntilEnded(job)).toBe(true);
    expect(ran).toEqual(['a', 'end']);
    expect(s.clock.nowNs).toBe(10);
    expect(s.runUntilEnded({ ended: false })).toBe(false);
    expect(ran).toEqual(['a', 'end', 'later']);
  });

  it('moves the clock to the end of an advance even when nothing is due', () => {
    const s = new Scheduler(new Clock());
    s.runUntil(5_000);
    expect(s.clock.nowNs).toBe(5_000);
  });

  it('stops runUntilIdle when only background timers remain', () => {
    const s = new Scheduler(new Clock());
    let ticks = 0;
    const tick = (): void => {
      ticks++;
      s.after(10, 'gc', tick, { background: true });
    };
    s.after(10, 'gc', tick, { background: true });
    s.after(25, 'work', () => undefined);
    s.runUntilIdle();
    expect(ticks).toBe(2);
    expect(s.clock.nowNs).toBe(25);
  });
});

describe('Rng', () => {
  it('gives the same stream for the same seed and name', () => {
    const a = Rng.seeded(7).fork('x');
    const b = Rng.seeded(7).fork('x');
    expect([a.nextU32(), a.nextU32()]).toEqual([b.nextU32(), b.nextU32()]);
  });

  it('gives independent streams to different forks and seeds', () => {
    expect(Rng.seeded(1).fork('a').nextU32()).not.toBe(Rng.seeded(1).fork('b').nextU32());
    expect(Rng.seeded(1).fork('a').nextU32()).not.toBe(Rng.seeded(2).fork('a').nextU32());
  });

  it('draws integers within the bounds it is given', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 100000 }), (seed, min, span) => {
        const v = Rng.seeded(seed).int(min, min + span);
        expect(v).toBeGreaterThanOrEqual(min);
        expect(v).toBeLessThanOrEqual(min + span);
      }),
    );
  });
});
