import type { DnsRcode, Payload } from '../datapath/packet.ts';
import { searchPath } from '../k8s/dns.ts';
import { NS_PER_S } from '../sim/duration.ts';
import type { Rng } from '../sim/rng.ts';
import type { Scheduler } from '../sim/scheduler.ts';
import { UdpExchange } from './udpExchange.ts';
import type { WorkloadStack } from './workloadStack.ts';

/** A pod's /etc/resolv.conf as the kubelet writes it. */
export interface ResolvConf {
  readonly nameserver: string;
  readonly search: readonly string[];
  readonly ndots: number;
  /** Per-attempt timeout and number of attempts (glibc defaults: 5 s, 2). */
  readonly timeoutNs: number;
  readonly attempts: number;
}

export function podResolvConf(namespace: string, nameserver: string): ResolvConf {
  // One frozen file per (namespace, server): every exec into a pod reads it, and it never changes.
  const key = `${namespace} ${nameserver}`;
  let conf = RESOLV_CONFS.get(key);
  if (conf === undefined) {
    conf = Object.freeze({ nameserver, search: Object.freeze(searchPath(namespace)), ndots: 5, timeoutNs: 5 * NS_PER_S, attempts: 2 });
    if (RESOLV_CONFS.size >= MAX_RESOLV_CONFS) RESOLV_CONFS.clear();
    RESOLV_CONFS.set(key, conf);
  }
  return conf;
}

const RESOLV_CONFS = new Map<string, ResolvConf>();
/** Namespaces come and go over a long session; the table is a cache, emptied when it grows past this. */
const MAX_RESOLV_CONFS = 1024;

/** Told how a lookup ended, exactly once: methods rather than an outcome object, as curl looks up a name each time. */
export interface ResolveHandler {
  /** The candidate name that has addresses, its addresses and their TTL. */
  onResolved(name: string, ips: readonly string[], ttl: number): void;
  /** No candidate had addresses: the last refusal's code, NXDOMAIN, or a server that never answered. */
  onUnresolved(rcode: DnsRcode | 'timeout'): void;
}

/**
 * The address the pod's /etc/hosts gives `name`, which curl and nc read before asking DNS (the
 * kubelet writes `127.0.0.1 localhost` there; this model has no IPv6). nslookup asks DNS only.
 */
export function hostsFileAddress(name: string): string | undefined {
  return name === 'localhost' || name === 'localhost.' ? '127.0.0.1' : undefined;
}

/** The names tried for `name`, in order, as the stub resolver's search list and ndots decide. */
export function candidateNames(name: string, conf: ResolvConf): string[] {
  if (name.endsWith('.')) return [name.slice(0, -1)];
  const dots = name.split('.').length - 1;
  const searched = conf.search.map((s) => `${name}.${s}`);
  return dots >= conf.ndots ? [name, ...searched] : [...searched, name];
}

/**
 * Resolves `name` through the DNS server in `conf`, sending real UDP queries through the
 * datapath, so egress policy and the DNS proxy see them. A NXDOMAIN or REFUSED answer moves to
 * the next candidate name; a server that never answers ends the lookup with a timeout.
 */
export function resolveName(
  stack: WorkloadStack,
  scheduler: Scheduler,
  rng: Rng,
  name: string,
  conf: ResolvConf,
  done: ResolveHandler,
): void {
  new Lookup(stack, scheduler, rng, cachedCandidates(name, conf), conf, done).query(0, 0);
}

/**
 * The candidate names of `name` under `conf`, built once: a pod asks for the same few names over
 * and over, and each lookup would otherwise build the search list's strings afresh.
 */
function cachedCandidates(name: string, conf: ResolvConf): readonly string[] {
  let byName = CANDIDATES.get(conf);
  if (byName === undefined) CANDIDATES.set(conf, (byName = new Map()));
  let names = byName.get(name);
  if (names === undefined) {
    names = Object.freeze(candidateNames(name, conf));
    if (byName.size >= MAX_CANDIDATE_NAMES) byName.clear();
    byName.set(name, names);
  }
  return names;
}

const CANDIDATES = new WeakMap<ResolvConf, Map<string, readonly string[]>>();
/** Names typed over a long session; the table is a cache, emptied when it grows past this. */
const MAX_CANDIDATE_NAMES = 1024;

/**
 * One lookup through the candidate names, as an object rather than a recursive closure: it is
 * also the exchange of its one query in flight (the candidate and attempt it asked).
 */
class Lookup extends UdpExchange {
  readonly #rng: Rng;
  readonly #names: readonly string[];
  readonly #conf: ResolvConf;
  readonly #done: ResolveHandler;
  #failure: DnsRcode = 'NXDOMAIN';
  #i = 0;
  #attempt = 0;

  constructor(stack: WorkloadStack, scheduler: Scheduler, rng: Rng, names: readonly string[], conf: ResolvConf, done: ResolveHandler) {
    super(stack, scheduler, rng);
    this.#rng = rng;
    this.#names = names;
    this.#conf = conf;
    this.#done = done;
  }

  /** Asks for candidate `i`, the `attempt`th time. */
  query(i: number, attempt: number): void {
    const names = this.#names;
    const conf = this.#conf;
    if (i >= names.length) return this.#done.onUnresolved(this.#failure);
    this.#i = i;
    this.#attempt = attempt;
    const rng = this.#rng;
    const query: Payload = { kind: 'dns-query', id: rng.int(1, 65535), name: names[i]!, qtype: 'A' };
    this.send(rng.int(32768, 60999), conf.nameserver, 53, query, conf.timeoutNs);
  }

  onAnswer(answer: Payload | undefined): void {
    const i = this.#i;
    const names = this.#names;
    if (answer === undefined || answer.kind !== 'dns-answer') {
      if (this.#attempt + 1 < this.#conf.attempts) return this.query(i, this.#attempt + 1);
      return this.#done.onUnresolved('timeout');
    }
    if (answer.rcode === 'NOERROR' && answer.ips.length > 0) return this.#done.onResolved(names[i]!, answer.ips, answer.ttl);
    if (answer.rcode === 'REFUSED' || answer.rcode === 'SERVFAIL') this.#failure = answer.rcode;
    this.query(i + 1, 0);
  }
}
