import { isSimError, tetragon } from '@cilium-sim/core';
import type { CommandResult } from '../shell/command.ts';
import { isUsageError } from '../tools/usageError.ts';
import { compactLine, compactTimestamp } from './compactEncoder.ts';
import { parseGetEvents, tetraError } from './getEventsArgs.ts';

/** The events of the Tetragon agent `tetra` talks to, kept by one filter (its node's buffer). */
export type RuntimeEventSource = (filter: tetragon.RuntimeEventFilter) => readonly tetragon.RuntimeEvent[];

export interface TetraOptions {
  /** `kubectl exec -t`: stdout is a terminal, so `--color auto` colours the compact output. */
  readonly tty: boolean;
}

const SUBCOMMANDS_NOT_MODELLED = ['sensors', 'status', 'stacktracetree', 'rthooks', 'tracingpolicy', 'bugtool', 'dump', 'cgroups', 'debug'];

/**
 * `tetra ARGS` inside a Tetragon pod. `getevents` prints the events of the pod's node, in JSON
 * (the default) or compact form. A command run in a script cannot stream, so it prints what a
 * terminal left running `tetra getevents` since Tetragon started would show: every event the
 * node's agent holds, up to the moment tetra started.
 */
export function runTetraCli(source: RuntimeEventSource, args: readonly string[], opts: TetraOptions): CommandResult {
  try {
    const [sub, ...rest] = args;
    switch (sub) {
      case 'getevents':
        if (asksForHelp(rest)) return { stdout: GETEVENTS_USAGE, stderr: '', exitCode: 0 };
        return getEvents(source, rest, opts);
      case 'version':
        return { stdout: `CLI version: ${TETRA_VERSION}\n`, stderr: '', exitCode: 0 };
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        return { stdout: USAGE, stderr: '', exitCode: 0 };
      default:
        if (SUBCOMMANDS_NOT_MODELLED.includes(sub))
          throw tetraError(`"tetra ${sub}" is not modelled in cilium-sim; "tetra getevents" is`, sub);
        throw tetraError(`unknown command "${sub}" for "tetra"\nRun 'tetra --help' for usage.`, sub);
    }
  } catch (e) {
    if (isUsageError(e)) return { stdout: '', stderr: e.stderr, exitCode: e.exitCode };
    if (isSimError(e)) return { stdout: '', stderr: `Error: ${filterProblem(e) ?? e.message}\n`, exitCode: 1 };
    throw e;
  }
}

/** The flag behind a filter field core refused (a regex of --pods or --processes), in tetra's terms. */
const FILTER_FLAGS: Readonly<Record<string, string>> = { podRegex: '--pods', binaryRegex: '--processes', namespace: '--namespaces' };

function filterProblem(e: { readonly issues: readonly { readonly path?: string; readonly message: string }[] }): string | undefined {
  const issue = e.issues[0];
  const flag = issue?.path === undefined ? undefined : FILTER_FLAGS[issue.path.replace(/\[\d+\]$/, '')];
  return flag === undefined ? undefined : `invalid argument for "${flag}" flag: ${issue!.message}`;
}

/** The tetra binary of the Tetragon image the simulated DaemonSet runs. */
const TETRA_VERSION = 'v1.1.2';

const USAGE = `Tetragon CLI

Usage:
  tetra [flags]
  tetra [command]

Available Commands:
  getevents   Print events
  version     Print version from CLI and server

Flags:
  -d, --debug                   Enable debug messages
  -h, --help                    help for tetra
      --retries int             Connection retries with exponential backoff
      --server-address string   gRPC server address
      --timeout duration        Connection timeout (default 10s)

Use "tetra [command] --help" for more information about a command.
`;

/** cobra's help for `tetra getevents`, with the flags the simulator reads. */
const GETEVENTS_USAGE = `Print events

Usage:
  tetra getevents [flags]

Flags:
      --color string          Colorize compact output. auto, always, or never (default "auto")
  -e, --event-types strings   Include only events of given types
  -h, --help                  help for getevents
      --host                  Get host events
      --namespaces strings    Get events by Kubernetes namespaces
  -o, --output string         Output format. json or compact (default "json")
      --pods strings          Get events by pod name regex
      --processes strings     Get events by process name regex
      --timestamps            Include timestamps in compact output

Global Flags:
  -d, --debug                   Enable debug messages
      --retries int             Connection retries with exponential backoff
      --server-address string   gRPC server address
      --timeout duration        Connection timeout (default 10s)
`;

/** cobra answers -h or --help anywhere before `--` with the command's help. */
function asksForHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === '-h' || a === '--help');
}

function getEvents(source: RuntimeEventSource, args: readonly string[], opts: TetraOptions): CommandResult {
  const req = parseGetEvents(args);
  const events = req.matchesNothing ? [] : source(req.filter);
  const color = req.color === 'always' || (req.color === 'auto' && opts.tty);
  let out = '';
  for (const e of events) {
    if (req.output === 'json') out += `${JSON.stringify(tetragon.eventToJson(e))}\n`;
    else out += `${req.timestamps ? `${compactTimestamp(e)} ` : ''}${compactLine(e, color)}\n`;
  }
  return { stdout: out, stderr: '', exitCode: 0 };
}
