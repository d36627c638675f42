import type { CtEntry } from './ctEntry.ts';
import type { Protocol } from './packet.ts';

/** Slots a new table starts with (a power of two). */
const INITIAL_SLOTS = 64;

/**
 * Conntrack's entries, each filed once under its tuple in either direction: a packet finds its
 * connection whichever way it travels, as when each entry was filed under its original and its
 * reply tuple, with half the filing, unfiling and GC work. The entry is its own key (its
 * protocol, addresses and ports), so a slot holds nothing else: flat arrays with open addressing
 * and linear probing, the hash of each slot's tuple beside it (with the top bit set, so 0 marks an
 * empty slot), deletion by shifting the later entries of a probe run back (no tombstones).
 */
export class CtEntryTable {
  #mask = INITIAL_SLOTS - 1;
  #size = 0;
  #hashes: Int32Array = new Int32Array(INITIAL_SLOTS);
  #entries: (CtEntry | undefined)[] = new Array<CtEntry | undefined>(INITIAL_SLOTS).fill(undefined);

  get size(): number {
    return this.#size;
  }

  /** The entry filed under the tuple (either way round); `hash` is its `pairHash`. */
  get(hash: number, proto: Protocol, src: string, sport: number, dst: string, dport: number): CtEntry | undefined {
    const i = this.#probe(hash, proto, src, sport, dst, dport);
    return i < 0 ? undefined : this.#entries[i];
  }

  /**
   * Files `entry` under its tuple (`hash` its `pairHash`), in place of whatever was filed there;
   * returns what it replaced when that was another entry, else undefined.
   */
  set(hash: number, entry: CtEntry): CtEntry | undefined {
    const i = this.#probe(hash, entry.proto, entry.srcIp, entry.sport, entry.dstIp, entry.dport);
    if (i >= 0) {
      const held = this.#entries[i]!;
      this.#entries[i] = entry;
      return held === entry ? undefined : held;
    }
    // A miss answers the empty slot that ended its probe as ~slot.
    this.#add(~i, hash, entry);
    return undefined;
  }

  /** Unfiles whatever entry is filed under the tuple of `entry` (either way round). */
  delete(hash: number, entry: CtEntry): boolean {
    let hole = this.#probe(hash, entry.proto, entry.srcIp, entry.sport, entry.dstIp, entry.dport);
    if (hole < 0) return false;
    const mask = this.#mask;
    const hashes = this.#hashes;
    const entries = this.#entries;
    // Backward-shift deletion: each later entry of the run moves into the hole unless its home
    // slot lies cyclically after the hole (it would then be found before reaching the hole).
    for (let i = (hole + 1) & mask; hashes[i] !== 0; i = (i + 1) & mask) {
      const home = hashes[i]! & mask;
      if (((i - home) & mask) >= ((i - hole) & mask)) {
        hashes[hole] = hashes[i]!;
        entries[hole] = entries[i];
        hole = i;
      }
    }
    hashes[hole] = 0;
    entries[hole] = undefined;
    this.#size--;
    return true;
  }

  /**
   * Files exactly the entries of `entries` (undefined skipped), each under the hash at the same
   * index of `hashes`, in place of everything filed: for conntrack GC when many entries went at
   * once, one pass over the entries kept rather than over every slot or a deletion per entry
   * gone. No two of the entries may share a tuple (each is filed without looking for another).
   */
  refile(entries: readonly (CtEntry | undefined)[], hashes: Int32Array): void {
    this.#hashes.fill(0);
    this.#entries.fill(undefined);
    this.#size = 0;
    for (let at = 0; at < entries.length; at++) {
      const e = entries[at];
      if (e === undefined) continue;
      const hash = hashes[at]!;
      this.#add(this.#emptySlot(hash), hash, e);
    }
  }

  /** The slot holding the tuple (either way round), or ~slot of the empty slot where its probe ended. */
  #probe(hash: number, proto: Protocol, src: string, sport: number, dst: string, dport: number): number {
    const mask = this.#mask;
    const hashes = this.#hashes;
    const entries = this.#entries;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const h = hashes[i]!;
      if (h === 0) return ~i;
      if (h !== hash) continue;
      const e = entries[i]!;
      if (e.proto !== proto) continue;
      if (e.sport === sport && e.dport === dport && e.srcIp === src && e.dstIp === dst) return i;
      if (e.sport === dport && e.dport === sport && e.srcIp === dst && e.dstIp === src) return i;
    }
  }

  /** The first empty slot of `hash`'s probe run. */
  #emptySlot(hash: number): number {
    const mask = this.#mask;
    const hashes = this.#hashes;
    let i = hash & mask;
    while (hashes[i] !== 0) i = (i + 1) & mask;
    return i;
  }

  /** Files a new entry in the empty slot `i`, first growing the table (and finding a slot in it) when it is half full. */
  #add(i: number, hash: number, entry: CtEntry): void {
    let slot = i;
    if ((this.#size + 1) * 2 > this.#mask + 1) {
      this.#grow();
      slot = this.#emptySlot(hash);
    }
    this.#hashes[slot] = hash;
    this.#entries[slot] = entry;
    this.#size++;
  }

  #grow(): void {
    const hashes = this.#hashes;
    const entries = this.#entries;
    const count = (this.#mask + 1) * 2;
    this.#mask = count - 1;
    this.#hashes = new Int32Array(count);
    this.#entries = new Array<CtEntry | undefined>(count).fill(undefined);
    for (let i = 0; i < hashes.length; i++) {
      const hash = hashes[i]!;
      if (hash === 0) continue;
      const slot = this.#emptySlot(hash);
      this.#hashes[slot] = hash;
      this.#entries[slot] = entries[i];
    }
  }
}

/**
 * A hash of a tuple that is the same either way round: each end (address and port) hashed alone,
 * from the last characters of the address (where addresses of one network differ), the two added,
 * then the protocol, and all mixed so each bit of the slot depends on every input. Any hash gives
 * the same answers; a cheap one just costs less.
 */
export function pairHash(proto: Protocol, src: string, sport: number, dst: string, dport: number): number {
  let h = (endHash(src, sport) + endHash(dst, dport)) ^ proto.charCodeAt(0);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  // The top bit set: a slot's hash is never 0, which marks an empty slot.
  return (h ^ (h >>> 16)) | 0x80000000;
}

function endHash(ip: string, port: number): number {
  let h = 0x811c9dc5;
  for (let i = ip.length - 1, end = Math.max(0, ip.length - HASHED_CHARS); i >= end; i--) h = Math.imul(h ^ ip.charCodeAt(i), 0x01000193);
  return Math.imul(h ^ port, 0x01000193);
}

/** Characters of each address the hash reads, from its end. */
const HASHED_CHARS = 6;
