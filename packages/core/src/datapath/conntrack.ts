import type { PolicyDecision } from '../policy/policyDecision.ts';
import { CtEntryTable, pairHash } from './ctEntryTable.ts';
import type { NetStack } from './netStack.ts';
import type { Packet, Protocol, TcpFlags } from './packet.ts';

/** The service address a client connected to, before socket LB chose a backend. */
export interface CtFrontend {
  readonly ip: string;
  readonly port: number;
  readonly namespace: string;
  readonly name: string;
}

/**
 * One tracked connection, keyed by its original-direction 5-tuple after service translation.
 * A class: every field present from the constructor on, so all entries share one shape on the
 * per-packet path, and V8 builds each one without the object-literal route (whose fields, created
 * unset and later set to objects, made every entry's creation slow).
 */
export class CtEntry {
  readonly proto: Protocol;
  readonly srcIp: string;
  readonly sport: number;
  readonly dstIp: string;
  readonly dport: number;
  /** The ClusterIP:port the client addressed, for reverse translation of replies. */
  readonly frontend: CtFrontend | undefined;
  lastSeenNs: number;
  /** The ingress decision at the destination, kept so established packets need no verdict event. */
  ingress: PolicyDecision | undefined = undefined;
  egress: PolicyDecision | undefined = undefined;
  /** The node that enforced egress (the client's), where an egress proxy runs. */
  egressNode: string | undefined = undefined;
  /** Set once the destination answered, so the entry counts as established. */
  established = false;
  /** Set when a FIN or RST went through: the connection is closing and expires soon. */
  closing = false;
  /**
   * The port the connection really uses between the nodes when the proxies carry it inside TLS
   * (the SPIFFE TLS upgrade's `dstPort`); undefined for a connection on its own port.
   */
  tlsPort: number | undefined = undefined;
  /** TCP flags reported to Hubble per direction, and when (monitor aggregation; -1: never). */
  txFlagsSeen = 0;
  rxFlagsSeen = 0;
  lastTxReportNs = -1;
  lastRxReportNs = -1;
  /** The flags object of each direction's last packet that was not closing (every flag in it reported). */
  txFlags: TcpFlags | undefined = undefined;
  rxFlags: TcpFlags | undefined = undefined;
  /**
   * The state revision (sim/stateRevision.ts) at which a packet in the original direction last
   * passed the source's egress and the destination's ingress policy with the connection's own
   * verdict, nothing left to do per packet (no proxy, no authentication): while it holds, the
   * next packets skip the policy lookups, as nothing they depend on changed. -1: not yet.
   */
  egressPassed = -1;
  ingressPassed = -1;
  /** The stacks the two directions deliver to, as found at `stacksRevision`. */
  serverStack: NetStack | undefined = undefined;
  clientStack: NetStack | undefined = undefined;
  stacksRevision = -1;
  /** The entry's place in its conntrack's list of tracked entries; -1 while not tracked. */
  trackedAt = -1;

  constructor(tuple: CtTuple, nowNs: number, frontend: CtFrontend | undefined) {
    this.proto = tuple.proto;
    this.srcIp = tuple.srcIp;
    this.sport = tuple.sport;
    this.dstIp = tuple.dstIp;
    this.dport = tuple.dport;
    this.frontend = frontend;
    this.lastSeenNs = nowNs;
  }
}

/** A connection's 5-tuple, in its original direction. */
export type CtTuple = Pick<CtEntry, 'proto' | 'srcIp' | 'sport' | 'dstIp' | 'dport'>;

/**
 * Virtual nanoseconds outgrow V8's small integers after 2.1 s of simulated time. Entries built
 * before then would hold their times as small integers and the first later one would change the
 * shape of every entry, throwing away the optimized per-packet code in the middle of a run (a
 * stream's second benchmark run, which then measured half as fast). One entry with fractional
 * times, made as the module loads, fixes the time fields as doubles for every entry from the start.
 */
function fixTimeFieldsAsDoubles(): void {
  const entry = new CtEntry({ proto: 'TCP', srcIp: '', sport: 0, dstIp: '', dport: 0 }, 0.5, undefined);
  entry.lastTxReportNs = 0.5;
  entry.lastRxReportNs = 0.5;
}
fixTimeFieldsAsDoubles();

/** A fresh entry for `tuple`, first seen at `nowNs`: not established, nothing reported yet. */
export function newCtEntry(tuple: CtTuple, nowNs: number, frontend?: CtFrontend): CtEntry {
  return new CtEntry(tuple, nowNs, frontend);
}

const S = 1_000_000_000;
export const CT_LIFETIME_NS = { established: 6 * 3600 * S, closing: 10 * S, other: 60 * S } as const;

export type CtDirection = 'original' | 'reply' | 'new';

/** True when `p` travels the reply direction of `entry` (server to client). */
export function isReplyOf(entry: CtEntry, p: Packet): boolean {
  return !isOriginalOf(entry, p);
}

function isOriginalOf(entry: CtTuple, p: Packet): boolean {
  return p.srcIp === entry.srcIp && p.sport === entry.sport && p.dstIp === entry.dstIp && p.dport === entry.dport;
}

function isOriginalReversed(entry: CtTuple, p: Packet): boolean {
  return p.srcIp === entry.dstIp && p.sport === entry.dport && p.dstIp === entry.srcIp && p.dport === entry.sport;
}

/** Slots of the table of recently found entries (a power of two). */
const RECENT_SLOTS = 1024;

/** The same slot for both directions of a connection. */
function recentSlot(sport: number, dport: number): number {
  return (sport ^ dport) & (RECENT_SLOTS - 1);
}

/**
 * The conntrack table: one entry per connection, found from either direction, so replies
 * and established packets take the fast path as in Cilium (policy is decided for the first
 * packet; replies are never checked against policy). The protocol is part of every key, so TCP
 * and the rest never meet, as in Cilium's separate tables; each entry is filed under its tuple,
 * found either way round.
 */
export class Conntrack {
  /** Each entry under its tuple either way round: a lookup builds no key string. */
  readonly #tuples = new CtEntryTable();
  /**
   * Whether filing an entry ever replaced another entry filed under the same tuple. Until it
   * does, every tracked entry is filed and no two tracked entries share a tuple, so unfiling an
   * expired entry after GC's bulk pass has nothing left to remove.
   */
  #clashed = false;
  /** The tuple `find` hashed last, and its hash: the entry created for its packet needs it again. */
  #hashedProto: Protocol = 'TCP';
  #hashedSrc = '';
  #hashedDst = '';
  #hashedPorts = 0;
  #hashed = 0;
  /**
   * The tracked entries in the order they were created, for GC; a deleted entry leaves a hole
   * (its `trackedAt` is -1) that the next GC closes, so creating and deleting allocate nothing;
   * the list is used up to `#end` and never shrinks, so it grows only past its largest size.
   */
  readonly #entries: (CtEntry | undefined)[] = [];
  #end = 0;
  #size = 0;
  /**
   * The entries last found, by a hash of the ports that is the same both ways, so one slot serves
   * both directions of a connection: a packet of an established connection is found without
   * hashing its tuple, and a slot that holds another connection only sends the lookup to the table.
   */
  readonly #recent: (CtEntry | undefined)[] = new Array<CtEntry | undefined>(RECENT_SLOTS).fill(undefined);
  /** The entries one GC found expired, kept between GCs so a GC allocates no list. */
  readonly #dead: (CtEntry | undefined)[] = [];

  lookup(p: Packet): { entry: CtEntry; dir: 'original' | 'reply' } | undefined {
    const entry = this.find(p);
    return entry === undefined ? undefined : { entry, dir: isReplyOf(entry, p) ? 'reply' : 'original' };
  }

  /** The entry `p` belongs to, in either direction; allocates nothing. */
  find(p: Packet): CtEntry | undefined {
    const slot = recentSlot(p.sport, p.dport);
    const recent = this.#recent[slot];
    if (recent !== undefined && recent.proto === p.proto && (isOriginalOf(recent, p) || isOriginalReversed(recent, p))) return recent;
    const hash = pairHash(p.proto, p.srcIp, p.sport, p.dstIp, p.dport);
    this.#hashedProto = p.proto;
    this.#hashedSrc = p.srcIp;
    this.#hashedDst = p.dstIp;
    this.#hashedPorts = (p.sport << 16) | p.dport;
    this.#hashed = hash;
    const found = this.#tuples.get(hash, p.proto, p.srcIp, p.sport, p.dstIp, p.dport);
    if (found !== undefined) this.#recent[slot] = found;
    return found;
  }

  /** The tuple hash of `entry`, as `find` last worked it out when it was for the same tuple. */
  #hashOf(entry: CtEntry): number {
    if (
      this.#hashedPorts === ((entry.sport << 16) | entry.dport) &&
      this.#hashedSrc === entry.srcIp &&
      this.#hashedDst === entry.dstIp &&
      this.#hashedProto === entry.proto
    )
      return this.#hashed;
    return pairHash(entry.proto, entry.srcIp, entry.sport, entry.dstIp, entry.dport);
  }

  /** Whether `entry` is still tracked (GC has not removed it). */
  has(entry: CtEntry): boolean {
    return entry.trackedAt >= 0 && this.#entries[entry.trackedAt] === entry;
  }

  create(entry: CtEntry): CtEntry {
    // The new entry may take over a tuple from one still filed: the table answers for it from now on.
    this.#recent[recentSlot(entry.sport, entry.dport)] = undefined;
    this.#file(entry);
    if (!this.has(entry)) {
      const end = this.#end++;
      entry.trackedAt = end;
      if (end < this.#entries.length) this.#entries[end] = entry;
      else this.#entries.push(entry);
      this.#size++;
    }
    return entry;
  }

  delete(entry: CtEntry): void {
    if (!this.has(entry)) return;
    this.#entries[entry.trackedAt] = undefined;
    entry.trackedAt = -1;
    this.#size--;
    this.#unfile(entry);
  }

  /** Files `entry` under its tuple, in place of any entry filed there. */
  #file(entry: CtEntry): void {
    if (this.#tuples.set(this.#hashOf(entry), entry) !== undefined) this.#clashed = true;
  }

  #unfile(entry: CtEntry): void {
    // The slot is emptied whatever it holds: unfiling may have taken another entry's tuple too.
    this.#recent[recentSlot(entry.sport, entry.dport)] = undefined;
    this.#tuples.delete(this.#hashOf(entry), entry);
  }

  /**
   * Cilium's conntrack GC: removes entries idle longer than their lifetime (bpf/lib/conntrack.h
   * defaults: TCP established 6h, TCP closing 10s, TCP not yet established and non-TCP 60s).
   */
  collect(nowNs: number): number {
    // The survivors move up over the holes in creation order, keeping their places current; the
    // expired are noted and unfiled afterwards.
    const entries = this.#entries;
    const dead = this.#dead;
    let n = 0;
    let kept = 0;
    const end = this.#end;
    for (let i = 0; i < end; i++) {
      const e = entries[i];
      if (e === undefined) continue;
      entries[i] = undefined;
      const idle = nowNs - e.lastSeenNs;
      const lifetime =
        e.proto !== 'TCP' || !e.established ? CT_LIFETIME_NS.other : e.closing ? CT_LIFETIME_NS.closing : CT_LIFETIME_NS.established;
      if (idle > lifetime) {
        e.trackedAt = -1;
        dead[n++] = e;
        continue;
      }
      entries[kept] = e;
      e.trackedAt = kept++;
    }
    this.#end = kept;
    this.#size = kept;
    // Most entries expired (short connections closed long ago): the table keeps its tracked
    // entries in one pass. The expired entries' tuples are then unfiled only if an entry ever
    // took over another's tuple: as unfiling each does, a tuple of an expired entry goes even
    // where a tracked entry has taken it over; without a takeover nothing is left to unfile.
    const bulk = n >= kept;
    if (bulk) {
      this.#tuples.retain(isTracked);
      this.#recent.fill(undefined);
    }
    // Indexed, and emptied rather than shortened: a GC runs too seldom for its loops to be
    // optimized, and a list cut to nothing would grow again, a copy at a time, at the next.
    const unfile = !bulk || this.#clashed;
    for (let i = 0; i < n; i++) {
      if (unfile) this.#unfile(dead[i]!);
      dead[i] = undefined;
    }
    return n;
  }

  get size(): number {
    return this.#size;
  }
}

/** Whether `entry` is in its conntrack's list of tracked entries (see Conntrack.has). */
function isTracked(entry: CtEntry): boolean {
  return entry.trackedAt >= 0;
}
