import { hubble, parseDuration, SimError } from '@cilium-sim/core';
import { scanFlags, type FlagUse } from '../cobra/pflag.ts';
import { FILTER_FLAGS, filterConflict } from './observeFilterFlags.ts';
import { FilterTracker } from './observeFilterTracker.ts';
import { asFlagError, flagError, OBSERVE_FLAGS, parseBool, parseUint } from './observeFlags.ts';
import type { PrintOptions } from './printers/printOptions.ts';
import { TIME_FORMATS, timeFormatByName } from './timeFormat.ts';

type FlowFilter = hubble.FlowFilter;
type FlowInstant = hubble.FlowInstant;

export type OutputFormat = 'compact' | 'dict' | 'json' | 'jsonpb' | 'table';

/** Which flows of the buffers are printed, resolved as Hubble's CLI resolves its flags. */
export interface ObserveSelection {
  readonly first?: number;
  /** `Infinity` for `--all`; 20 when nothing else selects. */
  readonly last?: number;
  readonly since?: FlowInstant;
  readonly until?: FlowInstant;
  readonly follow: boolean;
}

export interface ObserveArgs {
  readonly whitelist: readonly FlowFilter[];
  readonly blacklist: readonly FlowFilter[];
  readonly selection: ObserveSelection;
  readonly output: OutputFormat;
  readonly print: PrintOptions;
}

/** Hubble prints this many flows when no selector flag is given (defaults.FlowPrintCount). */
export const DEFAULT_LAST = 20;

/** `3s`, `1h43m` (before now) or an RFC 3339 time. */
function parseTimeFlag(which: 'since' | 'until', text: string, now: FlowInstant): FlowInstant {
  const absolute = hubble.parseFlowTime(text);
  if (absolute !== undefined) return absolute;
  try {
    return hubble.addNs(now, -parseDuration(text));
  } catch {
    throw flagError(
      `--${which}`,
      `failed to parse the ${which} time: "${text}" is neither a duration (e.g. 3s, 4m, 1h43m) nor an RFC 3339 time (e.g. 2024-07-04T17:58:00Z)`,
    );
  }
}

const OUTPUTS: Readonly<Record<string, OutputFormat>> = {
  compact: 'compact',
  dict: 'dict',
  json: 'json',
  JSON: 'json',
  jsonpb: 'jsonpb',
  table: 'table',
  tab: 'table',
};

interface Settings {
  last: number;
  first: number;
  all: boolean;
  follow: boolean;
  since: string;
  until: string;
  output: string;
  nodeName: boolean;
  policyNames: boolean;
  timeFormat: string;
  numeric: boolean;
  ipTranslation: boolean;
}

/** Feeds filter flags to the whitelist, or, right after `--not`, to the blacklist. */
class FilterFlags {
  readonly whitelist = new FilterTracker();
  readonly blacklist = new FilterTracker();
  blacklisting = false;

  set(use: FlagUse): void {
    const name = use.spec.name;
    if (name === 'not') {
      if (this.blacklisting) throw flagError('--not', 'consecutive --not statements');
      this.blacklisting = true;
      return;
    }
    const tracker = this.blacklisting ? this.blacklist : this.whitelist;
    this.blacklisting = false;
    tracker.touch(name);
    const conflict = filterConflict(tracker.changed);
    if (conflict !== undefined) throw flagError(`--${name}`, conflict);
    const error = FILTER_FLAGS[name]!.apply(tracker, use.value ?? '');
    // A filter flag is a pflag Value whose Set failed: cobra names the flag and the value.
    if (error !== undefined)
      throw flagError(`--${name}`, `invalid argument ${JSON.stringify(use.value ?? '')} for "${use.spelled}" flag: ${error}`);
  }
}

function setOther(s: Settings, use: FlagUse): void {
  const key = use.spec.name;
  if (key === 'last' || key === 'first') s[key] = parseUint(use);
  else if (key === 'all' || key === 'follow' || key === 'numeric') s[key] = parseBool(use);
  else if (key === 'print-node-name') s.nodeName = parseBool(use);
  else if (key === 'print-policy-names') s.policyNames = parseBool(use);
  else if (key === 'ip-translation') s.ipTranslation = parseBool(use);
  else if (key === 'since' || key === 'until' || key === 'output') s[key] = use.value ?? '';
  else if (key === 'time-format') s.timeFormat = use.value ?? '';
  else if (key === 'port-forward' || key === 'debug') parseBool(use);
  // --server and --color change nothing in the simulator.
}

/**
 * Resolves the selector flags as Hubble's getFlowsRequest does: `--first` excludes `--last`,
 * `--all` and `--follow`; `--all` means every flow; with no selector at all (and no time
 * range, no follow) the newest 20 flows are shown.
 */
function selection(s: Settings, now: FlowInstant): ObserveSelection {
  const first = s.first > 0;
  const last = s.last > 0;
  if (first && last) throw flagError('--first', 'cannot set both --first and --last');
  if (first && s.all) throw flagError('--first', 'cannot set both --first and --all');
  if (first && s.follow) throw flagError('--first', 'cannot set both --first and --follow');
  if (last && s.all) throw flagError('--last', 'cannot set both --last and --all');
  const since = s.since === '' ? undefined : parseTimeFlag('since', s.since, now);
  const until = s.until === '' || s.follow ? undefined : parseTimeFlag('until', s.until, now);
  let count: number | undefined = last ? s.last : undefined;
  if (since === undefined && until === undefined && !first) {
    if (s.all) count = Infinity;
    else if (!last && !s.follow) count = DEFAULT_LAST;
  }
  return {
    follow: s.follow,
    ...(first ? { first: s.first } : {}),
    ...(count !== undefined ? { last: count } : {}),
    ...(since !== undefined ? { since } : {}),
    ...(until !== undefined ? { until } : {}),
  };
}

function printOptions(s: Settings): PrintOptions {
  const timeFormat = timeFormatByName(s.timeFormat);
  if (timeFormat === undefined)
    throw flagError('--time-format', `invalid time format: ${s.timeFormat}: expected one of ${TIME_FORMATS.join(', ')}`);
  if (OUTPUTS[s.output] === 'table' && s.follow) throw flagError('--output', 'table output format is not compatible with follow mode');
  return { timeFormat, nodeName: s.nodeName, policyNames: s.policyNames, ipTranslation: s.ipTranslation && !s.numeric };
}

/**
 * Parses the arguments of `hubble observe` (everything after those two words) into filters,
 * a selection and output options. Relative `--since`/`--until` are taken back from
 * `nowEpochMs`. Throws a SimError (code INVALID_FLAG, object `hubble observe`, path the flag)
 * with Hubble's own message, e.g. `unknown flag: --bogus`.
 *
 * @example parseObserveArgs(['--from-pod', 'default/xwing', '--verdict', 'DROPPED', '-o', 'json'], now)
 */
export function parseObserveArgs(argv: readonly string[], nowEpochMs: number): ObserveArgs {
  let scanned: ReturnType<typeof scanFlags>;
  try {
    scanned = scanFlags(argv[0] === 'flows' ? argv.slice(1) : argv, OBSERVE_FLAGS);
  } catch (e) {
    asFlagError(e);
  }
  const positional = [...scanned.positionals, ...(scanned.afterDash ?? [])];
  if (positional.length > 0) {
    throw new SimError({
      code: 'INVALID_COMMAND',
      object: 'hubble observe',
      message: `unknown command "${positional[0]}" for "hubble observe"`,
    });
  }
  const s: Settings = {
    last: 0,
    first: 0,
    all: false,
    follow: false,
    since: '',
    until: '',
    output: 'compact',
    nodeName: false,
    policyNames: false,
    timeFormat: 'StampMilli',
    numeric: false,
    ipTranslation: true,
  };
  const filters = new FilterFlags();
  for (const use of scanned.uses) {
    if (use.spec.name === 'not' || FILTER_FLAGS[use.spec.name] !== undefined) filters.set(use);
    else setOther(s, use);
  }
  if (filters.blacklisting) throw flagError('--not', 'trailing --not found in the arguments');
  const output = OUTPUTS[s.output];
  if (output === undefined) throw flagError('--output', `invalid output format: ${s.output}`);
  return {
    whitelist: filters.whitelist.flowFilters(),
    blacklist: filters.blacklist.flowFilters(),
    selection: selection(s, hubble.instantFromEpochMs(nowEpochMs)),
    output,
    print: printOptions(s),
  };
}
