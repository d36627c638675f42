import type { Endpoint } from '../agent/endpoint.ts';
import { describeValue, SimError } from '../errors.ts';
import { checkOptionNames } from './optionNames.ts';
import type { Rng } from '../sim/rng.ts';
import { NS_PER_MS } from '../sim/duration.ts';
import type { Scheduler } from '../sim/scheduler.ts';
import type { ProcessOrigin } from '../tetragon/processCache.ts';
import type { ProcessInfo } from '../tetragon/runtimeEvent.ts';
import type { Tetragon, TracedProcess } from '../tetragon/tetragon.ts';
import { startCurl, type CurlOptions, type CurlResult, type WorkloadToolEnv } from '../workload/curl.ts';
import type { DnsRcode } from '../datapath/packet.ts';
import { resolveName, type ResolvConf } from '../workload/dnsResolver.ts';
import { MAX_NC_SEGMENTS, runNc, type NcOptions, type NcResult } from '../workload/nc.ts';
import type { WorkloadStack } from '../workload/workloadStack.ts';
import type { Network } from '../runtime/network.ts';

export type NslookupResult =
  | { readonly ok: true; readonly server: string; readonly name: string; readonly ips: readonly string[]; readonly ttl: number }
  | { readonly ok: false; readonly server: string; readonly rcode: DnsRcode | 'timeout' };

/** Runs workload commands from one network namespace: a pod, a node's host, or outside. */
export interface WorkloadExec {
  /** The address the commands run from. */
  readonly ip: string;
  curl(opts: CurlOptions | string): CurlResult;
  nc(opts: NcOptions): NcResult;
  nslookup(name: string, server?: string): NslookupResult;
  /**
   * Starts `argv` as a process here (Tetragon's process_exec); its `curl`, `nc` and `nslookup`
   * run as that process, so their connections are its. Call `exit` with its status when it ends.
   * A tool called on the exec itself is a process of its own: `curl http://x` is
   * `spawn(['curl', 'http://x'])`, the curl, and its exit.
   */
  spawn(argv: readonly string[]): WorkloadProcess;
}

/** A process started with `spawn`: the tools it runs, its children, its exit. */
export interface WorkloadProcess extends WorkloadExec {
  /** Tetragon's record of the process (PID, exec ID, binary), or undefined when the cluster runs no Tetragon. */
  readonly info: ProcessInfo | undefined;
  /** Replaces the process's program without a fork (same PID), as `sh -c CMD` does with one command. */
  exec(argv: readonly string[]): WorkloadProcess;
  /** The process ended with `status` (Tetragon's process_exit); later calls do nothing. */
  exit(status: number): void;
}

export interface ExecEnv {
  /** Runs one command of the cluster (see cluster/command.ts). */
  command<T>(name: string, fn: () => T): T;
  readonly scheduler: Scheduler;
  readonly rng: Rng;
  readonly network: Network;
}

/** Where commands run as Tetragon sees them: its agents, and the node and container. */
export interface ExecTracing {
  readonly tetragon: Tetragon;
  readonly origin: ProcessOrigin;
}

/** How long after a command's answer its last packets may still be travelling. */
const SETTLE_NS = 50 * NS_PER_MS;

/** A command started on the virtual clock: `ended` once `result` holds its outcome. */
interface Job<T> {
  readonly ended: boolean;
  readonly result: T | undefined;
}

/**
 * Runs a started command to completion on the virtual clock: runs events until it reports back.
 * Time moves by what the command took (a timeout moves it by the timeout).
 */
function finish<T>(scheduler: Scheduler, job: Job<T>): T {
  scheduler.runUntilEnded(job);
  if (!job.ended) throw new Error('invariant violated: a workload command ended without a result');
  // The command has its answer; packets still on the wire (FIN, last ACK) arrive before the next one starts.
  scheduler.settle(SETTLE_NS);
  return job.result as T;
}

/** Schedules a command that reports back through a callback, then runs it to completion (see finish). */
function runToCompletion<T>(scheduler: Scheduler, start: (done: (r: T) => void) => void): T {
  const outcome = new Outcome<T>();
  start(outcome.done);
  return finish(scheduler, outcome);
}

/** A command's result once it reports back (the last report stands): one object, its callback made with it. */
class Outcome<T> implements Job<T> {
  ended = false;
  result: T | undefined = undefined;
  readonly done: (r: T) => void;

  constructor() {
    // Assigned here rather than as a field initializer, which a build that keeps function names
    // would wrap in a naming call for every command.
    this.done = (r) => {
      this.ended = true;
      this.result = r;
    };
  }
}

export function workloadExec(env: ExecEnv, stack: WorkloadStack, resolvConf: ResolvConf, tracing?: ExecTracing): WorkloadExec {
  return new NamespaceCommands(env, stack, resolvConf, tracing, undefined);
}

/**
 * The tools of one network namespace, run as `proc` (a process `spawn` started), or each as a
 * process of its own when `proc` is undefined. A class: every exec into a pod makes one, and
 * methods on a prototype cost nothing per exec.
 */
class NamespaceCommands implements WorkloadExec {
  readonly ip: string;
  protected readonly env: ExecEnv;
  protected readonly stack: WorkloadStack;
  protected readonly resolvConf: ResolvConf;
  protected readonly tracing: ExecTracing | undefined;
  protected readonly proc: TracedProcess | undefined;
  readonly #base: WorkloadToolEnv;

  constructor(
    env: ExecEnv,
    stack: WorkloadStack,
    resolvConf: ResolvConf,
    tracing: ExecTracing | undefined,
    proc: TracedProcess | undefined,
  ) {
    this.ip = stack.ip;
    this.env = env;
    this.stack = stack;
    this.resolvConf = resolvConf;
    this.tracing = tracing;
    this.proc = proc;
    const { datapath } = env.network;
    this.#base =
      tracing === undefined || proc === undefined
        ? { datapath, scheduler: env.scheduler, rng: env.rng, resolvConf }
        : {
            datapath,
            scheduler: env.scheduler,
            rng: env.rng,
            resolvConf,
            onConnect: (sport: number, daddr: string, dport: number) =>
              tracing.tetragon.connect(proc, { saddr: stack.ip, sport, daddr, dport }),
          };
  }

  curl(opts: CurlOptions | string): CurlResult {
    const o = typeof opts === 'string' ? { url: opts } : opts;
    if (typeof o !== 'object' || o === null || typeof o.url !== 'string')
      throw optionsError('curl', 'url', `expected a URL or { url, ... }, received ${describeValue(opts)}`);
    checkCurlOptions(o);
    // Where #own would simply run it (inside a process, or without Tetragon): no closures for the argv and status.
    if (this.proc !== undefined || this.tracing === undefined)
      return this.env.command('exec', () => finish(this.env.scheduler, startCurl(this.#base, this.stack, o)));
    return this.#own(
      () => curlArgv(o),
      (r: CurlResult) => (r.kind === 'response' ? 0 : r.code),
      (w) => w.curl(o),
      () => finish(this.env.scheduler, startCurl(this.#base, this.stack, o)),
    );
  }

  nc(opts: NcOptions): NcResult {
    if (
      typeof opts !== 'object' ||
      opts === null ||
      typeof opts.host !== 'string' ||
      !Number.isInteger(opts.port) ||
      opts.port < 0 ||
      opts.port > 65535
    ) {
      throw optionsError('nc', 'port', `expected { host, port } with a port 0..65535, received ${describeValue(opts)}`);
    }
    checkOptionNames('nc', opts, NC_OPTIONS);
    checkBoolean('nc', 'udp', opts.udp);
    checkTimeout('nc', 'timeoutS', opts.timeoutS, 1000);
    const segments = opts.segments;
    if (segments !== undefined && !(Number.isInteger(segments) && segments >= 0 && segments <= MAX_NC_SEGMENTS))
      throw optionsError(
        'nc',
        'segments',
        `expected a whole number of segments from 0 to ${MAX_NC_SEGMENTS}, received ${describeValue(segments)}`,
      );
    return this.#own(
      () => ncArgv(opts),
      (r: NcResult) => (r.ok ? 0 : 1),
      (w) => w.nc(opts),
      () => runToCompletion<NcResult>(this.env.scheduler, (done) => runNc(this.#base, this.stack, opts, done)),
    );
  }

  nslookup(name: string, server?: string): NslookupResult {
    if (typeof name !== 'string' || name === '')
      throw optionsError('nslookup', 'name', `expected a host name, received ${describeValue(name)}`);
    if (server !== undefined && (typeof server !== 'string' || server === ''))
      throw optionsError('nslookup', 'server', `expected a name server, received ${describeValue(server)}`);
    const conf: ResolvConf = server === undefined ? this.resolvConf : { ...this.resolvConf, nameserver: server };
    const { scheduler, rng } = this.env;
    return this.#own(
      () => ['nslookup', name, ...(server === undefined ? [] : [server])],
      (r: NslookupResult) => (r.ok ? 0 : 1),
      (w) => w.nslookup(name, server),
      () =>
        runToCompletion<NslookupResult>(scheduler, (done) =>
          resolveName(this.stack, scheduler, rng, name, conf, {
            onResolved: (found, ips, ttl) => done({ ok: true, server: conf.nameserver, name: found, ips, ttl }),
            onUnresolved: (rcode) => done({ ok: false, server: conf.nameserver, rcode }),
          }),
        ),
    );
  }

  spawn(argv: readonly string[]): WorkloadProcess {
    return this.startProcess(argv, this.proc, false);
  }

  /** Starts `argv` as a child of `parent`, or in its place (`replace`, an exec without fork). */
  protected startProcess(argv: readonly string[], parent: TracedProcess | undefined, replace: boolean): WorkloadProcess {
    const traced = this.tracing?.tetragon.exec(this.tracing.origin, argv, parent, replace);
    return new ProcessCommands(this.env, this.stack, this.resolvConf, this.tracing, traced);
  }

  /**
   * A tool called outside any process is a process of its own: started, run, and ended with the
   * status the tool exits with. Inside one (or without Tetragon) it simply runs.
   */
  #own<T>(argv: () => readonly string[], status: (r: T) => number, run: (w: WorkloadExec) => T, direct: () => T): T {
    if (this.proc !== undefined || this.tracing === undefined) return this.env.command('exec', direct);
    const child = this.startProcess(argv(), undefined, false);
    const r = run(child);
    child.exit(status(r));
    return r;
  }
}

/** A process `spawn` started: its tools run as it, its children, its exit. */
class ProcessCommands extends NamespaceCommands implements WorkloadProcess {
  readonly info: ProcessInfo | undefined;
  #exited = false;

  constructor(
    env: ExecEnv,
    stack: WorkloadStack,
    resolvConf: ResolvConf,
    tracing: ExecTracing | undefined,
    proc: TracedProcess | undefined,
  ) {
    super(env, stack, resolvConf, tracing, proc);
    this.info = proc?.info;
  }

  exec(argv: readonly string[]): WorkloadProcess {
    // The old image is gone without an exit of its own; the new one exits for both.
    this.#exited = true;
    return this.startProcess(argv, this.proc, true);
  }

  exit(status: number): void {
    if (this.#exited) return;
    this.#exited = true;
    if (this.proc !== undefined) this.tracing!.tetragon.exit(this.proc, status);
  }
}

/** The command line a library call of curl stands for, as `tetra getevents` shows it. */
function curlArgv(o: CurlOptions): string[] {
  const seconds = (ms: number): string => String(ms / 1000);
  return [
    'curl',
    ...(o.method === undefined ? [] : ['-X', o.method]),
    ...(o.headers ?? []).flatMap(([k, v]) => ['-H', `${k}: ${v}`]),
    ...(o.data === undefined ? [] : ['-d', o.data]),
    ...(o.connectTimeoutMs === undefined ? [] : ['--connect-timeout', seconds(o.connectTimeoutMs)]),
    ...(o.maxTimeMs === undefined ? [] : ['-m', seconds(o.maxTimeMs)]),
    ...(o.resolve ?? []).flatMap((r) => ['--resolve', `${r.host}:${r.port}:${r.ip}`]),
    o.url,
  ];
}

/** The command line a library call of nc stands for. */
function ncArgv(o: NcOptions): string[] {
  return [
    'nc',
    ...(o.udp === true ? ['-zu'] : ['-z']),
    ...(o.timeoutS === undefined ? [] : ['-w', String(o.timeoutS)]),
    o.host,
    String(o.port),
  ];
}

/** An option that is a string when given. */
function checkString(tool: string, path: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'string')
    throw optionsError(tool, path, `expected a string, received ${describeValue(value)}`);
}

function checkBoolean(tool: string, path: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'boolean')
    throw optionsError(tool, path, `expected true or false, received ${describeValue(value)}`);
}

/** Every option curl takes from the library: a misspelt one is refused rather than silently ignored. */
const CURL_OPTIONS: readonly (keyof CurlOptions)[] = [
  'url',
  'method',
  'headers',
  'data',
  'connectTimeoutMs',
  'maxTimeMs',
  'resolve',
  'http2',
  'userAgent',
  'insecure',
];

const NC_OPTIONS: readonly (keyof NcOptions)[] = ['host', 'port', 'udp', 'timeoutS', 'segments'];

function checkCurlOptions(o: CurlOptions): void {
  checkOptionNames('curl', o, CURL_OPTIONS);
  checkTimeout('curl', 'connectTimeoutMs', o.connectTimeoutMs, 1);
  checkTimeout('curl', 'maxTimeMs', o.maxTimeMs, 1);
  checkString('curl', 'method', o.method);
  checkString('curl', 'data', o.data);
  checkString('curl', 'userAgent', o.userAgent);
  checkBoolean('curl', 'http2', o.http2);
  checkBoolean('curl', 'insecure', o.insecure);
  const headers: unknown = o.headers;
  if (headers !== undefined) {
    if (!Array.isArray(headers))
      throw optionsError('curl', 'headers', `expected a list of [name, value] pairs, received ${describeValue(headers)}`);
    headers.forEach((h: unknown, i) => {
      if (!Array.isArray(h) || h.length !== 2 || typeof h[0] !== 'string' || h[0] === '' || typeof h[1] !== 'string')
        throw optionsError('curl', `headers[${i}]`, `expected a [name, value] pair of strings, received ${describeValue(h)}`);
    });
  }
  const resolve: unknown = o.resolve;
  if (resolve !== undefined) {
    if (!Array.isArray(resolve))
      throw optionsError(
        'curl',
        'resolve',
        `expected a list of { host, port, ip } (curl --resolve HOST:PORT:ADDR), received ${describeValue(resolve)}`,
      );
    resolve.forEach((r: unknown, i) => {
      const e = r as { host?: unknown; port?: unknown; ip?: unknown } | null;
      if (
        typeof e !== 'object' ||
        e === null ||
        typeof e.host !== 'string' ||
        e.host === '' ||
        !Number.isInteger(e.port) ||
        (e.port as number) < 0 ||
        (e.port as number) > 65535 ||
        typeof e.ip !== 'string' ||
        e.ip === ''
      )
        throw optionsError('curl', `resolve[${i}]`, `expected { host, port (0-65535), ip }, received ${describeValue(r)}`);
    });
  }
}

/** The longest timeout a command takes: what one `advance` may move the clock by, a day. */
const MAX_TIMEOUT_NS = 24 * 3600 * 1e9;

/** A timeout option (in units of `unitMs`): absent, or a finite, non-negative number up to a day. */
function checkTimeout(tool: string, path: string, value: unknown, unitMs: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value * unitMs * NS_PER_MS > MAX_TIMEOUT_NS)
    throw optionsError(
      tool,
      path,
      `expected a number from 0 to ${MAX_TIMEOUT_NS / (unitMs * NS_PER_MS)}, received ${describeValue(value)}`,
    );
}

/** The options of a workload tool called from the library were not what it takes. */
function optionsError(tool: string, path: string, message: string): SimError {
  return new SimError({ code: 'INVALID_FLAG', object: tool, path, message });
}

/** `default/xwing` or `xwing` (namespace default) into its parts. */
export function splitPodRef(ref: string, defaultNamespace = 'default'): { namespace: string; name: string } {
  if (typeof ref !== 'string' || ref === '')
    throw new SimError({
      code: 'INVALID_FIELD',
      object: 'pod',
      message: `expected a pod as NAMESPACE/NAME or NAME, received ${JSON.stringify(ref) ?? String(ref)}`,
    });
  const slash = ref.indexOf('/');
  return slash === -1 ? { namespace: defaultNamespace, name: ref } : { namespace: ref.slice(0, slash), name: ref.slice(slash + 1) };
}

/** `default/xwing` as the Pod it names. */
function podRef(what: string): { kind: 'Pod'; namespace: string; name: string } {
  const { namespace, name } = splitPodRef(what);
  return { kind: 'Pod', namespace, name };
}

export function requireEndpointStack(network: Network, ep: Endpoint | undefined, what: string): WorkloadStack {
  const stack = ep === undefined ? undefined : network.podStack(ep.ip);
  if (stack === undefined) throw new SimError({ code: 'NOT_FOUND', ref: podRef(what), message: 'not found' });
  return stack;
}
