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
 * empty slot), deletion by shifting the later entries of a probe run back (no tombstones). Each
 * slot also keeps its entry's place among conntrack's tracked entries as it was when filed, so a
 * bulk pass can ask whether an entry is still tracked without reading the entry.
 */
export class CtEntryTable {
  #mask = INITIAL_SLOTS - 1;
  #size = 0;
  #hashes: Int32Array = new Int32Array(INITIAL_SLOTS);
  #entries: (CtEntry | undefined)[] = new Array<CtEntry | undefined>(INITIAL_SLOTS).fill(undefined);
  #places: Int32Array = new Int32Array(INITIAL_SLOTS);
  /** Emptied arrays of the same size for `retain` to fill, once it has run. */
  #spareHashes: Int32Array | undefined;
  #spareEntries: (CtEntry | undefined)[] | undefined;
  #sparePlaces: Int32Array | undefined;

  get size(): number {
    return this.#size;
  }

  /** The entry filed under the tuple (either way round); `hash` is its `pairHash`. */
  get(hash: number, proto: Protocol, src: string, sport: number, dst: string, dport: number): CtEntry | undefined {
    const i = this.#probe(hash, proto, src, sport, dst, dport);
    return i < 0 ? undefined : this.#entries[i];
  }

  /**
   * Files `entry` under its tuple (`hash` its `pairHash`) with its `trackedAt`, in place of
   * whatever was filed there; returns what it replaced when that was another entry, else undefined.
   */
  set(hash: number, entry: CtEntry): CtEntry | undefined {
    let i = this.#probe(hash, entry.proto, entry.srcIp, entry.sport, entry.dstIp, entry.dport);
    if (i >= 0) {
      const held = this.#entries[i]!;
      this.#entries[i] = entry;
      this.#places[i] = entry.trackedAt;
      return held === entry ? undefined : held;
    }
    if ((this.#size + 1) * 2 > this.#mask + 1) {
      this.#grow();
      // The empty slot the probe ended on was the old table's.
      i = this.#probe(hash, entry.proto, entry.srcIp, entry.sport, entry.dstIp, entry.dport);
    }
    // A miss answers the empty slot that ended its probe as ~slot.
    this.#hashes[~i] = hash;
    this.#entries[~i] = entry;
    this.#places[~i] = entry.trackedAt;
    this.#size++;
    return undefined;
  }

  /** Unfiles whatever entry is filed under the tuple of `entry` (either way round). */
  delete(hash: number, entry: CtEntry): boolean {
    let hole = this.#probe(hash, entry.proto, entry.srcIp, entry.sport, entry.dstIp, entry.dport);
    if (hole < 0) return false;
    const mask = this.#mask;
    const hashes = this.#hashes;
    const entries = this.#entries;
    const places = this.#places;
    // Backward-shift deletion: each later entry of the run moves into the hole unless its home
    // slot lies cyclically after the hole (it would then be found before reaching the hole).
    for (let i = (hole + 1) & mask; hashes[i] !== 0; i = (i + 1) & mask) {
      const home = hashes[i]! & mask;
      if (((i - home) & mask) >= ((i - hole) & mask)) {
        hashes[hole] = hashes[i]!;
        entries[hole] = entries[i];
        places[hole] = places[i]!;
        hole = i;
      }
    }
    hashes[hole] = 0;
    entries[hole] = undefined;
    this.#size--;
    return true;
  }

  /**
   * Keeps only the entries that `tracked` still holds at the place each was filed with, in one
   * pass over the slots rather than a deletion per entry: for removing most of a table at once.
   * The slots are refilled from a spare set of arrays, which the old ones then become. (A test of
   * the array here rather than a callback: a GC runs too seldom for a call per entry to be
   * optimized, and the calls cost more than the rest of the pass.)
   */
  retain(tracked: readonly (CtEntry | undefined)[]): void {
    const hashes = this.#hashes;
    const entries = this.#entries;
    const places = this.#places;
    const count = hashes.length;
    let fresh = this.#spareHashes;
    let freshEntries = this.#spareEntries;
    let freshPlaces = this.#sparePlaces;
    if (fresh === undefined || freshEntries === undefined || freshPlaces === undefined || fresh.length !== count) {
      fresh = new Int32Array(count);
      freshEntries = new Array<CtEntry | undefined>(count).fill(undefined);
      freshPlaces = new Int32Array(count);
    }
    this.#hashes = fresh;
    this.#entries = freshEntries;
    this.#places = freshPlaces;
    this.#reinsert(hashes, entries, places, tracked);
    // The old arrays, emptied (so they hold no entry alive), are the spares of the next pass.
    hashes.fill(0);
    entries.fill(undefined);
    this.#spareHashes = hashes;
    this.#spareEntries = entries;
    this.#sparePlaces = places;
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

  #grow(): void {
    const hashes = this.#hashes;
    const entries = this.#entries;
    const places = this.#places;
    const count = (this.#mask + 1) * 2;
    this.#mask = count - 1;
    this.#spareHashes = undefined;
    this.#spareEntries = undefined;
    this.#sparePlaces = undefined;
    this.#hashes = new Int32Array(count);
    this.#entries = new Array<CtEntry | undefined>(count).fill(undefined);
    this.#places = new Int32Array(count);
    this.#reinsert(hashes, entries, places, undefined);
  }

  /** Writes the entries of old arrays (those `tracked` holds, when given) into the current ones. */
  #reinsert(
    hashes: Int32Array,
    entries: (CtEntry | undefined)[],
    places: Int32Array,
    tracked: readonly (CtEntry | undefined)[] | undefined,
  ): void {
    const mask = this.#mask;
    const fresh = this.#hashes;
    const freshEntries = this.#entries;
    const freshPlaces = this.#places;
    let size = 0;
    for (let i = 0; i < hashes.length; i++) {
      const hash = hashes[i]!;
      if (hash === 0) continue;
      const e = entries[i]!;
      const place = places[i]!;
      if (tracked !== undefined && tracked[place] !== e) continue;
      let j = hash & mask;
      while (fresh[j] !== 0) j = (j + 1) & mask;
      fresh[j] = hash;
      freshEntries[j] = e;
      freshPlaces[j] = place;
      size++;
    }
    this.#size = size;
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
