import { UsageError } from '../tools/usageError.ts';
import type { FlagSpec, ParsedFlags } from '../cobra/pflag.ts';
import { FlagParseError, flagString, parseFlags } from '../cobra/pflag.ts';

/**
 * kubectl's flags shared by every verb (the persistent flags of the root command), and the
 * error lines kubectl prints for bad command lines.
 */
export const GLOBAL_FLAGS: readonly FlagSpec[] = [
  { name: 'namespace', short: 'n', kind: 'string' },
  { name: 'context', kind: 'string' },
  { name: 'kubeconfig', kind: 'string' },
  { name: 'cluster', kind: 'string' },
  { name: 'user', kind: 'string' },
  { name: 'request-timeout', kind: 'string' },
  { name: 'v', short: 'v', kind: 'string' },
];

export const SELECTOR_FLAG: FlagSpec = { name: 'selector', short: 'l', kind: 'string' };
export const ALL_NAMESPACES_FLAG: FlagSpec = { name: 'all-namespaces', short: 'A', kind: 'bool' };
export const OUTPUT_FLAG: FlagSpec = { name: 'output', short: 'o', kind: 'string' };
export const FILENAME_FLAG: FlagSpec = { name: 'filename', short: 'f', kind: 'list' };
export const DRY_RUN_FLAG: FlagSpec = { name: 'dry-run', kind: 'string', noOptDefault: 'unchanged' };

/**
 * Reads a verb's flags (plus the global ones); pflag's complaints become kubectl's error lines.
 * After `--` the words of exec, run and create are a container's command; for the other verbs
 * cobra reads them as more arguments (`kubectl get pods -- web` gets web).
 */
export function kubectlFlags(verb: string, args: readonly string[], specs: readonly FlagSpec[]): ParsedFlags {
  try {
    const flags = parseFlags(args, [...GLOBAL_FLAGS, ...specs]);
    if (flags.afterDash === undefined || verb === 'exec' || verb === 'run' || verb.startsWith('create')) return flags;
    return { ...flags, positionals: [...flags.positionals, ...flags.afterDash], afterDash: undefined };
  } catch (e) {
    if (!(e instanceof FlagParseError)) throw e;
    throw new UsageError({
      code: 'INVALID_FLAG',
      object: `kubectl ${verb}`,
      path: e.problem.flag,
      message: `error: ${e.problem.message}\nSee 'kubectl ${verb} --help' for usage.`,
    });
  }
}

/** kubectl's refusal of a command that names no object (`delete`, `expose` without a resource). */
export const NO_RESOURCES_MESSAGE =
  "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

/** A command line kubectl refuses, with kubectl's own wording. */
export function kubectlError(verb: string, message: string, path?: string): UsageError {
  return new UsageError({ code: 'INVALID_COMMAND', object: `kubectl ${verb}`, ...(path === undefined ? {} : { path }), message });
}

/**
 * `-n` as given, else the context's namespace (`default`: the simulator has one context). An empty
 * `-n ''` overrides nothing, as in kubectl's client config (a script's unset `-n "$NS"`).
 */
export function namespaceOf(flags: ParsedFlags): { namespace: string; namespaceGiven: boolean } {
  const given = flagString(flags, 'namespace') || undefined;
  return { namespace: given ?? 'default', namespaceGiven: given !== undefined };
}

/** kubectl's `--dry-run`: bare means `unchanged`, which kubectl treats as client (with a warning). */
export function dryRunOf(verb: string, flags: ParsedFlags): 'none' | 'client' | 'server' {
  const raw = flagString(flags, 'dry-run');
  if (raw === undefined || raw === 'none') return 'none';
  if (raw === 'client' || raw === 'unchanged' || raw === 'true') return 'client';
  if (raw === 'server') return 'server';
  if (raw === 'false') return 'none';
  throw kubectlError(verb, `error: Invalid dry-run value (${raw}). Must be "none", "server", or "client".`, '--dry-run');
}
