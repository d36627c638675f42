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

/** TCP header flag bits, as `tcpFlagBits` gives them. */
export const FLAG_BITS = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10 } as const;

/**
 * The TCP header flag bits of a flags object. Packets carry a handful of flags objects (each
 * stack's constants), of as many shapes, so reading their fields is slow wherever packets pass;
 * the objects asked last are remembered with their bits, found by identity.
 */
export function tcpFlagBits(f: TcpFlags): number {
  for (let i = 0; i < RECENT_FLAGS; i++) if (recentFlags[i] === f) return recentBits[i]!;
  const bits =
    (f.FIN === true ? FLAG_BITS.FIN : 0) |
    (f.SYN === true ? FLAG_BITS.SYN : 0) |
    (f.RST === true ? FLAG_BITS.RST : 0) |
    (f.PSH === true ? FLAG_BITS.PSH : 0) |
    (f.ACK === true ? FLAG_BITS.ACK : 0);
  recentFlags[nextFlags] = f;
  recentBits[nextFlags] = bits;
  nextFlags = (nextFlags + 1) & (RECENT_FLAGS - 1);
  return bits;
}

/** How many flags objects `tcpFlagBits` remembers (a power of two), replaced in turn. */
const RECENT_FLAGS = 8;
const recentFlags: (TcpFlags | undefined)[] = new Array<TcpFlags | undefined>(RECENT_FLAGS).fill(undefined);
const recentBits: number[] = new Array<number>(RECENT_FLAGS).fill(0);
let nextFlags = 0;

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

/**
 * The flag combinations the simulated TCP stacks send, one frozen object each, shared by
 * clients and servers: `tcpFlagBits` remembers the objects it was asked last, and a connection's
 * packets then use a few objects rather than one per stack and combination.
 */
export const TCP_FLAGS = Object.freeze({
  SYN: Object.freeze({ SYN: true }) as TcpFlags,
  ACK: Object.freeze({ ACK: true }) as TcpFlags,
  SYN_ACK: Object.freeze({ SYN: true, ACK: true }) as TcpFlags,
  ACK_PSH: Object.freeze({ ACK: true, PSH: true }) as TcpFlags,
  ACK_FIN: Object.freeze({ ACK: true, FIN: true }) as TcpFlags,
  RST: Object.freeze({ RST: true }) as TcpFlags,
  RST_ACK: Object.freeze({ RST: true, ACK: true }) as TcpFlags,
});
