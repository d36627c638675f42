import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/sim/duration.ts';

describe('duration', () => {
  it('prints durations as Go prints them', () => {
    expect(formatDuration(parseDuration('5m'))).toBe('5m0s');
    expect(formatDuration(parseDuration('30s'))).toBe('30s');
    expect(formatDuration(parseDuration('1h'))).toBe('1h0m0s');
    expect(formatDuration(parseDuration('1.5s'))).toBe('1.5s');
    expect(formatDuration(parseDuration('300ms'))).toBe('300ms');
    expect(formatDuration(parseDuration('2h45m30s'))).toBe('2h45m30s');
    expect(formatDuration(0)).toBe('0s');
  });

  it('rejects a duration without a unit, naming the field', () => {
    expect(() => parseDuration('5', 'sleep')).toThrowError(/sleep: invalid duration "5"/);
  });

  it('round-trips whole milliseconds through print and parse', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 * 24 * 3600 * 1000 }), (ms) => {
        const ns = ms * 1_000_000;
        expect(parseDuration(formatDuration(ns))).toBe(ns);
      }),
    );
  });
});
