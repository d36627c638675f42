import type { PolicyDecision } from './policyDecision.ts';
import { tupleKey, type Packet, type Protocol } from './packet.ts';

/** One tracked connection, keyed by its original-direction 5-tuple after service translation. */
export interface CtEntry {
  readonly proto: Protocol;
  readonly srcIp: string;
  readonly sport: number;
  readonly dstIp: string;
  readonly dport: number;
  /** The ClusterIP:port the client addressed, for reverse translation of replies. */
  readonly frontend?: { readonly ip: string; readonly port: number; readonly namespace: string; readonly name: string };
  readonly createdAtNs: number;
  lastSeenNs: number;
  /** The ingress decision at the destination, kept so established packets need no verdict event. */
  ingress?: PolicyDecision;
  egress?: PolicyDecision;
  /** The node that enforced egress (the client's), where an egress proxy runs. */
  egressNode?: string;
  /** Set once the destination answered, so the entry counts as established. */
  established: boolean;
  /** Set when a FIN or RST went through: the connection is closing and expires soon. */
  closing: boolean;
}

const S = 1_000_000_000;
export const CT_LIFETIME_NS = { established: 6 * 3600 * S, closing: 10 * S, other: 60 * S } as const;

export type CtDirection = 'original' | 'reply' | 'new';

/** True when `p` travels the reply direction of `entry` (server to client). */
export function isReplyOf(entry: CtEntry, p: Packet): boolean {
  return !(p.srcIp === entry.srcIp && p.sport === entry.sport && p.dstIp === entry.dstIp && p.dport === entry.dport);
}

/**
 * The conntrack table: one entry per connection, found from either direction, so replies
 * and established packets take the fast path as in Cilium (policy is decided for the first
 * packet; replies are never checked against policy).
 */
export class Conntrack {
  readonly #orig = new Map<string, CtEntry>();
  readonly #reply = new Map<string, CtEntry>();

  lookup(p: Packet): { entry: CtEntry; dir: 'original' | 'reply' } | undefined {
    const entry = this.find(p);
    return entry === undefined ? undefined : { entry, dir: isReplyOf(entry, p) ? 'reply' : 'original' };
  }

  /** The entry `p` belongs to, in either direction; no allocation beyond the tuple key. */
  find(p: Packet): CtEntry | undefined {
    const key = tupleKey(p.proto, p.srcIp, p.sport, p.dstIp, p.dport);
    return this.#orig.get(key) ?? this.#reply.get(key);
  }

  create(entry: CtEntry): CtEntry {
    this.#orig.set(tupleKey(entry.proto, entry.srcIp, entry.sport, entry.dstIp, entry.dport), entry);
    this.#reply.set(tupleKey(entry.proto, entry.dstIp, entry.dport, entry.srcIp, entry.sport), entry);
    return entry;
  }

  delete(entry: CtEntry): void {
    this.#orig.delete(tupleKey(entry.proto, entry.srcIp, entry.sport, entry.dstIp, entry.dport));
    this.#reply.delete(tupleKey(entry.proto, entry.dstIp, entry.dport, entry.srcIp, entry.sport));
  }

  /**
   * Cilium's conntrack GC: removes entries idle longer than their lifetime (bpf/lib/conntrack.h
   * defaults: TCP established 6h, TCP closing 10s, TCP not yet established and non-TCP 60s).
   */
  collect(nowNs: number): number {
    let n = 0;
    for (const e of [...this.#orig.values()]) {
      const idle = nowNs - e.lastSeenNs;
      const lifetime = e.proto !== 'TCP' || !e.established ? CT_LIFETIME_NS.other : e.closing ? CT_LIFETIME_NS.closing : CT_LIFETIME_NS.established;
      if (idle > lifetime) {
        this.delete(e);
        n++;
      }
    }
    return n;
  }

  get size(): number {
    return this.#orig.size;
  }
}
