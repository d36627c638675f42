import { NS_PER_MS } from '../sim/duration.ts';
import type { Dns, Flow, Http, Layer4, Layer7, TcpFlagName, TcpFlags } from './flow.ts';
import { icmpTypeCodeName } from './icmpTypeCode.ts';

/** The order Hubble lists TCP flags in a summary (not the proto's field order). */
export const TCP_FLAG_ORDER: readonly TcpFlagName[] = ['SYN', 'ACK', 'RST', 'FIN', 'PSH', 'URG', 'ECE', 'CWR', 'NS'];

/** DNS rcodes as gopacket's DNSResponseCode.String() names them. */
const RCODE_NAMES: Readonly<Record<number, string>> = {
  0: 'No Error',
  1: 'Format Error',
  2: 'Server Failure',
  3: 'Non-Existent Domain',
  4: 'Not Implemented',
  5: 'Query Refused',
  6: 'Name Exists when it should not',
  7: 'RR Set Exists when it should not',
  8: 'RR Set that should exist does not',
  9: 'Server Not Authoritative for zone',
  10: 'Name not contained in zone',
};

export function dnsRcodeName(rcode: number): string {
  return RCODE_NAMES[rcode] ?? `${rcode}`;
}

/** `SYN, ACK` */
export function tcpFlagsText(flags: TcpFlags | undefined): string {
  return TCP_FLAG_ORDER.filter((f) => flags?.[f] === true).join(', ');
}

function l4Summary(l4: Layer4 | undefined, ipVersion: string | undefined): string {
  if (l4 === undefined) return ipVersion ?? '';
  if ('TCP' in l4) return `TCP Flags: ${tcpFlagsText(l4.TCP.flags)}`;
  if ('UDP' in l4) return 'UDP';
  if ('SCTP' in l4) return 'SCTP';
  if ('ICMPv4' in l4) return `ICMPv4 ${icmpTypeCodeName(4, l4.ICMPv4.type ?? 0, l4.ICMPv4.code ?? 0)}`;
  return `ICMPv6 ${icmpTypeCodeName(6, l4.ICMPv6.type ?? 0, l4.ICMPv6.code ?? 0)}`;
}

function httpSummary(l7: Layer7, http: Http): string {
  const request = `${http.method ?? ''} ${http.url ?? ''}`;
  if (l7.type === 'REQUEST') return `${http.protocol ?? ''} ${request}`;
  const latencyMs = Math.floor((l7.latency_ns ?? 0) / NS_PER_MS);
  return `${http.protocol ?? ''} ${http.code ?? 0} ${latencyMs}ms (${request})`;
}

function dnsAnswer(dns: Dns): string {
  const rcode = dns.rcode ?? 0;
  if (rcode !== 0) return `RCode: ${dnsRcodeName(rcode)}`;
  const parts: string[] = [];
  if (dns.ips !== undefined && dns.ips.length > 0) parts.push(JSON.stringify(dns.ips.join(',')));
  if (dns.cnames !== undefined && dns.cnames.length > 0) parts.push(`CNAMEs: ${JSON.stringify(dns.cnames.join(','))}`);
  return parts.join(' ');
}

function dnsSummary(l7: Layer7, dns: Dns): string {
  const qtypes = (dns.qtypes ?? []).join(',');
  const query = dns.query ?? '';
  if (l7.type === 'REQUEST') return `DNS Query ${query} ${qtypes}`;
  const source = dns.observation_source === 'proxy' ? 'Proxy' : 'Query';
  return `DNS Answer ${dnsAnswer(dns)} TTL: ${dns.ttl ?? 0} (${source} ${query} ${qtypes})`;
}

/**
 * The `Summary` Hubble's parsers write into a flow: TCP flags, `UDP`, the ICMP type, or the
 * HTTP/DNS line for L7 flows. Pure.
 *
 * @example flowSummary(synFlow) === 'TCP Flags: SYN'
 */
export function flowSummary(flow: Flow): string {
  const l7 = flow.l7;
  if (l7 !== undefined) {
    if (l7.http !== undefined) return httpSummary(l7, l7.http);
    if (l7.dns !== undefined) return dnsSummary(l7, l7.dns);
    return '';
  }
  return l4Summary(flow.l4, flow.IP?.ipVersion);
}
