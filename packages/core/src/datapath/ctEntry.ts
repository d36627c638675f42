import type { PolicyDecision } from '../policy/policyDecision.ts';
import type { NetStack } from './netStack.ts';
import type { Protocol, TcpFlags } from './packet.ts';

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
  /**
   * The entry's place among its conntrack's tracked entries (ctTracked.ts); -1 before it is
   * tracked. A place GC freed may hold another entry since: only the place holding the entry says it is tracked.
   */
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
/** Cilium's conntrack lifetimes (bpf/lib/conntrack.h defaults), by how far a connection got. */
export const CT_LIFETIME_NS = { established: 6 * 3600 * S, closing: 10 * S, other: 60 * S } as const;
