import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { age, humanDuration } from '../../src/k8s/columns/humanDuration.ts';

// The AGE of kubectl's tables and the ages inside its cells (a pod's last restart).
const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const Y = 365 * D;
const UNIT_MS: Record<string, number> = { s: S, m: M, h: H, d: D, y: Y };

/** Reads `3d4h` back into milliseconds, and the size of its smallest unit. */
function parseBack(text: string): { ms: number; unitMs: number } {
  let ms = 0;
  let unitMs = Infinity;
  for (const [, n, u] of text.matchAll(/(\d+)([smhdy])/g)) {
    ms += Number(n) * UNIT_MS[u!]!;
    unitMs = Math.min(unitMs, UNIT_MS[u!]!);
  }
  return { ms, unitMs };
}

describe('humanDuration (kubectl AGE)', () => {
  it.each([
    [0, '0s'],
    [-999, '0s'],
    [-1999, '0s'],
    [-2000, '<invalid>'],
    [59 * S, '59s'],
    [119 * S + 999, '119s'],
    [2 * M, '2m'],
    [3 * M + 7 * S, '3m7s'],
    [9 * M + 59 * S, '9m59s'],
    [10 * M + 30 * S, '10m'],
    [179 * M, '179m'],
    [3 * H, '3h'],
    [5 * H + 12 * M, '5h12m'],
    [8 * H + 30 * M, '8h'],
    [47 * H, '47h'],
    [2 * D, '2d'],
    [3 * D + 4 * H, '3d4h'],
    [8 * D, '8d'],
    [729 * D, '729d'],
    [2 * Y, '2y'],
    [3 * Y + 20 * D, '3y20d'],
    [9 * Y + 100 * D, '9y'],
  ])('prints %d ms as %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });

  it('reads the age from an RFC 3339 creationTimestamp and the virtual clock', () => {
    const now = Date.parse('2024-01-01T00:05:07Z');
    expect(age('2024-01-01T00:00:00Z', now)).toBe('5m7s');
    expect(age(undefined, now)).toBe('<unknown>');
  });

  it('never decreases as time passes', () => {
    fc.assert(
      fc.property(fc.nat(20 * Y), fc.nat(20 * Y), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(parseBack(humanDuration(lo)).ms).toBeLessThanOrEqual(parseBack(humanDuration(hi)).ms);
      }),
    );
  });

  it('parses back to the duration, truncated to its smallest printed unit', () => {
    fc.assert(
      fc.property(fc.nat(20 * Y), (ms) => {
        const { ms: back, unitMs } = parseBack(humanDuration(ms));
        expect(back).toBeLessThanOrEqual(ms);
        expect(ms - back).toBeLessThan(unitMs);
      }),
    );
  });
});
