import type { DescribeRequest, GetRequest } from './getArgs.ts';
import { parseDescribe, parseGet } from './getArgs.ts';
import type { ApplyRequest, DeleteRequest } from './changeArgs.ts';
import { parseApply, parseDelete } from './changeArgs.ts';
import type { LabelRequest, RunRequest, ScaleRequest } from './editArgs.ts';
import { parseAnnotate, parseLabel, parseRun, parseScale } from './editArgs.ts';
import { generatorOf, type GenerateRequest } from './createArgs.ts';
import { parseExpose, type ExposeRequest } from './exposeArgs.ts';
import type { ExecRequest, LogsRequest, RolloutRequest, WaitRequest } from './podArgs.ts';
import { parseExec, parseLogs, parseRollout, parseWait } from './podArgs.ts';
import { kubectlError, kubectlFlags } from './kubectlFlags.ts';
import { flagBool, flagString } from '../cobra/pflag.ts';
import { parseKubeconfig, type KubeconfigRequest } from './kubeconfig.ts';

export interface VersionRequest {
  readonly verb: 'version';
  readonly client: boolean;
  readonly output: 'json' | 'yaml' | undefined;
}

export interface ClusterInfoRequest {
  readonly verb: 'cluster-info';
}

/** Everything `kubectl ...` can ask for, discriminated by `verb`. */
export type KubectlRequest =
  | ApplyRequest
  | GenerateRequest
  | ExposeRequest
  | DeleteRequest
  | GetRequest
  | DescribeRequest
  | LabelRequest
  | ScaleRequest
  | RunRequest
  | LogsRequest
  | ExecRequest
  | WaitRequest
  | RolloutRequest
  | VersionRequest
  | ClusterInfoRequest
  | KubeconfigRequest;

const VERBS: Readonly<Record<string, (args: readonly string[]) => KubectlRequest>> = {
  apply: (a) => parseApply('apply', a),
  // `create -f FILE` applies files; `create namespace|deployment|...` builds the object.
  create: (a) => generatorOf(a)?.(a) ?? parseApply('create', a),
  expose: parseExpose,
  annotate: parseAnnotate,
  delete: parseDelete,
  get: parseGet,
  describe: parseDescribe,
  label: parseLabel,
  scale: parseScale,
  run: parseRun,
  logs: parseLogs,
  exec: parseExec,
  wait: parseWait,
  rollout: parseRollout,
  version: parseVersion,
  'cluster-info': () => ({ verb: 'cluster-info' }),
  config: parseKubeconfig,
};

/**
 * Parses a kubectl command line (argv without `kubectl`) into a typed request. Pure: nothing is
 * looked up in the cluster, so an unknown pod is the caller's NotFound, not a parse error.
 * Bad command lines throw a UsageError carrying kubectl's own message and exit status 1.
 *
 * @example parseKubectl(['get', 'pods', '-n', 'kube-system']) // { verb: 'get', targets: [pods], namespace: 'kube-system', ... }
 */
export function parseKubectl(argv: readonly string[]): KubectlRequest {
  const at = verbIndex(argv);
  if (at === -1) {
    const last = argv[argv.length - 1];
    if (last?.startsWith('-') && takesSeparateValue(last))
      throw kubectlError('', `error: flag needs an argument: ${last.startsWith('--') ? last : `'${last.slice(1)}' in ${last}`}`, last);
    throw kubectlError('', 'error: no command given: try "kubectl get pods"');
  }
  const verb = argv[at]!;
  const parse = VERBS[verb];
  if (parse === undefined) {
    throw kubectlError(verb, `error: unknown command "${verb}" for "kubectl"`, verb);
  }
  // Global flags may come before the verb (`kubectl -n kube-system get pods`).
  return parse([...argv.slice(0, at), ...argv.slice(at + 1)]);
}

/** The verb is the first word that is neither a flag nor a global flag's value. */
function verbIndex(argv: readonly string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return -1;
    if (!a.startsWith('-') || a === '-') return i;
    if (takesSeparateValue(a)) i++;
  }
  return -1;
}

/**
 * As cobra finds a subcommand: a flag before the verb takes the next word as its value unless
 * it has `=` or is a known boolean flag, so local flags may come first too
 * (`kubectl -n kube-system -c cilium-agent logs POD`).
 */
function takesSeparateValue(flag: string): boolean {
  if (flag.includes('=')) return false;
  return !BOOLEAN_FLAGS.has(flag);
}

const BOOLEAN_FLAGS = new Set([
  '-A',
  '--all-namespaces',
  '--all',
  '--show-labels',
  '--no-headers',
  '--overwrite',
  '-i',
  '-t',
  '-it',
  '-ti',
  '--stdin',
  '--tty',
  '--timestamps',
  '--prefix',
  '-p',
  '--previous',
  '-w',
  '--watch',
  '-f',
  '--follow',
  '--ignore-not-found',
  '--rm',
  '--command',
  '--all-containers',
  '--server-side',
  '-R',
  '--recursive',
  '--client',
]);

function parseVersion(args: readonly string[]): VersionRequest {
  const flags = kubectlFlags('version', args, [
    { name: 'client', kind: 'bool' },
    { name: 'output', short: 'o', kind: 'string' },
  ]);
  const output = flagString(flags, 'output');
  if (output !== undefined && output !== 'json' && output !== 'yaml') {
    throw kubectlError('version', `error: --output must be 'yaml' or 'json'`, '--output');
  }
  return { verb: 'version', client: flagBool(flags, 'client'), output };
}
