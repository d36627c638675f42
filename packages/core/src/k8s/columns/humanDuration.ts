/**
 * kubectl's AGE column: apimachinery's duration.HumanDuration, which keeps two or three
 * significant figures so a glance tells "seconds old" from "days old". The thresholds below
 * are kubectl's own, in order:
 *   <2m -> `45s`; <10m -> `3m` / `3m7s`; <3h -> `42m`; <8h -> `5h` / `5h12m`; <2d -> `36h`;
 *   <8d -> `3d` / `3d4h`; <2y -> `200d`; <8y -> `3y` / `3y20d`; else `9y`.
 * A clock slightly behind the object (up to 1s) reads `0s`; further behind reads `<invalid>`.
 */
const MS_PER_S = 1000;
const MS_PER_MIN = 60 * MS_PER_S;
const MS_PER_H = 60 * MS_PER_MIN;

/**
 * Formats a duration in milliseconds as kubectl prints an age. Pure.
 *
 * @example humanDuration(187_000) === '3m7s'
 */
export function humanDuration(durationMs: number): string {
  // Go truncates towards zero when it converts to whole seconds.
  const seconds = Math.trunc(durationMs / MS_PER_S);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(durationMs / MS_PER_MIN);
  if (minutes < 10) return withRemainder(minutes, 'm', seconds % 60, 's');
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(durationMs / MS_PER_H);
  if (hours < 8) return withRemainder(hours, 'h', minutes % 60, 'm');
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) return withRemainder(days, 'd', hours % 24, 'h');
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) return withRemainder(years, 'y', days % 365, 'd');
  return `${years}y`;
}

function withRemainder(major: number, majorUnit: string, minor: number, minorUnit: string): string {
  return minor === 0 ? `${major}${majorUnit}` : `${major}${majorUnit}${minor}${minorUnit}`;
}

/**
 * The AGE cell of an object: `<unknown>` when it has no creationTimestamp, as kubectl prints.
 * `creationTimestamp` is RFC 3339 (`2024-01-01T00:00:00Z`); `nowMs` is the virtual clock's epoch ms.
 */
export function age(creationTimestamp: string | undefined, nowMs: number): string {
  if (creationTimestamp === undefined || creationTimestamp === '') return '<unknown>';
  const createdMs = Date.parse(creationTimestamp);
  if (Number.isNaN(createdMs)) return '<unknown>';
  return humanDuration(nowMs - createdMs);
}
