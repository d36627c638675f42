import type { Protocol } from './packet.ts';

/** Slots a new table starts with (a power of two). */
const INITIAL_SLOTS = 64;

/**
 * A map from a connection tuple (protocol, source address, destination address, both ports in one
 * number) to a value, in flat arrays with open addressing and linear probing, for the datapath's
 * service frontends noted between connect() and a connection's first packet (conntrack's own
 * entries are in ctEntryTable.ts, found either way round). Filing and unfiling a tuple allocates
 * nothing once the table has grown to the number of live tuples: nested Maps built, emptied and
 * dropped a Map per address pair and connection. Deletion shifts later entries of the probe run back, so there are no tombstones.
 * Each slot keeps its tuple's hash (with the top bit set, so 0 marks an empty slot): a probe
 * reads one array until a hash matches, and moving entries (deletion, growth) hashes nothing again.
 */
export class CtTupleTable<V> {
  #mask = INITIAL_SLOTS - 1;
  #size = 0;
  #hashes: Int32Array = new Int32Array(INITIAL_SLOTS);
  /**
   * Each slot's tuple and value side by side (STRIDE entries from slot * STRIDE), so a hit reads
   * one place in memory rather than one array per field: the tables of a busy node outgrow the caches.
   */
  #slots: unknown[] = new Array<unknown>(INITIAL_SLOTS * STRIDE).fill(undefined);
  /** Emptied arrays of the same size for `retain` to fill, once it has run. */
  #spareHashes: Int32Array | undefined;
  #spareSlots: unknown[] | undefined;

  get size(): number {
    return this.#size;
  }

  get(proto: Protocol, src: string, dst: string, ports: number): V | undefined {
    const i = this.#probe(tupleHash(proto, src, dst, ports | 0), proto, src, dst, ports | 0);
    return i < 0 ? undefined : (this.#slots[i * STRIDE + VALUE] as V);
  }

  set(proto: Protocol, src: string, dst: string, ports: number, value: V): void {
    const key = ports | 0;
    const hash = tupleHash(proto, src, dst, key);
    let i = this.#probe(hash, proto, src, dst, key);
    if (i >= 0) {
      this.#slots[i * STRIDE + VALUE] = value;
      return;
    }
    if ((this.#size + 1) * 2 > this.#mask + 1) {
      this.#grow();
      // The empty slot the probe ended on was the old table's.
      i = this.#probe(hash, proto, src, dst, key);
    }
    // A miss answers the empty slot that ended its probe as ~slot.
    this.#write(~i, hash, proto, src, dst, key, value);
    this.#size++;
  }

  /** Removes the tuple, returning its value (undefined when it was not filed): one probe for both. */
  take(proto: Protocol, src: string, dst: string, ports: number): V | undefined {
    let hole = this.#probe(tupleHash(proto, src, dst, ports | 0), proto, src, dst, ports | 0);
    if (hole < 0) return undefined;
    const value = this.#slots[hole * STRIDE + VALUE] as V;
    const mask = this.#mask;
    const hashes = this.#hashes;
    const slots = this.#slots;
    // Backward-shift deletion: each later entry of the run moves into the hole unless its home
    // slot lies cyclically after the hole (it would then be found before reaching the hole).
    for (let i = (hole + 1) & mask; hashes[i] !== 0; i = (i + 1) & mask) {
      const home = hashes[i]! & mask;
      if (((i - home) & mask) >= ((i - hole) & mask)) {
        hashes[hole] = hashes[i]!;
        const from = i * STRIDE;
        const to = hole * STRIDE;
        for (let f = 0; f < STRIDE; f++) slots[to + f] = slots[from + f];
        hole = i;
      }
    }
    hashes[hole] = 0;
    const at = hole * STRIDE;
    for (let f = 0; f < STRIDE; f++) slots[at + f] = undefined;
    this.#size--;
    return value;
  }

  /**
   * Keeps only the tuples whose value `keep` accepts, in one pass over the slots rather than a
   * deletion per tuple: for removing most of a table at once. The slots are refilled from a
   * spare set of arrays, which the old ones then become.
   */
  retain(keep: (value: V) => boolean): void {
    const hashes = this.#hashes;
    const slots = this.#slots;
    const count = hashes.length;
    let fresh = this.#spareHashes;
    let freshSlots = this.#spareSlots;
    if (fresh === undefined || freshSlots === undefined || fresh.length !== count) {
      fresh = new Int32Array(count);
      freshSlots = new Array<unknown>(count * STRIDE).fill(undefined);
    }
    this.#hashes = fresh;
    this.#slots = freshSlots;
    this.#size = 0;
    this.#reinsert(hashes, slots, keep);
    // The old arrays, emptied (so they hold no value alive), are the spares of the next pass.
    hashes.fill(0);
    slots.fill(undefined);
    this.#spareHashes = hashes;
    this.#spareSlots = slots;
  }

  /** The slot holding the tuple, or ~slot of the empty slot where its probe ended. */
  #probe(hash: number, proto: Protocol, src: string, dst: string, key: number): number {
    const mask = this.#mask;
    const hashes = this.#hashes;
    const slots = this.#slots;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const h = hashes[i]!;
      if (h === 0) return ~i;
      if (h !== hash) continue;
      const at = i * STRIDE;
      if (slots[at + PORTS] === key && slots[at + PROTO] === proto && slots[at + SRC] === src && slots[at + DST] === dst) return i;
    }
  }

  #write(i: number, hash: number, proto: Protocol, src: string, dst: string, ports: number, value: unknown): void {
    this.#hashes[i] = hash;
    const slots = this.#slots;
    const at = i * STRIDE;
    slots[at + PROTO] = proto;
    slots[at + SRC] = src;
    slots[at + DST] = dst;
    slots[at + PORTS] = ports;
    slots[at + VALUE] = value;
  }

  #grow(): void {
    const hashes = this.#hashes;
    const slots = this.#slots;
    const count = (this.#mask + 1) * 2;
    const mask = count - 1;
    this.#mask = mask;
    this.#spareHashes = undefined;
    this.#spareSlots = undefined;
    this.#hashes = new Int32Array(count);
    this.#slots = new Array<unknown>(count * STRIDE).fill(undefined);
    this.#size = 0;
    this.#reinsert(hashes, slots, undefined);
  }

  /** Writes the tuples of old arrays (those `keep` accepts, when given) into the current ones. */
  #reinsert(hashes: Int32Array, slots: unknown[], keep: ((value: V) => boolean) | undefined): void {
    const mask = this.#mask;
    const fresh = this.#hashes;
    for (let i = 0; i < hashes.length; i++) {
      const hash = hashes[i]!;
      if (hash === 0) continue;
      const at = i * STRIDE;
      if (keep !== undefined && !keep(slots[at + VALUE] as V)) continue;
      let j = hash & mask;
      while (fresh[j] !== 0) j = (j + 1) & mask;
      this.#write(
        j,
        hash,
        slots[at + PROTO] as Protocol,
        slots[at + SRC] as string,
        slots[at + DST] as string,
        slots[at + PORTS] as number,
        slots[at + VALUE],
      );
      this.#size++;
    }
  }
}

/** A slot's fields in `#slots`, and how many there are. */
const PROTO = 0;
const SRC = 1;
const DST = 2;
const PORTS = 3;
const VALUE = 4;
const STRIDE = 5;

/** A tuple's two ports as the one number the table keys them by. */
export function portsKey(sport: number, dport: number): number {
  return (sport << 16) | dport;
}

/**
 * A hash of the tuple from the last characters of both addresses (where addresses of one
 * network differ) and the ports: any hash gives the same answers, a cheap one just costs less,
 * and one whose low bits (the slot) vary with every input keeps the probe runs short.
 */
function tupleHash(proto: Protocol, src: string, dst: string, ports: number): number {
  let h = Math.imul(0x811c9dc5 ^ proto.charCodeAt(0), 0x01000193);
  for (let i = src.length - 1, end = Math.max(0, src.length - HASHED_CHARS); i >= end; i--)
    h = Math.imul(h ^ src.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ 0x2f, 0x01000193);
  for (let i = dst.length - 1, end = Math.max(0, dst.length - HASHED_CHARS); i >= end; i--)
    h = Math.imul(h ^ dst.charCodeAt(i), 0x01000193);
  // The ports last, then mixed so each bit of the slot depends on all of them: a client's port
  // sits in the key's upper half, which multiplying alone carries into the upper bits only.
  h ^= ports;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  // The top bit set: a slot's hash is never 0, which marks an empty slot.
  return (h ^ (h >>> 16)) | 0x80000000;
}

/** Characters of each address the hash reads, from its end. */
const HASHED_CHARS = 6;
