import { hubble } from '@cilium-sim/core';
import { describe, expect, it } from 'vitest';
import { formatTime } from '../../src/hubble/timeFormat.ts';

const t = (iso: string) => hubble.parseFlowTime(iso)!;

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
