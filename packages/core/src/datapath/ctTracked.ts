import { CT_LIFETIME_NS, type CtEntry } from './ctEntry.ts';

/** Lifetimes by `lifetimeClass`: not established (or not TCP), established, closing. */
const LIFETIMES = [CT_LIFETIME_NS.other, CT_LIFETIME_NS.established, CT_LIFETIME_NS.closing] as const;

/** Which of Cilium's conntrack lifetimes applies to `e` now, as an index of LIFETIMES. */
function lifetimeClass(e: CtEntry): number {
  return e.proto !== 'TCP' || !e.established ? 0 : e.closing ? 2 : 1;
}

/**
 * Conntrack's tracked entries, each in a numbered place (its `trackedAt`) with its last-seen
 * time and lifetime class beside it in flat arrays: GC decides which entries expired by reading
 * those arrays in order, never the entries themselves, which lie all over the heap (a GC touching
 * every entry spent most of its time waiting for memory). A place freed by a deletion or by GC is
 * reused by the next entry, so places never move and tracking allocates nothing once the arrays
 * have grown to the most entries tracked at once.
 */
export class CtTracked {
  readonly #entries: (CtEntry | undefined)[] = [];
  #seen = new Float64Array(INITIAL_PLACES);
  #lifetimes = new Uint8Array(INITIAL_PLACES);
  /** Each entry's tuple hash (ctEntryTable.ts's `pairHash`), for filing the entries kept by a GC again. */
  #hashes = new Int32Array(INITIAL_PLACES);
  /** Freed places, reused last freed first. */
  readonly #free: number[] = [];
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Whether `entry` is tracked: its place holds it (a freed place may hold another entry since). */
  has(entry: CtEntry): boolean {
    return entry.trackedAt >= 0 && this.#entries[entry.trackedAt] === entry;
  }

  /** The entry each place holds: for going through the entries without a list of them. */
  get places(): readonly (CtEntry | undefined)[] {
    return this.#entries;
  }

  /** The tuple hash of each place's entry, as `add` was given it. */
  get hashes(): Int32Array {
    return this.#hashes;
  }

  /** Tracks `entry` (not tracked yet) in a free place, as last seen at its `lastSeenNs`, with its tuple's `hash`. */
  add(entry: CtEntry, hash: number): void {
    let at = this.#free.pop();
    if (at === undefined) {
      at = this.#entries.length;
      this.#entries.push(entry);
      if (at === this.#seen.length) this.#grow();
    } else this.#entries[at] = entry;
    entry.trackedAt = at;
    this.#seen[at] = entry.lastSeenNs;
    this.#lifetimes[at] = lifetimeClass(entry);
    this.#hashes[at] = hash;
    this.#size++;
  }

  /** Stops tracking `entry`; false when it was not tracked. */
  remove(entry: CtEntry): boolean {
    if (!this.has(entry)) return false;
    this.#release(entry.trackedAt);
    entry.trackedAt = -1;
    return true;
  }

  /** Notes a change of `entry`'s `lastSeenNs`, `established` or `closing`, when it is tracked. */
  touched(entry: CtEntry): void {
    const at = entry.trackedAt;
    if (at < 0 || this.#entries[at] !== entry) return;
    this.#seen[at] = entry.lastSeenNs;
    this.#lifetimes[at] = lifetimeClass(entry);
  }

  /**
   * Stops tracking the entries idle longer than their lifetime at `nowNs`, writing them to `dead`
   * from index 0 (their `trackedAt` is left as it was: their places no longer hold them); returns
   * how many.
   */
  expire(nowNs: number, dead: (CtEntry | undefined)[]): number {
    const entries = this.#entries;
    const seen = this.#seen;
    const lifetimes = this.#lifetimes;
    let n = 0;
    for (let at = 0; at < entries.length; at++) {
      const e = entries[at];
      if (e === undefined || nowNs - seen[at]! <= LIFETIMES[lifetimes[at]!]!) continue;
      dead[n++] = e;
      this.#release(at);
    }
    return n;
  }

  #release(at: number): void {
    this.#entries[at] = undefined;
    this.#free.push(at);
    this.#size--;
  }

  #grow(): void {
    const seen = new Float64Array(this.#seen.length * 2);
    seen.set(this.#seen);
    this.#seen = seen;
    const lifetimes = new Uint8Array(this.#lifetimes.length * 2);
    lifetimes.set(this.#lifetimes);
    this.#lifetimes = lifetimes;
    const hashes = new Int32Array(this.#hashes.length * 2);
    hashes.set(this.#hashes);
    this.#hashes = hashes;
  }
}

/** Places the arrays start with. */
const INITIAL_PLACES = 64;
