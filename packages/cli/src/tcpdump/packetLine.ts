import type { CapturedPacket } from '@cilium-sim/core';
import { decodeDns } from './dnsDecode.ts';

/** How tcpdump prints: the interface column of `-i any`, timestamps, relative or absolute sequence numbers. */
export interface LineOptions {
  readonly anyInterface: boolean;
  readonly timestamps: boolean;
  /** `-S`: absolute sequence numbers. */
  readonly absolute: boolean;
}

/**
 * tcpdump's table of conversations for relative sequence numbers (print-tcp.c): one entry per
 * connection, both directions, filled from the first segment with ACK (and again from each SYN),
 * which prints absolute; later segments print relative to it.
 */
export class SequenceTable {
  readonly #entries = new Map<string, { seq: number; ack: number }>();

  /** The sequence and acknowledgement numbers of `p` as tcpdump shows them. */
  relative(p: CapturedPacket, src: string, dst: string, sport: number, dport: number): { seq: number; ack: number } {
    const tcp = p.tcp!;
    if (tcp.flags.ACK !== true) return { seq: tcp.seq, ack: tcp.ack };
    const rev = sport > dport || (sport === dport && src > dst);
    const key = rev ? `${dst}:${dport}>${src}:${sport}` : `${src}:${sport}>${dst}:${dport}`;
    const found = this.#entries.get(key);
    if (found === undefined || tcp.flags.SYN === true) {
      this.#entries.set(key, rev ? { ack: tcp.seq, seq: (tcp.ack - 1) >>> 0 } : { seq: tcp.seq, ack: (tcp.ack - 1) >>> 0 });
      return { seq: tcp.seq, ack: tcp.ack };
    }
    return rev
      ? { seq: (tcp.seq - found.ack) >>> 0, ack: (tcp.ack - found.seq) >>> 0 }
      : { seq: (tcp.seq - found.seq) >>> 0, ack: (tcp.ack - found.ack) >>> 0 };
  }
}

/** `17:58:00.001580`: the time of day, UTC as in the node's container, in microseconds. */
export function timeOfDay(epochUs: number): string {
  const us = ((epochUs % 86_400_000_000) + 86_400_000_000) % 86_400_000_000;
  const s = Math.floor(us / 1_000_000);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}.${String(us % 1_000_000).padStart(6, '0')}`;
}

/**
 * One packet as `tcpdump -nn` prints it (4.99): the time, with `-i any` the interface (`%-5s`)
 * and direction (`%-3s`), then the IP line; a packet in the tunnel prints the outer UDP line
 * with its VXLAN header (port 8472, which tcpdump names OTV) and the inner packet below it.
 */
export function packetLine(p: CapturedPacket, seqs: SequenceTable, opts: LineOptions): string {
  const prefix = `${opts.timestamps ? `${timeOfDay(p.epochUs)} ` : ''}${opts.anyInterface ? `${p.iface.padEnd(5)} ${p.direction.padEnd(3)} ` : ''}`;
  if (p.encap !== undefined) {
    const e = p.encap;
    return `${prefix}IP ${e.srcIp}.${e.sport} > ${e.dstIp}.${e.dport}: OTV, flags [I] (0x08), overlay 0, instance ${e.vni}\n${ipLine(p, seqs, opts)}`;
  }
  return `${prefix}${ipLine(p, seqs, opts)}`;
}

function ipLine(p: CapturedPacket, seqs: SequenceTable, opts: LineOptions): string {
  const addrs = `IP ${p.srcIp}.${p.sport} > ${p.dstIp}.${p.dport}: `;
  switch (p.proto) {
    case 'TCP':
      return addrs + tcpText(p, seqs, opts);
    case 'UDP':
      return addrs + udpText(p);
    case 'SCTP':
      return `${addrs}sctp`;
    case 'ICMP':
      return `IP ${p.srcIp} > ${p.dstIp}: ICMP, length ${p.payload.length}`;
  }
}

const FLAG_ORDER = [
  ['FIN', 'F'],
  ['SYN', 'S'],
  ['RST', 'R'],
  ['PSH', 'P'],
  ['ACK', '.'],
] as const;

function tcpText(p: CapturedPacket, seqs: SequenceTable, opts: LineOptions): string {
  const tcp = p.tcp!;
  const f = tcp.flags;
  const flags = FLAG_ORDER.filter(([k]) => f[k] === true)
    .map(([, c]) => c)
    .join('');
  const { seq, ack } = opts.absolute ? { seq: tcp.seq, ack: tcp.ack } : seqs.relative(p, p.srcIp, p.dstIp, p.sport, p.dport);
  const length = p.payload.length;
  let out = `Flags [${flags === '' ? 'none' : flags}]`;
  if (length > 0 || f.SYN === true || f.FIN === true || f.RST === true)
    out += `, seq ${seq}${length > 0 ? `:${(seq + length) >>> 0}` : ''}`;
  if (f.ACK === true) out += `, ack ${ack}`;
  out += `, win ${tcp.window}`;
  if (f.RST !== true) {
    const ts = `TS val ${tcp.tsval} ecr ${tcp.tsecr}`;
    out += f.SYN === true ? `, options [mss 1460,sackOK,${ts},nop,wscale 7]` : `, options [nop,nop,${ts}]`;
  }
  out += `, length ${length}`;
  if (length > 0 && (isPort(p, 80) || isPort(p, 8080))) out += `: HTTP${httpFirstLine(p.payload)}`;
  return out;
}

function isPort(p: CapturedPacket, port: number): boolean {
  return p.sport === port || p.dport === port;
}

/** tcpdump's HTTP request names (print-http.c `httpcmds`, WebDAV's included; no PATCH). */
const HTTP_METHODS = `GET PUT COPY HEAD LOCK MOVE POLL POST BCOPY BMOVE MKCOL TRACE LABEL MERGE DELETE SEARCH UNLOCK REPORT UPDATE NOTIFY
BDELETE CONNECT OPTIONS CHECKIN PROPFIND CHECKOUT CCM_POST SUBSCRIBE PROPPATCH BPROPFIND BPROPPATCH UNCHECKOUT MKACTIVITY
MKWORKSPACE UNSUBSCRIBE RPC_CONNECT VERSION-CONTROL BASELINE-CONTROL`.split(/\s+/);

/**
 * tcpdump's HTTP printer: `: ` and the first line when the payload starts a request (a known
 * method) or a response (a three-digit status as second token), and nothing more otherwise.
 */
function httpFirstLine(payload: Uint8Array): string {
  const text = new TextDecoder('latin1').decode(payload);
  const eol = text.indexOf('\r\n');
  if (eol === -1 || !/^[\t\x20-\x7e]*$/.test(text.slice(0, eol))) return '';
  const line = text.slice(0, eol);
  const [first = '', second = ''] = line.split(' ');
  const looksLikeHttp = HTTP_METHODS.includes(first.toUpperCase()) || /^\d{3}$/.test(second);
  return looksLikeHttp ? `: ${line}` : '';
}

function udpText(p: CapturedPacket): string {
  if (isPort(p, 53)) {
    const dns = decodeDns(p.payload);
    if (dns !== undefined) return `${dns} (${p.payload.length})`;
  }
  return `UDP, length ${p.payload.length}`;
}
