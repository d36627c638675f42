import { hubble } from '@cilium-sim/core';

type FlowInstant = hubble.FlowInstant;

/** The `--time-format` names Hubble accepts, each a Go time layout. Times print in UTC. */
export const TIME_FORMATS = [
  'StampMilli',
  'YearMonthDay',
  'YearMonthDayHour',
  'YearMonthDayHourMinute',
  'RFC3339',
  'RFC3339Milli',
  'RFC3339Micro',
  'RFC3339Nano',
  'RFC1123Z',
] as const;
export type TimeFormatName = (typeof TIME_FORMATS)[number];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Case-insensitive, as Hubble matches the names; undefined for an unknown name. */
export function timeFormatByName(name: string): TimeFormatName | undefined {
  return TIME_FORMATS.find((f) => f.toLowerCase() === name.toLowerCase());
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Go's `.999…` layouts: the fraction without trailing zeros, and no dot when it is zero. */
function trimmedFraction(t: FlowInstant, digits: number): string {
  const cut = String(hubble.nanosOfSecond(t)).padStart(9, '0').slice(0, digits).replace(/0+$/, '');
  return cut === '' ? '' : `.${cut}`;
}

/**
 * Formats an instant with a Hubble time format.
 *
 * @example formatTime({ ms: Date.UTC(2024, 6, 4, 17, 58, 28, 795), ns: 0 }, 'StampMilli') === 'Jul  4 17:58:28.795'
 */
export function formatTime(t: FlowInstant, format: TimeFormatName): string {
  const d = new Date(t.ms);
  const date = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  const hms = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  switch (format) {
    case 'StampMilli': {
      const milli = String(Math.floor(hubble.nanosOfSecond(t) / 1_000_000)).padStart(3, '0');
      return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${hms}.${milli}`;
    }
    case 'YearMonthDay':
      return date;
    case 'YearMonthDayHour':
      return `${date}T${pad2(d.getUTCHours())}Z`;
    case 'YearMonthDayHourMinute':
      return `${date}T${hms.slice(0, 5)}Z`;
    case 'RFC3339':
      return `${date}T${hms}Z`;
    case 'RFC3339Milli':
      return `${date}T${hms}${trimmedFraction(t, 3)}Z`;
    case 'RFC3339Micro':
      return `${date}T${hms}${trimmedFraction(t, 6)}Z`;
    case 'RFC3339Nano':
      return `${date}T${hms}${trimmedFraction(t, 9)}Z`;
    case 'RFC1123Z':
      return `${DAYS[d.getUTCDay()]}, ${pad2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${hms} +0000`;
  }
}
