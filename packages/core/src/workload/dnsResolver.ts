import type { DnsRcode, Payload } from '../datapath/packet.ts';
import { searchPath } from '../k8s/dns.ts';
import { NS_PER_S } from '../sim/duration.ts';
import type { Rng } from '../sim/rng.ts';
import type { Scheduler } from '../sim/scheduler.ts';
import { udpExchange } from './udpExchange.ts';
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
  return { nameserver, search: searchPath(namespace), ndots: 5, timeoutNs: 5 * NS_PER_S, attempts: 2 };
}

export type ResolveOutcome =
  | { readonly ok: true; readonly name: string; readonly ips: readonly string[]; readonly ttl: number }
  | { readonly ok: false; readonly rcode: DnsRcode | 'timeout' };

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
  done: (o: ResolveOutcome) => void,
): void {
  const names = candidateNames(name, conf);
  let failure: DnsRcode = 'NXDOMAIN';
  const tryName = (i: number, attempt: number): void => {
    if (i >= names.length) return done({ ok: false, rcode: failure });
    const query: Payload = { kind: 'dns-query', id: rng.int(1, 65535), name: names[i]!, qtype: 'A' };
    udpExchange(stack, scheduler, rng, rng.int(32768, 60999), conf.nameserver, 53, query, conf.timeoutNs, (answer) => {
      if (answer === undefined || answer.kind !== 'dns-answer') {
        if (attempt + 1 < conf.attempts) return tryName(i, attempt + 1);
        return done({ ok: false, rcode: 'timeout' });
      }
      if (answer.rcode === 'NOERROR' && answer.ips.length > 0) return done({ ok: true, name: names[i]!, ips: answer.ips, ttl: answer.ttl });
      if (answer.rcode === 'REFUSED' || answer.rcode === 'SERVFAIL') failure = answer.rcode;
      tryName(i + 1, 0);
    });
  };
  tryName(0, 0);
}
