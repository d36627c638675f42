import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareInstants, flowTimeAt, formatFlowTime, parseFlowTime } from '../../src/hubble/flowTime.ts';
import { formatTime } from '../../src/hubble/timeFormat.ts';

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

describe('hubble time formats', () => {
  const at = t('2024-07-04T07:08:09.050600Z');
  it.each([
    ['StampMilli', 'Jul  4 07:08:09.050'],
    ['YearMonthDay', '2024-07-04'],
    ['YearMonthDayHour', '2024-07-04T07Z'],
    ['YearMonthDayHourMinute', '2024-07-04T07:08Z'],
    ['RFC3339', '2024-07-04T07:08:09Z'],
    ['RFC3339Milli', '2024-07-04T07:08:09.05Z'],
    ['RFC3339Micro', '2024-07-04T07:08:09.0506Z'],
    ['RFC3339Nano', '2024-07-04T07:08:09.0506Z'],
    ['RFC1123Z', 'Thu, 04 Jul 2024 07:08:09 +0000'],
  ] as const)('prints %s as Go does', (format, expected) => {
    expect(formatTime(at, format)).toBe(expected);
  });

  it('pads a two-digit day without a space in StampMilli', () => {
    expect(formatTime(t('2024-06-15T14:07:01.123Z'), 'StampMilli')).toBe('Jun 15 14:07:01.123');
  });
});
