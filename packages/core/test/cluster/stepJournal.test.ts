import { describe, expect, it } from 'vitest';
import { StepJournal } from '../../src/cluster/stepJournal.ts';

interface Log {
  readonly seen: number[];
}

describe('StepJournal', () => {
  // Undoing a step that hit the event limit replays every earlier step on a cluster built
  // afresh: a long script's steps (kept in chunks) must all replay, once each, in order.
  it('replays every recorded step in order, across thousands of steps', () => {
    const journal = new StepJournal<Log>();
    const first: Log = { seen: [] };
    const rebuild = (): void => {};
    for (let i = 0; i < 10_000; i++) journal.run(first, (c) => c.seen.push(i), rebuild);
    const again: Log = { seen: [] };
    journal.replay(again);
    expect(again.seen).toEqual(first.seen);
    expect(again.seen).toHaveLength(10_000);
  });
});
