export { SimError, isSimError, formatIssue, type SimIssue, type SimErrorCode } from './errors.ts';
export { Clock, DEFAULT_START_MS } from './sim/clock.ts';
export { Rng } from './sim/rng.ts';
export { Scheduler } from './sim/scheduler.ts';
export { parseDuration, formatDuration } from './sim/duration.ts';
