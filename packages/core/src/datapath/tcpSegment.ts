import { HASH_START, hash32, hashChar, hashFinish, hashNumber, hashText } from '../sim/rng.ts';
import { FLAG_BITS, type Packet, type Payload, type Protocol, tcpFlagBits, type TcpFlags } from './packet.ts';
import { payloadLength } from './wirePayload.ts';

/**
 * How TCP stacks number their segments, for captures to show what a real connection would:
 * sequence numbers count payload bytes (and one each for SYN and FIN), acknowledgements name
 * the next byte expected, and the timestamps option carries each side's millisecond clock.
 */

/** The sequence numbers a segment uses: its payload's bytes, plus one for SYN and one for FIN. */
export function segmentLength(p: Packet): number {
  // A segment without payload has no such field at all: reading it would miss on every segment.
  return (p instanceof TcpSegment ? 0 : payloadLength(p.payload)) + flagsLength(p.flags);
}

/** The sequence numbers a segment's flags use: one for SYN and one for FIN. */
export function flagsLength(flags: TcpFlags): number {
  const bits = tcpFlagBits(flags);
  return ((bits & FLAG_BITS.SYN) !== 0 ? 1 : 0) + ((bits & FLAG_BITS.FIN) !== 0 ? 1 : 0);
}

/**
 * A connection's initial sequence number: a keyed hash of its 4-tuple and the moment it opens,
 * as Linux's secure_tcp_seq mixes them, so no random stream is drawn for it.
 */
export function initialSequence(srcIp: string, sport: number, dstIp: string, dport: number, nowNs: number): number {
  // hash32(`${srcIp}:${sport}>${dstIp}:${dport}@${nowNs}`), fed piece by piece: no key string per connection.
  const h = hashNumber(pairPrefix(srcIp, sport, dstIp), dport);
  return hashFinish(hashNumber(hashChar(h, 64 /* @ */), nowNs));
}

/**
 * The hash of `${srcIp}:${sport}>${dstIp}:`, which a server answering many connections from one
 * client asks again and again (its address and port, the client's address): the last few asked
 * are kept, found by the port and the addresses' last characters, and `${srcIp}:` alone for a
 * client, whose port is new each time.
 */
function pairPrefix(srcIp: string, sport: number, dstIp: string): number {
  const slot = (pairSlot(srcIp, dstIp) + sport) & (RECENT_PAIRS - 1);
  if (PREFIX_PORT[slot] === sport && PREFIX_SRC[slot] === srcIp && PREFIX_DST[slot] === dstIp) return PREFIX_HASH[slot]!;
  const h = hashChar(hashText(hashChar(hashNumber(sourcePrefix(srcIp), sport), 62 /* > */), dstIp), 58 /* : */);
  PREFIX_SRC[slot] = srcIp;
  PREFIX_DST[slot] = dstIp;
  PREFIX_PORT[slot] = sport;
  PREFIX_HASH[slot] = h;
  return h;
}

/** The hash of `${srcIp}:`, kept per address in the same way. */
function sourcePrefix(srcIp: string): number {
  const n = srcIp.length;
  const slot = (srcIp.charCodeAt(n - 1) * 67 + srcIp.charCodeAt(n - 2) * 7 + srcIp.charCodeAt(n - 3)) & (RECENT_PAIRS - 1);
  if (SOURCE_IP[slot] === srcIp) return SOURCE_HASH[slot]!;
  const h = hashChar(hashText(HASH_START, srcIp), 58 /* : */);
  SOURCE_IP[slot] = srcIp;
  SOURCE_HASH[slot] = h;
  return h;
}

/** The timestamps option's clock on `srcIp` towards `dstIp`: milliseconds, offset per pair of hosts. */
export function tcpTimestamp(srcIp: string, dstIp: string, nowNs: number): number {
  return (timestampOffset(srcIp, dstIp) + Math.floor(nowNs / 1_000_000)) >>> 0;
}

/**
 * The pair's clock offset, hashed once: every segment carries a timestamp, and hashing a key
 * string for each would cost more than the rest of the segment's numbering. Addresses are
 * few (one per pod, node and outside host), so the table stays as small as the cluster. The
 * pairs last asked are kept in a small table in front of it, found by their addresses' last
 * characters, so a segment usually costs no map read at all.
 */
function timestampOffset(srcIp: string, dstIp: string): number {
  const slot = pairSlot(srcIp, dstIp);
  if (RECENT_SRC[slot] === srcIp && RECENT_DST[slot] === dstIp) return RECENT_OFFSET[slot]!;
  let bySrc = TIMESTAMP_OFFSETS.get(srcIp);
  if (bySrc === undefined) TIMESTAMP_OFFSETS.set(srcIp, (bySrc = new Map()));
  let offset = bySrc.get(dstIp);
  if (offset === undefined) bySrc.set(dstIp, (offset = hash32(`ts/${srcIp}>${dstIp}`)));
  RECENT_SRC[slot] = srcIp;
  RECENT_DST[slot] = dstIp;
  RECENT_OFFSET[slot] = offset;
  return offset;
}

const RECENT_PAIRS = 256;
const RECENT_SRC = new Array<string>(RECENT_PAIRS).fill('');
const RECENT_DST = new Array<string>(RECENT_PAIRS).fill('');
const RECENT_OFFSET = new Array<number>(RECENT_PAIRS).fill(0);
/** `pairPrefix`'s and `sourcePrefix`'s tables; a port of -1 or an address of undefined: none yet. */
const PREFIX_SRC = new Array<string>(RECENT_PAIRS).fill('');
const PREFIX_DST = new Array<string>(RECENT_PAIRS).fill('');
const PREFIX_PORT = new Array<number>(RECENT_PAIRS).fill(-1);
const PREFIX_HASH = new Array<number>(RECENT_PAIRS).fill(0);
const SOURCE_IP = new Array<string | undefined>(RECENT_PAIRS).fill(undefined);
const SOURCE_HASH = new Array<number>(RECENT_PAIRS).fill(0);

/** A slot from the last two characters of each address, where a cluster's addresses differ. */
function pairSlot(srcIp: string, dstIp: string): number {
  const s = srcIp.length;
  const d = dstIp.length;
  return (
    (srcIp.charCodeAt(s - 1) * 67 + srcIp.charCodeAt(s - 2) * 7 + dstIp.charCodeAt(d - 1) * 3 + dstIp.charCodeAt(d - 2)) &
    (RECENT_PAIRS - 1)
  );
}

const TIMESTAMP_OFFSETS = new Map<string, Map<string, number>>();

/**
 * The segment that answers `p` from its destination, numbered as a responder without state of
 * its own numbers it: a SYN-ACK starts the responder's sequence, a reset to a SYN carries
 * sequence 0, and anything else continues where `p` acknowledged; the acknowledgement follows
 * `p`'s last byte, and the timestamps echo `p`'s.
 */
export function tcpReply(p: Packet, flags: TcpFlags, nowNs: number, payload?: Payload): Packet {
  const pSeq = p.seq ?? 0;
  const seq = flags.SYN === true ? initialSequence(p.dstIp, p.dport, p.srcIp, p.sport, pSeq) : p.flags.ACK === true ? (p.ack ?? 0) : 0;
  const ackNumber = flags.ACK === true ? (pSeq + segmentLength(p)) >>> 0 : 0;
  const tsval = tcpTimestamp(p.dstIp, p.srcIp, nowNs);
  const tsecr = p.tsval ?? 0;
  return payload === undefined
    ? new TcpSegment(p.proto, p.dstIp, p.srcIp, p.dport, p.sport, flags, seq, ackNumber, tsval, tsecr)
    : new TcpDataSegment(p.proto, p.dstIp, p.srcIp, p.dport, p.sport, flags, payload, seq, ackNumber, tsval, tsecr);
}

/*
 * Numbered TCP segments, with their fields in the order a literal would list them (`payload`
 * only in a segment that carries one). Made by constructors rather than object literals: V8
 * learns per literal whether its objects live long and then allocates them in the old
 * generation, and segments that Hubble's flows held (short connections) would make every later
 * segment of a stream, which dies at once, cost an old-generation allocation and collection.
 * The fields are declared only (`declare`): the constructor's assignments create them, so a
 * number field holds numbers from the start rather than first `undefined` (which would make V8
 * box every sequence number it stores).
 */

/** A segment without payload (a handshake, an acknowledgement, a close). */
export class TcpSegment implements Packet {
  declare readonly proto: Protocol;
  declare readonly srcIp: string;
  declare readonly dstIp: string;
  declare readonly sport: number;
  declare readonly dport: number;
  declare readonly flags: TcpFlags;
  declare readonly seq: number;
  declare readonly ack: number;
  declare readonly tsval: number;
  declare readonly tsecr: number;

  constructor(
    proto: Protocol,
    srcIp: string,
    dstIp: string,
    sport: number,
    dport: number,
    flags: TcpFlags,
    seq: number,
    ack: number,
    tsval: number,
    tsecr: number,
  ) {
    this.proto = proto;
    this.srcIp = srcIp;
    this.dstIp = dstIp;
    this.sport = sport;
    this.dport = dport;
    this.flags = flags;
    this.seq = seq;
    this.ack = ack;
    this.tsval = tsval;
    this.tsecr = tsecr;
  }
}

/** A segment that carries data. */
export class TcpDataSegment implements Packet {
  declare readonly proto: Protocol;
  declare readonly srcIp: string;
  declare readonly dstIp: string;
  declare readonly sport: number;
  declare readonly dport: number;
  declare readonly flags: TcpFlags;
  declare readonly payload: Payload;
  declare readonly seq: number;
  declare readonly ack: number;
  declare readonly tsval: number;
  declare readonly tsecr: number;

  constructor(
    proto: Protocol,
    srcIp: string,
    dstIp: string,
    sport: number,
    dport: number,
    flags: TcpFlags,
    payload: Payload,
    seq: number,
    ack: number,
    tsval: number,
    tsecr: number,
  ) {
    this.proto = proto;
    this.srcIp = srcIp;
    this.dstIp = dstIp;
    this.sport = sport;
    this.dport = dport;
    this.flags = flags;
    this.payload = payload;
    this.seq = seq;
    this.ack = ack;
    this.tsval = tsval;
    this.tsecr = tsecr;
  }
}
