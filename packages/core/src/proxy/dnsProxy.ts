import type { L7Record } from '../datapath/flowEmitter.ts';
import type { DnsRcode, Payload } from '../datapath/packet.ts';
import { fqdnSelectorMatches } from '../policy/fqdn.ts';
import type { DnsRule } from '../policy/types.ts';

/** DNS rcodes as the flow's `rcode` number holds them (RFC 1035 numbering). */
const RCODE_NUMBER: Readonly<Record<DnsRcode, number>> = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 };

type DnsQuery = Extract<Payload, { kind: 'dns-query' }>;
type DnsAnswer = Extract<Payload, { kind: 'dns-answer' }>;

/** The name as the DNS proxy logs it: fully qualified, with the trailing dot. */
export function fqdnOf(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}

/**
 * Whether the agent's DNS proxy forwards `query`: some `rules.dns` entry of the port matches its
 * name (`matchName` exactly, `matchPattern` with Cilium's `*` semantics, `**.` as the version
 * reads it), whatever the letter case.
 */
export function dnsQueryAllowed(rules: readonly DnsRule[], query: DnsQuery, anyDepth = true): boolean {
  return rules.some((r) => fqdnSelectorMatches(r, query.name, anyDepth));
}

/**
 * The proxy's own answer to a query the policy denies: `tofqdns-dns-reject-response-code`,
 * REFUSED by default, so stub resolvers move on at once instead of waiting for a timeout.
 */
export function rejectAnswer(query: DnsQuery, rcode: 'REFUSED' | 'NXDOMAIN'): DnsAnswer {
  return { kind: 'dns-answer', id: query.id, name: query.name, qtype: query.qtype, rcode, ips: [], ttl: 0 };
}

/** The access-log record of a query (`dns-request proxy`). */
export function dnsRequestRecord(query: DnsQuery): L7Record {
  return { type: 'REQUEST', dns: { query: fqdnOf(query.name), qtypes: [query.qtype], observation_source: 'proxy' } };
}

/** The access-log record of an answer (`dns-response proxy`): IPs, TTL and rcode. */
export function dnsResponseRecord(answer: DnsAnswer): L7Record {
  const answered = answer.ips.length > 0;
  return {
    type: 'RESPONSE',
    dns: {
      query: fqdnOf(answer.name),
      ...(answered ? { ips: answer.ips } : {}),
      ttl: answer.ttl,
      rcode: RCODE_NUMBER[answer.rcode],
      qtypes: [answer.qtype],
      rrtypes: answered ? [answer.qtype] : [],
      observation_source: 'proxy',
    },
  };
}
