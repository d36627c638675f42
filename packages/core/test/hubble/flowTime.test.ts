import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareInstants, flowTimeAt, formatFlowTime, parseFlowTime } from '../../src/hubble/flowTime.ts';

const t = (iso: string) => parseFlowTime(iso)!;

describe('flow time stamps', () => {
  it('prints 0, 3, 6 or 9 fraction digits as protojson does', () => {
    expect(formatFlowTime(t('2024-07-04T17:58:28Z'))).toBe('2024-07-04T17:58:28Z');
    expect(formatFlowTime(t('2024-07-04T17:58:28.7950Z'))).toBe('2024-07-04T17:58:28.795Z');
    expect(formatFlowTime(t('2024-07-04T17:58:28.79512Z'))).toBe('2024-07-04T17:58:28.795120Z');
    expect(formatFlowTime(t('2024-07-04T17:58:28.000000001Z'))).toBe('2024-07-04T17:58:28.000000001Z');
  });

  it('stamps virtual time on the clock start with nanosecond precision', () => {
    expect(flowTimeAt({ startMs: Date.UTC(2024, 6, 4, 17, 58, 0) }, 28_795_123_456)).toBe('2024-07-04T17:58:28.795123456Z');
  });

  it('round-trips and orders stamps like the instants they name', () => {
    const instant = fc.record({ ms: fc.integer({ min: 0, max: 4_000_000_000_000 }), ns: fc.integer({ min: 0, max: 999_999 }) });
    fc.assert(
      fc.property(instant, instant, (a, b) => {
        expect(parseFlowTime(formatFlowTime(a))).toEqual(a);
        expect(Math.sign(compareInstants(a, b))).toBe(Math.sign(compareInstants(t(formatFlowTime(a)), t(formatFlowTime(b)))));
      }),
    );
  });
});
