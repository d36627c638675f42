import { CtEntryTable, pairHash } from './ctEntryTable.ts';
import type { CtEntry } from './ctEntry.ts';
import { CtTracked } from './ctTracked.ts';
import { portsKey } from './ctTupleTable.ts';
import type { Packet, Protocol } from './packet.ts';

// The entry is its own module (the tables that hold entries read it); it is conntrack's, and
// importers keep finding it here.
export { CT_LIFETIME_NS, CtEntry, newCtEntry, type CtFrontend, type CtTuple } from './ctEntry.ts';

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
   * does, the table files exactly the tracked entries, each under its own tuple, so GC may file
   * the entries it keeps again from the tracked ones.
   */
  #clashed = false;
  /** The tuple `find` hashed last, and its hash: the entry created for its packet needs it again. */
  #hashedProto: Protocol = 'TCP';
  #hashedSrc = '';
  #hashedDst = '';
  #hashedPorts = 0;
  #hashed = 0;
  #foundReply = false;
  /** The tracked entries, with what GC reads of them. */
  readonly #tracked = new CtTracked();
  /**
   * The entries last found, by a hash of the ports that is the same both ways, so one slot serves
   * both directions of a connection: a packet of an established connection is found without
   * hashing its tuple, and a slot that holds another connection only sends the lookup to the table.
   */
  readonly #recent: (CtEntry | undefined)[] = new Array<CtEntry | undefined>(RECENT_SLOTS).fill(undefined);
  /**
   * The ports of each slot's entry (as `portsKey` joins them), beside it: a connection's first
   * packet finds its slot holding an older connection, whose entry has long left the CPU's caches,
   * and comparing the ports here first spares reading it.
   */
  readonly #recentPorts = new Int32Array(RECENT_SLOTS);
  /** The entries one GC found expired, kept between GCs so a GC allocates no list. */
  readonly #dead: (CtEntry | undefined)[] = [];

  /**
   * The entry `p` belongs to, in either direction; allocates nothing. Whether `p` travels the
   * entry's reply direction is then `foundReply`.
   */
  find(p: Packet): CtEntry | undefined {
    // The packet's fields read once: packets come in several shapes, so each read costs a dispatch.
    const proto = p.proto;
    const src = p.srcIp;
    const dst = p.dstIp;
    const sport = p.sport;
    const dport = p.dport;
    const slot = recentSlot(sport, dport);
    const ports = portsKey(sport, dport);
    const recentPorts = this.#recentPorts[slot];
    const recent = recentPorts === ports || recentPorts === portsKey(dport, sport) ? this.#recent[slot] : undefined;
    if (recent !== undefined && recent.proto === proto) {
      if (recent.sport === sport && recent.dport === dport && recent.srcIp === src && recent.dstIp === dst) {
        this.#foundReply = false;
        return recent;
      }
      if (recent.sport === dport && recent.dport === sport && recent.srcIp === dst && recent.dstIp === src) {
        this.#foundReply = true;
        return recent;
      }
    }
    const hash = pairHash(proto, src, sport, dst, dport);
    this.#hashedProto = proto;
    this.#hashedSrc = src;
    this.#hashedDst = dst;
    this.#hashedPorts = ports;
    this.#hashed = hash;
    const found = this.#tuples.get(hash, proto, src, sport, dst, dport);
    if (found === undefined) return undefined;
    this.#recent[slot] = found;
    this.#recentPorts[slot] = portsKey(found.sport, found.dport);
    this.#foundReply = !(found.sport === sport && found.dport === dport && found.srcIp === src && found.dstIp === dst);
    return found;
  }

  /** Whether the packet `find` last found an entry for travels the entry's reply direction. */
  get foundReply(): boolean {
    return this.#foundReply;
  }

  /** The tuple hash of `entry`, as `find` last worked it out when it was for the same tuple. */
  #hashOf(entry: CtEntry): number {
    if (
      this.#hashedPorts === portsKey(entry.sport, entry.dport) &&
      this.#hashedSrc === entry.srcIp &&
      this.#hashedDst === entry.dstIp &&
      this.#hashedProto === entry.proto
    )
      return this.#hashed;
    return pairHash(entry.proto, entry.srcIp, entry.sport, entry.dstIp, entry.dport);
  }

  /** Whether `entry` is still tracked (GC has not removed it). */
  has(entry: CtEntry): boolean {
    return this.#tracked.has(entry);
  }

  create(entry: CtEntry): CtEntry {
    const hash = this.#hashOf(entry);
    if (!this.#tracked.has(entry)) this.#tracked.add(entry, hash);
    // Filed in place of any entry filed under the same tuple.
    if (this.#tuples.set(hash, entry) !== undefined) this.#clashed = true;
    // The connection's next packet (the answer) finds it without hashing its tuple. The entry may
    // have taken over a tuple from one still filed, as it has in the table.
    const slot = recentSlot(entry.sport, entry.dport);
    this.#recent[slot] = entry;
    this.#recentPorts[slot] = portsKey(entry.sport, entry.dport);
    return entry;
  }

  delete(entry: CtEntry): void {
    if (this.#tracked.remove(entry)) this.#unfile(entry);
  }

  /** A packet of `entry` went through at `nowNs`; `closing` when it carried a FIN or RST. */
  seen(entry: CtEntry, nowNs: number, closing: boolean): void {
    entry.lastSeenNs = nowNs;
    if (closing) entry.closing = true;
    this.#tracked.touched(entry);
  }

  /** The destination answered `entry`'s connection. */
  established(entry: CtEntry): void {
    if (entry.established) return;
    entry.established = true;
    this.#tracked.touched(entry);
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
    const dead = this.#dead;
    const n = this.#tracked.expire(nowNs, dead);
    // While every tracked entry is filed under its own tuple (none ever took over another's), the
    // entries kept are filed again in one pass unless few expired: unfiling an entry (hashing its
    // tuple, probing, shifting its probe run back) costs several times what filing one afresh does.
    // Otherwise each expired entry's tuple is unfiled, which also unfiles a tuple that a tracked
    // entry took over from an expired one. Either way the table then files the tracked entries.
    const refile = !this.#clashed && n * 3 >= this.#tracked.size;
    if (refile) {
      this.#tuples.refile(this.#tracked.places, this.#tracked.hashes);
      this.#recent.fill(undefined);
    } else for (let i = 0; i < n; i++) this.#unfile(dead[i]!);
    // Emptied rather than shortened: a list cut to nothing would grow again, a copy at a time, at the next GC.
    dead.fill(undefined, 0, n);
    return n;
  }

  get size(): number {
    return this.#tracked.size;
  }
}
