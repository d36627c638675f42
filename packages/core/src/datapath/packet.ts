/** L4 protocols the datapath models. ICMP carries no ports (echo id in `sport`). */
export type Protocol = 'TCP' | 'UDP' | 'SCTP' | 'ICMP';

export interface TcpFlags {
  readonly SYN?: true;
  readonly ACK?: true;
  readonly FIN?: true;
  readonly RST?: true;
  readonly PSH?: true;
}

/** What an application hands to the network in a packet; the datapath only routes it. */
export type Payload =
  | { readonly kind: 'http-request'; readonly request: HttpRequest }
  | { readonly kind: 'http-response'; readonly response: HttpResponse; readonly request: HttpRequest }
  | { readonly kind: 'dns-query'; readonly id: number; readonly name: string; readonly qtype: 'A' | 'AAAA' }
  | {
      readonly kind: 'dns-answer';
      readonly id: number;
      readonly name: string;
      readonly qtype: 'A' | 'AAAA';
      readonly rcode: DnsRcode;
      readonly ips: readonly string[];
      readonly ttl: number;
    }
  | { readonly kind: 'tls-client-hello'; readonly sni: string }
  /** The server's hello; `certificate` when the server's certificate is modelled (Envoy's, from a Secret). */
  | { readonly kind: 'tls-server-hello'; readonly certificate?: PresentedCertificate }
  /** Plain bytes: `data`, or `size` bytes of a file whose content means nothing to the network. */
  | { readonly kind: 'bytes'; readonly data: string; readonly size?: number };

/** A certificate as a TLS client reads it from the handshake. */
export interface PresentedCertificate {
  /** `CN=shop.example.com`, as the certificate's subject reads. */
  readonly subject: string;
  readonly issuer: string;
}

export type DnsRcode = 'NOERROR' | 'NXDOMAIN' | 'REFUSED' | 'SERVFAIL';

export interface HttpRequest {
  readonly method: string;
  readonly path: string;
  /** The Host header (`deathstar.default.svc.cluster.local`, `echo:3000`). */
  readonly host: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string;
  readonly scheme: 'http' | 'https';
  /** HTTP/2 (a gRPC call is an HTTP/2 POST); absent, HTTP/1.1. */
  readonly version?: 'HTTP/2';
}

export interface HttpResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string;
}

export interface Packet {
  readonly proto: Protocol;
  readonly srcIp: string;
  readonly dstIp: string;
  readonly sport: number;
  readonly dport: number;
  readonly flags: TcpFlags;
  readonly payload?: Payload;
  /**
   * TCP's sequence and acknowledgement numbers (32-bit) and its timestamps option (RFC 7323),
   * as the sending stack numbered the segment; absent on UDP and ICMP.
   */
  readonly seq?: number;
  readonly ack?: number;
  readonly tsval?: number;
  readonly tsecr?: number;
}

/** A packet's 5-tuple as a conntrack key: `TCP 10.244.1.5:41234 -> 10.244.2.9:80`. */
export function tupleKey(proto: Protocol, srcIp: string, sport: number, dstIp: string, dport: number): string {
  return `${proto} ${srcIp}:${sport} -> ${dstIp}:${dport}`;
}

export function reversed(p: Packet, flags: TcpFlags, payload?: Payload): Packet {
  // Two literals rather than a spread: the same fields in the same order, without a copy per answer.
  if (payload === undefined) return { proto: p.proto, srcIp: p.dstIp, dstIp: p.srcIp, sport: p.dport, dport: p.sport, flags };
  return { proto: p.proto, srcIp: p.dstIp, dstIp: p.srcIp, sport: p.dport, dport: p.sport, flags, payload };
}

/** The flags of a datagram or ICMP message: none, one shared frozen object for every packet. */
export const NO_FLAGS: TcpFlags = Object.freeze({});
