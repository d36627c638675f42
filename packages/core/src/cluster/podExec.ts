import type { Endpoint } from '../agent/endpoint.ts';
import { SimError } from '../errors.ts';
import type { Rng } from '../sim/rng.ts';
import { NS_PER_MS } from '../sim/duration.ts';
import type { Scheduler } from '../sim/scheduler.ts';
import { runCurl, type CurlOptions, type CurlResult } from '../workload/curl.ts';
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
}

export interface ExecEnv {
  readonly scheduler: Scheduler;
  readonly rng: Rng;
  readonly network: Network;
}

/** How long after a command's answer its last packets may still be travelling. */
const SETTLE_NS = 50 * NS_PER_MS;

/**
 * Runs a command to completion on the virtual clock: schedules it, then runs events until it
 * reports back. Time moves by what the command took (a timeout moves it by the timeout).
 */
function runToCompletion<T>(scheduler: Scheduler, start: (done: (r: T) => void) => void): T {
  let result: { value: T } | undefined;
  start((r) => {
    result = { value: r };
  });
  scheduler.runWhile(() => result === undefined);
  if (result === undefined) throw new Error('invariant violated: a workload command ended without a result');
  // The command has its answer; packets still on the wire (FIN, last ACK) arrive before the next one starts.
  scheduler.settle(SETTLE_NS);
  return result.value;
}

export function workloadExec(env: ExecEnv, stack: WorkloadStack, resolvConf: ResolvConf): WorkloadExec {
  const base = { datapath: env.network.datapath, scheduler: env.scheduler, rng: env.rng, resolvConf };
  return {
    ip: stack.ip,
    curl: (opts) => {
      const o = typeof opts === 'string' ? { url: opts } : opts;
      if (typeof o !== 'object' || o === null || typeof o.url !== 'string')
        throw optionsError('curl', 'url', `expected a URL or { url, ... }, received ${JSON.stringify(opts) ?? String(opts)}`);
      return runToCompletion<CurlResult>(env.scheduler, (done) => runCurl(base, stack, o, done));
    },
    nc: (opts) => {
      if (
        typeof opts !== 'object' ||
        opts === null ||
        typeof opts.host !== 'string' ||
        !Number.isInteger(opts.port) ||
        opts.port < 0 ||
        opts.port > 65535
      ) {
        throw optionsError('nc', 'port', `expected { host, port } with a port 0..65535, received ${JSON.stringify(opts) ?? String(opts)}`);
      }
      const segments = opts.segments;
      if (segments !== undefined && !(Number.isInteger(segments) && segments >= 0 && segments <= MAX_NC_SEGMENTS))
        throw optionsError(
          'nc',
          'segments',
          `expected a whole number of segments from 0 to ${MAX_NC_SEGMENTS}, received ${String(segments)}`,
        );
      return runToCompletion<NcResult>(env.scheduler, (done) => runNc(base, stack, opts, done));
    },
    nslookup: (name, server) => {
      const conf: ResolvConf = server === undefined ? resolvConf : { ...resolvConf, nameserver: server };
      return runToCompletion<NslookupResult>(env.scheduler, (done) =>
        resolveName(stack, env.scheduler, env.rng, name, conf, (o) =>
          done(
            o.ok
              ? { ok: true, server: conf.nameserver, name: o.name, ips: o.ips, ttl: o.ttl }
              : { ok: false, server: conf.nameserver, rcode: o.rcode },
          ),
        ),
      );
    },
  };
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
