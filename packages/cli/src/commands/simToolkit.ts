import { parseArgs } from 'node:util';
import {
  MATRIX_FORMATS,
  SERVICE_MAP_FORMATS,
  connectivityMatrix,
  formatWhatIf,
  parseMatrixPort,
  printMatrix,
  printServiceMap,
  serviceMap,
  suggestPolicies,
  whatIf,
  type Cluster,
  type MatrixFormat,
  type ObjectResult,
  type PolicyChange,
  type ServiceMapFormat,
} from '@cilium-sim/core';
import { fail, ok, type CommandResult } from '../shell/command.ts';
import { errorLine, successLine } from '../kubectl/resultLines.ts';
import type { CommandHandler } from './cliContext.ts';

/**
 * The simulator's policy-author tools, as `cilium-sim` subcommands inside scripts and the REPL:
 * `matrix`, `map`, `policy suggest`, and the dry-run report kubectl prints for
 * `--dry-run=server`. Each handler gets the arguments after its subcommand words.
 */

const MATRIX_USAGE = 'usage: cilium-sim matrix [-n NAMESPACE ... | -A] [--port PORT/PROTOCOL ...] [--by pod|identity] [-o table|json|csv]';
const MAP_USAGE = 'usage: cilium-sim map [-n NAMESPACE | -A] [-o svg|mermaid|dot|json]';
const SUGGEST_USAGE = 'usage: cilium-sim policy suggest [--from-flows] [-n NAMESPACE | -A]';

type Options = Parameters<typeof parseArgs>[0] extends infer A ? (A extends { options?: infer O } ? NonNullable<O> : never) : never;

/** node:util's parseArgs, with its errors turned into the `error: unknown flag: --x` lines users know. */
function parse(args: readonly string[], options: Options, usage: string): { values: Record<string, unknown> } | CommandResult {
  try {
    return parseArgs({
      args: [...args],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    });
  } catch (e) {
    return fail(`error: ${flagProblem(e)}\n${usage}\n`);
  }
}

function flagProblem(e: unknown): string {
  const code = (e as { code?: string }).code;
  const message = e instanceof Error ? e.message : String(e);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown flag: ${/'([^']+)'/.exec(message)?.[1] ?? message}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return `flag needs an argument: ${/(--[a-z-]+)/.exec(message)?.[1] ?? message}`;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument ${/'([^']+)'/.exec(message)?.[1] ?? message}`;
  return message;
}

function isResult(x: unknown): x is CommandResult {
  return typeof x === 'object' && x !== null && 'exitCode' in x;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], flag: string, fallback: T): T | CommandResult {
  if (value === undefined) return fallback;
  if ((allowed as readonly unknown[]).includes(value)) return value as T;
  return fail(`error: invalid argument ${JSON.stringify(value)} for "${flag}" flag: must be one of ${allowed.join(', ')}\n`);
}

/** `cilium-sim matrix`: the connectivity truth tables of the current policy maps. */
export const matrixCommand: CommandHandler = (ctx, args) => {
  const parsed = parse(
    args,
    {
      namespace: { type: 'string', short: 'n', multiple: true },
      'all-namespaces': { type: 'boolean', short: 'A' },
      port: { type: 'string', multiple: true },
      by: { type: 'string' },
      output: { type: 'string', short: 'o' },
    },
    MATRIX_USAGE,
  );
  if (isResult(parsed)) return parsed;
  const v = parsed.values;
  if (v['help'] === true) return ok(`${MATRIX_USAGE}\n`);
  const format = oneOf<MatrixFormat>(v['output'], MATRIX_FORMATS, '-o', 'table');
  const by = oneOf(v['by'], ['pod', 'identity'] as const, '--by', 'pod');
  if (isResult(format)) return format;
  if (isResult(by)) return by;
  const ports = ((v['port'] as string[] | undefined) ?? []).map(parseMatrixPort);
  const namespaces = v['all-namespaces'] === true ? 'all' : ((v['namespace'] as string[] | undefined) ?? ['default']);
  const m = connectivityMatrix(ctx.cluster, { namespaces, by, ...(ports.length === 0 ? {} : { ports }) });
  if (m.peers.length === 0)
    return fail(`No pods found in ${namespaces === 'all' ? 'any namespace' : `namespace ${namespaces.join(', ')}`}.\n`, 0);
  return ok(printMatrix(m, format));
};

/** `cilium-sim map`: the service map of the recorded flows. */
export const mapCommand: CommandHandler = (ctx, args) => {
  const parsed = parse(
    args,
    {
      namespace: { type: 'string', short: 'n' },
      'all-namespaces': { type: 'boolean', short: 'A' },
      output: { type: 'string', short: 'o' },
    },
    MAP_USAGE,
  );
  if (isResult(parsed)) return parsed;
  const v = parsed.values;
  if (v['help'] === true) return ok(`${MAP_USAGE}\n`);
  const format = oneOf<ServiceMapFormat>(v['output'], SERVICE_MAP_FORMATS, '-o', 'mermaid');
  if (isResult(format)) return format;
  const namespace = v['all-namespaces'] === true ? undefined : (v['namespace'] as string | undefined);
  return ok(printServiceMap(serviceMap(ctx.cluster, namespace === undefined ? {} : { namespace }), format));
};

/** `cilium-sim policy suggest`: least-privilege policies from the recorded flows. */
export const policySuggestCommand: CommandHandler = (ctx, args) => {
  const parsed = parse(
    args,
    {
      'from-flows': { type: 'boolean' },
      namespace: { type: 'string', short: 'n' },
      'all-namespaces': { type: 'boolean', short: 'A' },
    },
    SUGGEST_USAGE,
  );
  if (isResult(parsed)) return parsed;
  const v = parsed.values;
  if (v['help'] === true) return ok(`${SUGGEST_USAGE}\n`);
  const namespace = v['all-namespaces'] === true ? undefined : ((v['namespace'] as string | undefined) ?? 'default');
  const s = suggestPolicies(ctx.cluster, namespace === undefined ? {} : { namespace });
  if (s.policies.length === 0) {
    return fail(
      `No forwarded traffic to pods${namespace === undefined ? '' : ` in namespace ${namespace}`} in the recorded flows; run the application's traffic first.\n`,
      0,
    );
  }
  return ok(s.yaml);
};

/** `cilium-sim policy SUBCOMMAND`. */
export const policyCommand: CommandHandler = (ctx, args, io) => {
  const [sub, ...rest] = args;
  if (sub === 'suggest') return policySuggestCommand(ctx, rest, io);
  return fail(`error: unknown command "${sub ?? ''}" for "cilium-sim policy"\n${SUGGEST_USAGE}\n`);
};

/** The subcommands above, for the `cilium-sim` dispatcher's table. */
export const TOOLKIT_SUBCOMMANDS: Readonly<Record<string, CommandHandler>> = {
  matrix: matrixCommand,
  map: mapCommand,
  policy: policyCommand,
};

/**
 * What `kubectl apply|delete --dry-run=server -f FILE` prints in the sandbox: kubectl's lines
 * with ` (server dry run)`, then the policy map, connectivity and observed-traffic changes the
 * file would cause. Changes nothing in the cluster. `file` names the file in error lines as
 * kubectl does. Throws a SimError when the text is not YAML (kubectl's own error then).
 */
export function dryRunReport(cluster: Cluster, change: PolicyChange & { readonly file?: string }): CommandResult {
  const report = whatIf(cluster, change);
  const out = formatWhatIf(report, (r) => kubectlLine(r, change.file));
  return { stdout: out.stdout, stderr: out.stderr, exitCode: report.results.some((r) => !r.ok) ? 1 : 0 };
}

/** The stdout of `dryRunReport`. */
export function dryRunText(cluster: Cluster, change: PolicyChange): string {
  return formatWhatIf(whatIf(cluster, change), (r) => kubectlLine(r, undefined)).stdout;
}

function kubectlLine(r: ObjectResult, file: string | undefined): string {
  return r.ok ? successLine(r.ref, r.verb) : errorLine(r.error, file);
}
