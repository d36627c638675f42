import type { PolicyDecision } from '../policy/policyDecision.ts';
import type { NetStack } from './netStack.ts';
import type { Packet, Protocol, TcpFlags } from './packet.ts';

/** The service address a client connected to, before socket LB chose a backend. */
export interface CtFrontend {
  readonly ip: string;
  readonly port: number;
  readonly namespace: string;
  readonly name: string;
}

/** One tracked connection, keyed by its original-direction 5-tuple after service translation. */
export interface CtEntry {
  readonly proto: Protocol;
  readonly srcIp: string;
  readonly sport: number;
  readonly dstIp: string;
  readonly dport: number;
  /** The ClusterIP:port the client addressed, for reverse translation of replies. */
  readonly frontend: CtFrontend | undefined;
  readonly createdAtNs: number;
  lastSeenNs: number;
  /** The ingress decision at the destination, kept so established packets need no verdict event. */
  ingress?: PolicyDecision | undefined;
  egress?: PolicyDecision | undefined;
  /** The node that enforced egress (the client's), where an egress proxy runs. */
  egressNode?: string | undefined;
  /** Set once the destination answered, so the entry counts as established. */
  established: boolean;
  /** Set when a FIN or RST went through: the connection is closing and expires soon. */
  closing: boolean;
  /**
   * The port the connection really uses between the nodes when the proxies carry it inside TLS
   * (the SPIFFE TLS upgrade's `dstPort`); undefined for a connection on its own port.
   */
  tlsPort: number | undefined;
  /** TCP flags reported to Hubble per direction, and when (monitor aggregation; -1: never). */
  txFlagsSeen: number;
  rxFlagsSeen: number;
  lastTxReportNs: number;
  lastRxReportNs: number;
  /** The flags object of each direction's last packet that was not closing (every flag in it reported). */
  txFlags: TcpFlags | undefined;
  rxFlags: TcpFlags | undefined;
  /**
   * The state revision (sim/stateRevision.ts) at which a packet in the original direction last
   * passed the source's egress and the destination's ingress policy with the connection's own
   * verdict, nothing left to do per packet (no proxy, no authentication): while it holds, the
   * next packets skip the policy lookups, as nothing they depend on changed. -1: not yet.
   */
  egressPassed: number;
  ingressPassed: number;
  /** The stacks the two directions deliver to, as found at `stacksRevision`. */
  serverStack: NetStack | undefined;
  clientStack: NetStack | undefined;
  stacksRevision: number;
}

/** A connection's 5-tuple, in its original direction. */
export type CtTuple = Pick<CtEntry, 'proto' | 'srcIp' | 'sport' | 'dstIp' | 'dport'>;

/** A fresh entry for `tuple`, first seen at `nowNs`: not established, nothing reported yet. */
export function newCtEntry(tuple: CtTuple, nowNs: number, frontend?: CtFrontend): CtEntry {
  // Every field always present: all entries share one shape on the per-packet path.
  return {
    proto: tuple.proto,
    srcIp: tuple.srcIp,
    sport: tuple.sport,
    dstIp: tuple.dstIp,
    dport: tuple.dport,
    frontend,
    createdAtNs: nowNs,
    lastSeenNs: nowNs,
    ingress: undefined,
    egress: undefined,
    egressNode: undefined,
    established: false,
    closing: false,
    tlsPort: undefined,
    txFlagsSeen: 0,
    rxFlagsSeen: 0,
    lastTxReportNs: -1,
    lastRxReportNs: -1,
    txFlags: undefined,
    rxFlags: undefined,
    egressPassed: -1,
    ingressPassed: -1,
    serverStack: undefined,
    clientStack: undefined,
    stacksRevision: -1,
  };
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

/** Source IP -> destination IP -> (sport << 16 | dport) -> entry: a lookup builds no key string. */
type TupleTable = Map<string, Map<string, Map<number, CtEntry>>>;

/**
 * The conntrack table: one entry per connection, found from either direction, so replies
 * and established packets take the fast path as in Cilium (policy is decided for the first
 * packet; replies are never checked against policy). One table per protocol, as Cilium keeps
 * TCP apart from the rest; each entry is filed under its original and its reply tuple.
 */
export class Conntrack {
  readonly #tables: Readonly<Record<Protocol, TupleTable>> = { TCP: new Map(), UDP: new Map(), SCTP: new Map(), ICMP: new Map() };
  readonly #entries = new Set<CtEntry>();
  /**
   * The entries last found, by a hash of the ports that is the same both ways, so one slot serves
   * both directions of a connection: a packet of an established connection is found without the
   * three map reads, and a slot that holds another connection only sends the lookup to the maps.
   */
  readonly #recent: (CtEntry | undefined)[] = new Array<CtEntry | undefined>(RECENT_SLOTS).fill(undefined);

  lookup(p: Packet): { entry: CtEntry; dir: 'original' | 'reply' } | undefined {
    const entry = this.find(p);
    return entry === undefined ? undefined : { entry, dir: isReplyOf(entry, p) ? 'reply' : 'original' };
  }

  /** The entry `p` belongs to, in either direction; allocates nothing. */
  find(p: Packet): CtEntry | undefined {
    const slot = recentSlot(p.sport, p.dport);
    const recent = this.#recent[slot];
    if (recent !== undefined && recent.proto === p.proto && (isOriginalOf(recent, p) || isOriginalReversed(recent, p))) return recent;
    const found = this.#tables[p.proto].get(p.srcIp)?.get(p.dstIp)?.get(portsKey(p.sport, p.dport));
    if (found !== undefined) this.#recent[slot] = found;
    return found;
  }

  /** Whether `entry` is still tracked (GC has not removed it). */
  has(entry: CtEntry): boolean {
    return this.#entries.has(entry);
  }

  create(entry: CtEntry): CtEntry {
    // The new entry may take over a tuple from one still filed: the maps answer for it from now on.
    this.#recent[recentSlot(entry.sport, entry.dport)] = undefined;
    const table = this.#tables[entry.proto];
    file(table, entry.srcIp, entry.dstIp, portsKey(entry.sport, entry.dport), entry);
    file(table, entry.dstIp, entry.srcIp, portsKey(entry.dport, entry.sport), entry);
    this.#entries.add(entry);
    return entry;
  }

  delete(entry: CtEntry): void {
    if (!this.#entries.delete(entry)) return;
    // The slot is emptied whatever it holds: unfiling may have taken another entry's tuple too.
    this.#recent[recentSlot(entry.sport, entry.dport)] = undefined;
    const table = this.#tables[entry.proto];
    unfile(table, entry.srcIp, entry.dstIp, portsKey(entry.sport, entry.dport));
    unfile(table, entry.dstIp, entry.srcIp, portsKey(entry.dport, entry.sport));
  }

  /**
   * Cilium's conntrack GC: removes entries idle longer than their lifetime (bpf/lib/conntrack.h
   * defaults: TCP established 6h, TCP closing 10s, TCP not yet established and non-TCP 60s).
   */
  collect(nowNs: number): number {
    let n = 0;
    // Deleting the entry a Set iteration stands on is safe in JavaScript: no copy of the table.
    for (const e of this.#entries) {
      const idle = nowNs - e.lastSeenNs;
      const lifetime =
        e.proto !== 'TCP' || !e.established ? CT_LIFETIME_NS.other : e.closing ? CT_LIFETIME_NS.closing : CT_LIFETIME_NS.established;
      if (idle > lifetime) {
        this.delete(e);
        n++;
      }
    }
    return n;
  }

  get size(): number {
    return this.#entries.size;
  }
}

function portsKey(sport: number, dport: number): number {
  return (sport << 16) | dport;
}

function file(table: TupleTable, src: string, dst: string, ports: number, entry: CtEntry): void {
  let bySrc = table.get(src);
  if (bySrc === undefined) table.set(src, (bySrc = new Map()));
  let byDst = bySrc.get(dst);
  if (byDst === undefined) bySrc.set(dst, (byDst = new Map()));
  byDst.set(ports, entry);
}

function unfile(table: TupleTable, src: string, dst: string, ports: number): void {
  const bySrc = table.get(src);
  const byDst = bySrc?.get(dst);
  if (bySrc === undefined || byDst === undefined) return;
  byDst.delete(ports);
  if (byDst.size > 0) return;
  bySrc.delete(dst);
  if (bySrc.size === 0) table.delete(src);
}
