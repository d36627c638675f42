import {
  isSimError,
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
import { FlagParseError, parseFlags, type FlagSpec } from '../cobra/pflag.ts';
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

const HELP: FlagSpec = { name: 'help', short: 'h', kind: 'bool' };

/**
 * The flags through the one pflag reader, as cobra reads them for the simulator's own tool:
 * an unknown flag, a missing value or a stray argument is the `error: ...` line and the usage.
 * Values come back by flag name: a string, `true`, or the list of an `array` flag's uses.
 */
export function parseToolFlags(
  args: readonly string[],
  specs: readonly FlagSpec[],
  usage: string,
): { values: Record<string, unknown> } | CommandResult {
  try {
    const parsed = parseFlags(args, [...specs, HELP]);
    const stray = parsed.positionals[0] ?? parsed.afterDash?.[0];
    if (stray !== undefined) return fail(`error: unexpected argument ${stray}\n${usage}\n`);
    return { values: Object.fromEntries(parsed.values) };
  } catch (e) {
    if (e instanceof FlagParseError) return fail(`error: ${e.problem.message}\n${usage}\n`);
    throw e;
  }
}

export function isResult(x: unknown): x is CommandResult {
  return typeof x === 'object' && x !== null && 'exitCode' in x;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], flag: string, fallback: T): T | CommandResult {
  if (value === undefined) return fallback;
  if ((allowed as readonly unknown[]).includes(value)) return value as T;
  return fail(`error: invalid argument ${JSON.stringify(value)} for "${flag}" flag: must be one of ${allowed.join(', ')}\n`);
}

/** `cilium-sim matrix`: the connectivity truth tables of the current policy maps. */
export const matrixCommand: CommandHandler = (ctx, args) => {
  const parsed = parseToolFlags(
    args,
    [
      { name: 'namespace', short: 'n', kind: 'array' },
      { name: 'all-namespaces', short: 'A', kind: 'bool' },
      { name: 'port', kind: 'array' },
      { name: 'by', kind: 'string' },
      { name: 'output', short: 'o', kind: 'string' },
    ],
    MATRIX_USAGE,
  );
  if (isResult(parsed)) return parsed;
  const v = parsed.values;
  if (v['help'] === true) return ok(`${MATRIX_USAGE}\n`);
  const format = oneOf<MatrixFormat>(v['output'], MATRIX_FORMATS, '-o', 'table');
  const by = oneOf(v['by'], ['pod', 'identity'] as const, '--by', 'pod');
  if (isResult(format)) return format;
  if (isResult(by)) return by;
  const ports = matrixPorts((v['port'] as string[] | undefined) ?? []);
  if (isResult(ports)) return ports;
  const namespaces = v['all-namespaces'] === true ? 'all' : ((v['namespace'] as string[] | undefined) ?? ['default']);
  if (namespaces !== 'all' && namespaces.includes(''))
    return fail(`error: invalid argument "" for "-n" flag: a namespace name is required\n`);
  const m = connectivityMatrix(ctx.cluster, { namespaces, by, ...(ports.length === 0 ? {} : { ports }) });
  if (m.peers.length === 0)
    return fail(`No pods found in ${namespaces === 'all' ? 'any namespace' : `namespace ${namespaces.join(', ')}`}.\n`, 0);
  return ok(printMatrix(m, format));
};

/** Each `--port` as core reads it, or the flag's error in the toolkit's words (never core's field name). */
function matrixPorts(texts: readonly string[]): ReturnType<typeof parseMatrixPort>[] | CommandResult {
  const ports: ReturnType<typeof parseMatrixPort>[] = [];
  for (const text of texts) {
    try {
      ports.push(parseMatrixPort(text));
    } catch (e) {
      if (!isSimError(e)) throw e;
      return fail(`error: invalid argument "${text}" for "--port" flag: ${e.issues[0]?.message ?? e.message}\n${MATRIX_USAGE}\n`);
    }
  }
  return ports;
}

/** `cilium-sim map`: the service map of the recorded flows. */
export const mapCommand: CommandHandler = (ctx, args) => {
  const parsed = parseToolFlags(
    args,
    [
      { name: 'namespace', short: 'n', kind: 'string' },
      { name: 'all-namespaces', short: 'A', kind: 'bool' },
      { name: 'output', short: 'o', kind: 'string' },
    ],
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
  const parsed = parseToolFlags(
    args,
    [
      { name: 'from-flows', kind: 'bool' },
      { name: 'namespace', short: 'n', kind: 'string' },
      { name: 'all-namespaces', short: 'A', kind: 'bool' },
    ],
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
  if (sub === undefined) return fail(`error: cilium-sim policy requires a subcommand: suggest\n${SUGGEST_USAGE}\n`);
  return fail(`error: unknown command "${sub}" for "cilium-sim policy"\n${SUGGEST_USAGE}\n`);
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
