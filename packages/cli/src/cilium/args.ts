import { isSimError, parseDuration } from '@cilium-sim/core';
import { UsageError } from '../tools/usageError.ts';
import { withoutPersistentFlags } from './persistentFlags.ts';
import type { FlagSpec, ParsedFlags } from '../cobra/pflag.ts';
import { FlagParseError, flagBool, flagList, flagString, parseFlags } from '../cobra/pflag.ts';

/**
 * The `cilium` command line: cilium-cli on the host (`cilium status`, `cilium config ...`) and
 * the agent's debug CLI in the agent pod (`cilium-dbg endpoint list`; `cilium` in images before
 * 1.15). Both are cobra programs, so flags read as pflag reads them.
 */
export type CiliumBinary = 'cilium' | 'cilium-dbg';

/**
 * Which program answers: cilium-cli on the host (`cilium status` is its box), or the agent's
 * debug CLI (`cilium-dbg status` is the agent's report). On the host the simulator also takes
 * the agent's verbs (`cilium endpoint list`), answered cluster-wide.
 */
export type CiliumTool = 'cli' | 'agent';

export interface PolicyTracePort {
  readonly port: number;
  /** `TCP` when `--dport 80` gives no protocol. */
  readonly protocol: 'TCP' | 'UDP' | 'SCTP' | 'ANY';
}

export type CiliumRequest =
  | { readonly command: 'status'; readonly binary: CiliumBinary; readonly wait: boolean; readonly brief: boolean }
  | { readonly command: 'config-view'; readonly binary: CiliumBinary }
  | {
      readonly command: 'config-set';
      readonly binary: CiliumBinary;
      readonly key: string;
      readonly value: string;
      readonly restart: boolean;
    }
  | { readonly command: 'config-delete'; readonly binary: CiliumBinary; readonly key: string; readonly restart: boolean }
  | { readonly command: 'endpoint-list'; readonly binary: CiliumBinary; readonly json: boolean; readonly noHeaders: boolean }
  | { readonly command: 'endpoint-get'; readonly binary: CiliumBinary; readonly id: string }
  | { readonly command: 'identity-list'; readonly binary: CiliumBinary; readonly endpoints: boolean; readonly json: boolean }
  | { readonly command: 'identity-get'; readonly binary: CiliumBinary; readonly id: string }
  | { readonly command: 'encrypt-status'; readonly binary: CiliumBinary }
  | {
      readonly command: 'encryption-status';
      readonly binary: CiliumBinary;
      readonly json: boolean;
      readonly perNodeDetails: boolean;
      readonly node: string | undefined;
    }
  | {
      readonly command: 'policy-trace';
      readonly binary: CiliumBinary;
      /** `--src-k8s-pod default:xwing` -> { namespace: 'default', name: 'xwing' }. */
      readonly srcPod: { readonly namespace: string; readonly name: string } | undefined;
      readonly dstPod: { readonly namespace: string; readonly name: string } | undefined;
      readonly srcIdentity: number | undefined;
      readonly dstIdentity: number | undefined;
      readonly srcLabels: readonly string[];
      readonly dstLabels: readonly string[];
      readonly dports: readonly PolicyTracePort[];
      readonly verbose: boolean;
    }
  | { readonly command: 'bpf-egress-list'; readonly binary: CiliumBinary; readonly json: boolean }
  | { readonly command: 'version'; readonly binary: CiliumBinary; readonly client: boolean };

type Leaf = (binary: CiliumBinary, args: readonly string[], path: string) => CiliumRequest;
/** A command word's subcommands, as cobra nests them. */
interface CommandTree {
  readonly [word: string]: Leaf | CommandTree;
}

const OUTPUT: FlagSpec = { name: 'output', short: 'o', kind: 'string' };

const TREE: CommandTree = {
  status: (binary, args, path) => {
    // cilium-cli's status has no --brief (pflag refuses it); the agent's cilium-dbg status has one.
    const brief: FlagSpec[] = binary === 'cilium-dbg' ? [{ name: 'brief', kind: 'bool' }] : [];
    const f = flags(path, args, [{ name: 'wait', kind: 'bool' }, ...brief, { name: 'wait-duration', kind: 'string' }, OUTPUT]);
    checkWaitDuration(path, f);
    const output = flagString(f, 'output') ?? 'summary';
    if (output !== 'summary')
      throw usage(
        path,
        output === 'json'
          ? `Error: ${path} -o json is not modelled in cilium-sim; the summary is`
          : `Error: unknown output format "${output}"; use summary or json`,
        '--output',
      );
    return { command: 'status', binary, wait: flagBool(f, 'wait'), brief: flagBool(f, 'brief') };
  },
  version: (binary, args, path) => {
    const f = flags(path, args, [{ name: 'client', kind: 'bool' }]);
    return { command: 'version', binary, client: flagBool(f, 'client') };
  },
  config: {
    view: (binary, args, path) => {
      exactArgs(path, flags(path, args, []), 0);
      return { command: 'config-view', binary };
    },
    set: (binary, args, path) => {
      const f = flags(path, args, [{ name: 'restart', short: 'r', kind: 'bool' }]);
      const [key, value] = exactArgs(path, f, 2);
      return { command: 'config-set', binary, key: key!, value: value!, restart: f.values.get('restart') !== false };
    },
    delete: (binary, args, path) => {
      const f = flags(path, args, [{ name: 'restart', short: 'r', kind: 'bool' }]);
      const [key] = exactArgs(path, f, 1);
      return { command: 'config-delete', binary, key: key!, restart: f.values.get('restart') !== false };
    },
  },
  endpoint: {
    list: endpointList,
    ls: endpointList,
    get: (binary, args, path) => ({ command: 'endpoint-get', binary, id: exactArgs(path, flags(path, args, [OUTPUT]), 1)[0]! }),
  },
  identity: {
    list: (binary, args, path) => {
      const f = flags(path, args, [{ name: 'endpoints', kind: 'bool' }, OUTPUT]);
      tableOnly(path, f);
      return { command: 'identity-list', binary, endpoints: flagBool(f, 'endpoints'), json: false };
    },
    get: (binary, args, path) => ({ command: 'identity-get', binary, id: exactArgs(path, flags(path, args, [OUTPUT]), 1)[0]! }),
  },
  encrypt: {
    status: (binary, args, path) => {
      tableOnly(path, flags(path, args, [OUTPUT]));
      return { command: 'encrypt-status', binary };
    },
  },
  policy: { trace: policyTrace },
  bpf: {
    egress: {
      list: (binary, args, path) => {
        const f = flags(path, args, [OUTPUT]);
        return { command: 'bpf-egress-list', binary, json: flagString(f, 'output') === 'json' };
      },
    },
  },
};

/** cilium-cli's own verbs, on the host only. */
const CLI_TREE: CommandTree = {
  encryption: {
    status: (binary, args, path) => {
      const f = flags(path, args, [
        OUTPUT,
        { name: 'node', kind: 'string' },
        { name: 'per-node-details', kind: 'bool' },
        { name: 'wait-duration', kind: 'string' },
      ]);
      checkWaitDuration(path, f);
      const output = flagString(f, 'output') ?? 'summary';
      if (output !== 'summary' && output !== 'json')
        throw usage(path, `Error: unknown output format "${output}"; use summary or json`, '--output');
      return {
        command: 'encryption-status',
        binary,
        json: output === 'json',
        perNodeDetails: flagBool(f, 'per-node-details'),
        node: flagString(f, 'node'),
      };
    },
  },
};

/**
 * The real programs' commands the simulator leaves out, with what to do instead: asked for,
 * they say so in the tool's own error style (exit 1) rather than "unknown command".
 */
const NOT_MODELLED: Readonly<Record<CiliumTool, Readonly<Record<string, string>>>> = {
  cli: {
    install: 'the simulated cluster comes with Cilium installed; pick its version with cilium-sim --cilium-version',
    upgrade: 'pick the Cilium version with cilium-sim --cilium-version, and change options with cilium config set',
    uninstall: 'the simulated cluster always runs Cilium',
    connectivity: 'send traffic with kubectl exec POD -- curl ..., and read the verdicts with hubble observe',
    clustermesh: 'the simulator runs one cluster',
    hubble: 'Hubble and Hubble Relay already run; use hubble observe',
    bgp: '',
    multicast: '',
    sysdump: '',
    features: '',
    context: '',
  },
  agent: {
    bpf: '',
    'build-config': '',
    cgroups: '',
    cleanup: '',
    debuginfo: '',
    envoy: '',
    fqdn: '',
    ip: '',
    kvstore: '',
    lrp: '',
    map: '',
    metrics: '',
    monitor: 'watch the datapath with hubble observe',
    node: '',
    nodeid: '',
    prefilter: '',
    preflight: '',
    recorder: '',
    service: '',
    shell: '',
    statedb: '',
    troubleshoot: '',
  },
};

function endpointList(binary: CiliumBinary, args: readonly string[], path: string): CiliumRequest {
  const f = flags(path, args, [OUTPUT, { name: 'no-headers', kind: 'bool' }]);
  tableOnly(path, f);
  return { command: 'endpoint-list', binary, json: false, noHeaders: flagBool(f, 'no-headers') };
}

/**
 * A command whose `-o json|yaml|jsonpath=...` (cilium-dbg's output option) the simulator does not
 * print: refused by name rather than answered with the table, which a script would misread.
 */
function tableOnly(path: string, f: ParsedFlags): void {
  const output = flagString(f, 'output');
  if (output !== undefined) throw usage(path, `Error: ${path} -o ${output} is not modelled in cilium-sim; its plain output is`, '--output');
}

/**
 * Parses `cilium ...` / `cilium-dbg ...` (argv without the binary). Bad command lines throw a
 * UsageError with cobra's wording (`Error: unknown command "x" for "cilium"`), exit status 1;
 * commands of the real tool the simulator leaves out say they are not modelled.
 */
export function parseCilium(binary: CiliumBinary, words: readonly string[], tool: CiliumTool = 'cli'): CiliumRequest {
  const tree: CommandTree = tool === 'cli' ? { ...TREE, ...CLI_TREE } : TREE;
  const argv = tool === 'cli' ? withoutPersistentFlags(words) : words;
  const [first, second] = argv;
  // A command group the simulator models in part (`bpf egress`) is not modelled for its other words.
  const group = first === undefined ? undefined : tree[first];
  const modelled = group !== undefined && (typeof group === 'function' || (second !== undefined && Object.hasOwn(group, second)));
  if (first !== undefined && !modelled && Object.hasOwn(NOT_MODELLED[tool], first))
    throw notModelled(binary, argv, NOT_MODELLED[tool][first]!);
  let node: Leaf | CommandTree = tree;
  let path: string = binary;
  let i = 0;
  while (typeof node !== 'function') {
    const word = argv[i];
    if (word === undefined || word.startsWith('-')) {
      throw usage(path, `Error: ${path} requires a subcommand: ${Object.keys(node).join(', ')}\nRun '${path} --help' for usage.`);
    }
    // Own words only: `cilium toString` is an unknown command, not Object.prototype's method.
    const next: Leaf | CommandTree | undefined = Object.hasOwn(node, word) ? node[word] : undefined;
    if (next === undefined) throw usage(path, `Error: unknown command "${word}" for "${path}"\nRun '${path} --help' for usage.`, word);
    node = next;
    path = `${path} ${word}`;
    i++;
  }
  return node(binary, argv.slice(i), path);
}

/** `Error: "cilium install" is not modelled by cilium-sim; the simulated cluster comes with ...`. */
function notModelled(binary: CiliumBinary, argv: readonly string[], hint: string): UsageError {
  const sub = argv[1] !== undefined && !argv[1].startsWith('-') ? [argv[1]] : [];
  const command = [binary, argv[0], ...sub].join(' ');
  return usage(binary, `Error: "${command}" is not modelled by cilium-sim${hint === '' ? '' : `; ${hint}`}`, argv[0]);
}

function flags(path: string, args: readonly string[], specs: readonly FlagSpec[]): ParsedFlags {
  try {
    return parseFlags(args, specs);
  } catch (e) {
    if (!(e instanceof FlagParseError)) throw e;
    throw new UsageError({
      code: 'INVALID_FLAG',
      object: path,
      path: e.problem.flag,
      message: `Error: ${e.problem.message}\nRun '${path} --help' for usage.`,
    });
  }
}

/** cobra's ExactArgs. */
function exactArgs(path: string, f: ParsedFlags, n: number): readonly string[] {
  if (f.positionals.length !== n) throw usage(path, `Error: accepts ${n} arg(s), received ${f.positionals.length}`);
  return f.positionals;
}

/** `--wait-duration` is a Go duration: pflag refuses anything time.ParseDuration does not read. */
function checkWaitDuration(path: string, f: ParsedFlags): void {
  const text = flagString(f, 'wait-duration');
  if (text === undefined) return;
  try {
    parseDuration(text);
  } catch (e) {
    if (!isSimError(e)) throw e;
    throw usage(
      path,
      `Error: invalid argument "${text}" for "--wait-duration" flag: time: invalid duration "${text}"\nRun '${path} --help' for usage.`,
      '--wait-duration',
    );
  }
}

function usage(path: string, message: string, at?: string): UsageError {
  return new UsageError({ code: 'INVALID_COMMAND', object: path, ...(at === undefined ? {} : { path: at }), message });
}

function policyTrace(binary: CiliumBinary, args: readonly string[], path: string): CiliumRequest {
  const f = flags(path, args, [
    { name: 'src', short: 's', kind: 'list' },
    { name: 'dst', short: 'd', kind: 'list' },
    { name: 'src-identity', kind: 'string' },
    { name: 'dst-identity', kind: 'string' },
    { name: 'src-k8s-pod', kind: 'string' },
    { name: 'dst-k8s-pod', kind: 'string' },
    { name: 'dport', kind: 'list' },
    { name: 'verbose', short: 'v', kind: 'bool' },
  ]);
  return {
    command: 'policy-trace',
    binary,
    srcPod: k8sPod(path, '--src-k8s-pod', flagString(f, 'src-k8s-pod')),
    dstPod: k8sPod(path, '--dst-k8s-pod', flagString(f, 'dst-k8s-pod')),
    srcIdentity: identity(path, '--src-identity', flagString(f, 'src-identity')),
    dstIdentity: identity(path, '--dst-identity', flagString(f, 'dst-identity')),
    srcLabels: flagList(f, 'src'),
    dstLabels: flagList(f, 'dst'),
    dports: flagList(f, 'dport').map((d) => dport(path, d)),
    verbose: flagBool(f, 'verbose'),
  };
}

/** `namespace:pod`; a bare pod name is in `default`, as cilium's trace assumed. */
function k8sPod(path: string, flag: string, text: string | undefined): { namespace: string; name: string } | undefined {
  if (text === undefined) return undefined;
  const [ns, name, extra] = text.split(':');
  if (extra !== undefined || ns === '' || name === '')
    throw usage(path, `Error: invalid ${flag} "${text}": expected <namespace>:<pod>`, flag);
  return name === undefined ? { namespace: 'default', name: ns! } : { namespace: ns!, name };
}

function identity(path: string, flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text))
    throw usage(path, `Error: invalid argument "${text}" for "${flag}" flag: strconv.ParseInt: parsing "${text}": invalid syntax`, flag);
  return Number(text);
}

/** `80`, `80/TCP`, `53/udp`. */
function dport(path: string, text: string): PolicyTracePort {
  const m = /^(\d{1,5})(?:\/(tcp|udp|sctp|any))?$/i.exec(text);
  const port = m ? Number(m[1]) : NaN;
  if (!m || port < 1 || port > 65535)
    throw usage(
      path,
      `Error: invalid argument "${text}" for "--dport" flag: expected <port>[/<protocol>] with a port 1-65535 and protocol TCP, UDP, SCTP or ANY`,
      '--dport',
    );
  return { port, protocol: (m[2]?.toUpperCase() ?? 'TCP') as PolicyTracePort['protocol'] };
}
