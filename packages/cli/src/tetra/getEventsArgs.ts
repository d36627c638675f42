import { isSimError, parseDuration, type tetragon } from '@cilium-sim/core';
import { FlagParseError, flagBool, flagList, flagString, parseFlags, type FlagSpec } from '../cobra/pflag.ts';
import { UsageError } from '../tools/usageError.ts';

/** `tetra getevents`'s flags (cmd/tetra/getevents, Tetragon v1.1), deprecated and hidden spellings included. */
const GETEVENTS_FLAGS: readonly FlagSpec[] = [
  { name: 'output', short: 'o', kind: 'string' },
  { name: 'color', kind: 'string' },
  { name: 'include-fields', short: 'f', kind: 'list' },
  { name: 'event-types', short: 'e', kind: 'list' },
  { name: 'exclude-fields', short: 'F', kind: 'list' },
  { name: 'namespace', short: 'n', kind: 'list' },
  { name: 'namespaces', kind: 'list' },
  { name: 'process', kind: 'list' },
  { name: 'processes', kind: 'list' },
  { name: 'pod', kind: 'list' },
  { name: 'pods', kind: 'list' },
  { name: 'host', kind: 'bool' },
  { name: 'timestamps', kind: 'bool' },
  { name: 'tty-encode', short: 't', kind: 'string' },
  { name: 'stack-traces', kind: 'bool' },
  { name: 'policy-names', kind: 'list' },
  // tetra's persistent flags.
  { name: 'debug', short: 'd', kind: 'bool' },
  { name: 'server-address', kind: 'string' },
  { name: 'timeout', kind: 'string' },
  { name: 'retries', kind: 'string' },
];

/** Tetragon's EventType names, in the enum's order, as tetra lists the supported ones. */
export const EVENT_TYPE_NAMES = [
  'UNDEF',
  'PROCESS_EXEC',
  'PROCESS_EXIT',
  'PROCESS_KPROBE',
  'PROCESS_TRACEPOINT',
  'PROCESS_LOADER',
  'PROCESS_UPROBE',
  'TEST',
  'RATE_LIMIT_INFO',
] as const;

export interface GetEventsArgs {
  readonly output: 'json' | 'compact';
  readonly color: 'auto' | 'always' | 'never';
  readonly timestamps: boolean;
  /** The one allow-list filter tetra sends. */
  readonly filter: tetragon.RuntimeEventFilter;
  /** Only event types the simulated agents never record were asked for: nothing can match. */
  readonly matchesNothing: boolean;
}

/** A refusal worded as tetra's cobra root prints it (`SilenceUsage`): `Error: ...`, exit 1. */
export function tetraError(message: string, path?: string): UsageError {
  return new UsageError({ code: 'INVALID_FLAG', object: 'tetra', ...(path === undefined ? {} : { path }), message: `Error: ${message}` });
}

/** tetra's `--timeout` is a Go duration and `--retries` an int: pflag refuses other text in strconv's words. */
function checkPersistentFlags(flags: ReturnType<typeof parseFlags>): void {
  const timeout = flagString(flags, 'timeout');
  if (timeout !== undefined) {
    try {
      parseDuration(timeout);
    } catch (e) {
      if (!isSimError(e)) throw e;
      throw tetraError(`invalid argument "${timeout}" for "--timeout" flag: time: invalid duration "${timeout}"`, '--timeout');
    }
  }
  const retries = flagString(flags, 'retries');
  if (retries !== undefined && !/^[+-]?\d{1,18}$/.test(retries))
    throw tetraError(
      `invalid argument "${retries}" for "--retries" flag: strconv.ParseInt: parsing "${retries}": invalid syntax`,
      '--retries',
    );
}

/**
 * Reads `tetra getevents` arguments as its PreRunE checks them: `-o json|compact`,
 * `--color auto|always|never`, known event types; the deprecated `--namespace`, `--pod`,
 * `--process` merged with their plural forms; `--host` adds the empty namespace (processes on
 * the node). Field masks and TTY encoding are not modelled and are refused by name.
 */
export function parseGetEvents(args: readonly string[]): GetEventsArgs {
  let flags: ReturnType<typeof parseFlags>;
  try {
    flags = parseFlags(args, GETEVENTS_FLAGS);
  } catch (e) {
    if (e instanceof FlagParseError) throw tetraError(e.problem.message, e.problem.flag);
    throw e;
  }
  if (flags.positionals.length > 0) throw tetraError(`unknown command "${flags.positionals[0]}" for "tetra getevents"`);
  checkPersistentFlags(flags);
  const output = flagString(flags, 'output') ?? 'json';
  if (output !== 'json' && output !== 'compact') throw tetraError(`invalid value for "output" flag: ${output}`, '--output');
  const color = flagString(flags, 'color') ?? 'auto';
  if (color !== 'auto' && color !== 'always' && color !== 'never') throw tetraError(`invalid value for "color" flag: ${color}`, '--color');
  const eventTypes = flagList(flags, 'event-types');
  for (const t of eventTypes) {
    if (!(EVENT_TYPE_NAMES as readonly string[]).includes(t))
      throw tetraError(`invalid value for "event-types" flag: ${t}. Supported are ${EVENT_TYPE_NAMES.join(', ')}`, '--event-types');
  }
  for (const [flag, what] of [
    ['include-fields', 'field masks (--include-fields)'],
    ['exclude-fields', 'field masks (--exclude-fields)'],
    ['tty-encode', 'terminal encoding (--tty-encode)'],
  ] as const) {
    if (flags.values.has(flag)) throw tetraError(`${what} are not modelled in cilium-sim; print whole events`, `--${flag}`);
  }
  const namespaces = [...flagList(flags, 'namespace'), ...flagList(flags, 'namespaces'), ...(flagBool(flags, 'host') ? [''] : [])];
  const pods = [...flagList(flags, 'pod'), ...flagList(flags, 'pods')];
  const processes = [...flagList(flags, 'process'), ...flagList(flags, 'processes')];
  const policyNames = flagList(flags, 'policy-names');
  // Types tetra accepts but the simulated agents never record (tracepoints, uprobes) match no event.
  const recorded = eventTypes.filter((t): t is tetragon.RuntimeEventTypeName => RECORDED.includes(t));
  return {
    matchesNothing: eventTypes.length > 0 && recorded.length === 0,
    output,
    color,
    timestamps: flagBool(flags, 'timestamps'),
    filter: {
      ...(namespaces.length > 0 ? { namespace: namespaces } : {}),
      ...(pods.length > 0 ? { podRegex: pods } : {}),
      ...(processes.length > 0 ? { binaryRegex: processes } : {}),
      ...(recorded.length > 0 ? { eventSet: recorded } : {}),
      ...(policyNames.length > 0 ? { policyNames } : {}),
    },
  };
}

const RECORDED: readonly string[] = ['PROCESS_EXEC', 'PROCESS_EXIT', 'PROCESS_KPROBE'];
