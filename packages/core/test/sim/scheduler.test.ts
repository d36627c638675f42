import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Clock } from '../../src/sim/clock.ts';
import { Rng } from '../../src/sim/rng.ts';
import { Scheduler } from '../../src/sim/scheduler.ts';

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
