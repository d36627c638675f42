import type { Target } from './targets.ts';
import { parseTargets } from './targets.ts';
import type { ResourceType } from './resources.ts';
import { resolveResourceType } from './resources.ts';
import { ALL_NAMESPACES_FLAG, SELECTOR_FLAG, kubectlError, kubectlFlags, namespaceOf } from './kubectlFlags.ts';
import { flagBool, flagString } from '../cobra/pflag.ts';
import { parseDuration } from '@cilium-sim/core';

/** `xwing`, `pod/xwing`, `ds/cilium`, `deploy/deathstar`: the pod a logs or exec command picks. */
export interface PodRef {
  readonly type: ResourceType;
  readonly name: string;
}

export interface LogsRequest {
  readonly verb: 'logs';
  readonly pod: PodRef | undefined;
  readonly selector: string | undefined;
  readonly container: string | undefined;
  readonly allContainers: boolean;
  readonly timestamps: boolean;
  /** -1: all lines (kubectl's default without a selector). */
  readonly tail: number;
  readonly sinceNs: number | undefined;
  /** `--since-time=RFC3339`: lines from that instant on. */
  readonly sinceEpochMs: number | undefined;
  readonly previous: boolean;
  readonly prefix: boolean;
  readonly namespace: string;
  readonly namespaceGiven: boolean;
}

export interface ExecRequest {
  readonly verb: 'exec';
  readonly pod: PodRef;
  readonly container: string | undefined;
  readonly stdin: boolean;
  readonly tty: boolean;
  readonly command: readonly string[];
  readonly namespace: string;
  readonly namespaceGiven: boolean;
}

export interface WaitRequest {
  readonly verb: 'wait';
  readonly targets: readonly Target[];
  /** `condition=Ready` -> { kind: 'condition', name: 'Ready', value: 'True' }. */
  readonly for:
    | { readonly kind: 'condition'; readonly name: string; readonly value: string }
    | { readonly kind: 'delete' }
    | { readonly kind: 'jsonpath'; readonly expression: string; readonly value: string };
  readonly selector: string | undefined;
  readonly all: boolean;
  readonly allNamespaces: boolean;
  readonly timeoutNs: number;
  readonly namespace: string;
  readonly namespaceGiven: boolean;
}

export interface RolloutRequest {
  readonly verb: 'rollout';
  readonly action: 'status' | 'restart';
  readonly targets: readonly Target[];
  /** `--timeout`: how long `status` waits; undefined waits for the Deployment's progress deadline. */
  readonly timeoutNs: number | undefined;
  readonly namespace: string;
  readonly namespaceGiven: boolean;
}

function podRef(verb: string, text: string): PodRef {
  const slash = text.indexOf('/');
  if (slash === -1) return { type: resolveResourceType('pods', `kubectl ${verb}`), name: text };
  return { type: resolveResourceType(text.slice(0, slash), `kubectl ${verb}`), name: text.slice(slash + 1) };
}

export function parseLogs(args: readonly string[]): LogsRequest {
  const flags = kubectlFlags('logs', args, [
    SELECTOR_FLAG,
    { name: 'container', short: 'c', kind: 'string' },
    { name: 'all-containers', kind: 'bool' },
    { name: 'timestamps', kind: 'bool' },
    { name: 'tail', kind: 'string' },
    { name: 'since', kind: 'string' },
    { name: 'since-time', kind: 'string' },
    { name: 'previous', short: 'p', kind: 'bool' },
    { name: 'prefix', kind: 'bool' },
    { name: 'follow', short: 'f', kind: 'bool' },
  ]);
  const selector = flagString(flags, 'selector');
  const podText = flags.positionals[0];
  if (podText === undefined && selector === undefined) {
    throw kubectlError(
      'logs',
      "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples",
    );
  }
  if (flagBool(flags, 'follow'))
    throw kubectlError(
      'logs',
      'error: --follow is not supported in cilium-sim: logs are printed up to the current virtual time',
      '--follow',
    );
  const tailText = flagString(flags, 'tail');
  const tailProblem =
    tailText === undefined
      ? undefined
      : !/^-?\d+$/.test(tailText)
        ? 'invalid syntax'
        : BigInt(tailText) > INT64_MAX || BigInt(tailText) < -INT64_MAX - 1n
          ? 'value out of range'
          : undefined;
  if (tailProblem !== undefined) {
    throw kubectlError(
      'logs',
      `error: invalid argument "${tailText}" for "--tail" flag: strconv.ParseInt: parsing "${tailText}": ${tailProblem}`,
      '--tail',
    );
  }
  const since = flagString(flags, 'since');
  const sinceNs = since === undefined ? undefined : durationFlag('logs', '--since', since);
  const sinceTime = sinceTimeFlag(flagString(flags, 'since-time'));
  // kubectl's own checks of the numbers, in its words.
  if (sinceTime !== undefined && sinceNs !== undefined && sinceNs !== 0)
    throw kubectlError('logs', 'error: at most one of `sinceTime` or `sinceSeconds` may be specified', '--since-time');
  if (sinceNs !== undefined && sinceNs < 0) throw kubectlError('logs', 'error: --since must be greater than 0', '--since');
  if (tailText !== undefined && Number(tailText) < -1)
    throw kubectlError('logs', 'error: --tail must be greater than or equal to -1', '--tail');
  return {
    verb: 'logs',
    pod: podText === undefined ? undefined : podRef('logs', podText),
    selector,
    container: flagString(flags, 'container'),
    allContainers: flagBool(flags, 'all-containers'),
    timestamps: flagBool(flags, 'timestamps'),
    // With a selector kubectl shows the last 10 lines of each pod unless --tail says otherwise.
    tail: tailText !== undefined ? Number(tailText) : selector !== undefined ? 10 : -1,
    // --since=0 is kubectl's unset.
    sinceNs: sinceNs === 0 ? undefined : sinceNs,
    sinceEpochMs: sinceTime,
    previous: flagBool(flags, 'previous'),
    prefix: flagBool(flags, 'prefix'),
    ...namespaceOf(flags),
  };
}

export function parseExec(args: readonly string[]): ExecRequest {
  const flags = kubectlFlags('exec', args, [
    { name: 'container', short: 'c', kind: 'string' },
    { name: 'stdin', short: 'i', kind: 'bool' },
    { name: 'tty', short: 't', kind: 'bool' },
    { name: 'quiet', short: 'q', kind: 'bool' },
  ]);
  const podText = flags.positionals[0];
  if (podText === undefined) {
    throw kubectlError(
      'exec',
      "error: expected 'exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...]'.\nPOD or TYPE/NAME is a required argument for the exec command\nSee 'kubectl exec -h' for help and examples",
    );
  }
  if (flags.positionals.length > 1) {
    throw kubectlError(
      'exec',
      "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples",
    );
  }
  const command = flags.afterDash ?? [];
  if (command.length === 0) throw kubectlError('exec', 'error: you must specify at least one command for the container');
  return {
    verb: 'exec',
    pod: podRef('exec', podText),
    // An empty -c '' names no container: kubectl then picks the default one.
    container: flagString(flags, 'container') || undefined,
    stdin: flagBool(flags, 'stdin'),
    tty: flagBool(flags, 'tty'),
    command,
    ...namespaceOf(flags),
  };
}

export function parseWait(args: readonly string[]): WaitRequest {
  const flags = kubectlFlags('wait', args, [
    SELECTOR_FLAG,
    ALL_NAMESPACES_FLAG,
    { name: 'for', kind: 'string' },
    { name: 'all', kind: 'bool' },
    { name: 'timeout', kind: 'string' },
  ]);
  const forText = flagString(flags, 'for');
  if (forText === undefined) throw kubectlError('wait', 'error: --for must be specified', '--for');
  const timeoutText = flagString(flags, 'timeout') ?? '30s';
  const timeoutNs = waitBound('wait', timeoutText, durationFlag('wait', '--timeout', timeoutText));
  const targets = parseTargets('wait', flags.positionals);
  if (targets.length === 0) throw kubectlError('wait', 'error: resource(s) were provided, but no name was specified');
  return {
    verb: 'wait',
    targets,
    for: parseFor(forText),
    selector: flagString(flags, 'selector'),
    all: flagBool(flags, 'all'),
    allNamespaces: flagBool(flags, 'all-namespaces'),
    timeoutNs,
    ...namespaceOf(flags),
  };
}

/** The longest wait: kubectl's week, what it waits for a negative `--timeout`. */
export const MAX_WAIT_NS = 7 * 24 * 3600e9;

/**
 * A wait runs the virtual clock, and every step of it is bounded, so a wait of any length up to
 * a week ends; a longer one is refused rather than silently cut short. Negative is kubectl's week.
 */
function waitBound(verb: string, text: string, ns: number): number {
  if (ns < 0) return MAX_WAIT_NS;
  if (ns <= MAX_WAIT_NS) return ns;
  throw kubectlError(
    verb,
    `error: --timeout=${text} is longer than cilium-sim waits on its virtual clock (at most 168h, kubectl's week); wait in steps or use a shorter timeout`,
    '--timeout',
  );
}

/** A Go duration flag (`30s`, `2m`), with pflag's message when it is not one. */
const INT64_MAX = 2n ** 63n - 1n;

/** `--since-time`: an RFC 3339 time (kubectl parses it as Go's time.RFC3339), as epoch milliseconds. */
function sinceTimeFlag(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms))
    throw kubectlError(
      'logs',
      `error: parsing time "${text}" as "2006-01-02T15:04:05Z07:00": cannot parse "${text}" as an RFC 3339 time`,
      '--since-time',
    );
  return ms;
}

function durationFlag(verb: string, flag: string, text: string): number {
  try {
    return parseDuration(text, flag);
  } catch {
    throw kubectlError(verb, `error: invalid argument "${text}" for "${flag}" flag: time: invalid duration "${text}"`, flag);
  }
}

/**
 * `--for=jsonpath='{.status.phase}'=Running`: an expression (braces optional, as kubectl relaxes
 * it) and the value it must print; kubectl 1.29 requires the value.
 */
function parseJsonPathFor(input: string): WaitRequest['for'] {
  const m = /^(\{.*\}|[^=]+)=(.*)$/s.exec(input);
  if (m === null || m[2] === '')
    throw kubectlError('wait', "error: jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3", '--for');
  const expression = m[1]!.startsWith('{') ? m[1]! : `{${m[1]!.startsWith('.') ? '' : '.'}${m[1]}}`;
  return { kind: 'jsonpath', expression, value: m[2]!.replace(/^['"]|['"]$/g, '') };
}

/** `--for=condition=Ready`, `--for=condition=Available=true`, `--for=delete`, `--for=jsonpath=...`. */
function parseFor(text: string): WaitRequest['for'] {
  if (text === 'delete') return { kind: 'delete' };
  if (text.startsWith('jsonpath=')) return parseJsonPathFor(text.slice('jsonpath='.length));
  const m = /^condition=([^=]+)(?:=(.*))?$/.exec(text);
  if (m)
    return {
      kind: 'condition',
      name: m[1]!,
      value: m[2] === undefined ? 'True' : m[2].toLowerCase() === 'true' ? 'True' : m[2].toLowerCase() === 'false' ? 'False' : m[2],
    };
  throw kubectlError('wait', `error: unrecognized condition: "${text}"`, '--for');
}

export function parseRollout(args: readonly string[]): RolloutRequest {
  const flags = kubectlFlags('rollout', args, [
    { name: 'watch', short: 'w', kind: 'bool' },
    { name: 'timeout', kind: 'string' },
  ]);
  const [action, ...rest] = flags.positionals;
  if (action !== 'status' && action !== 'restart') {
    throw kubectlError(
      'rollout',
      action === undefined ? 'error: Required resource not specified.' : `error: unknown command "${action}" for "kubectl rollout"`,
    );
  }
  const targets = parseTargets(`rollout ${action}`, rest);
  if (targets.length === 0 || targets.every((t) => t.names.length === 0)) {
    throw kubectlError('rollout', 'error: required resource not specified');
  }
  const timeout = flagString(flags, 'timeout');
  return {
    verb: 'rollout',
    action,
    targets,
    timeoutNs:
      timeout === undefined || timeout === '0s' || timeout === '0'
        ? undefined
        : waitBound('rollout', timeout, durationFlag('rollout', '--timeout', timeout)),
    ...namespaceOf(flags),
  };
}
