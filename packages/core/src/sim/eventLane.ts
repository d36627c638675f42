/**
 * A first-in, first-out queue of events scheduled with one fixed delay (a packet's latency on
 * the wire, a connection's timeout): as the clock never goes back and sequence numbers only
 * grow, such events come due in the order they were queued, so the lane is sorted without
 * sifting, and the scheduler takes the earliest of its heap's top and its lanes' heads. Each
 * item's due time and sequence number are kept beside it in typed arrays, as the heap keeps
 * them: comparing heads never reads an item, which for a timer set seconds ago is long out of
 * the cache.
 */
export class EventLane<T> {
  readonly delayNs: number;
  /** A ring: `#size` items from `#head`, wrapping at the (power of two) capacity. */
  #items: (T | undefined)[] = new Array<T | undefined>(16).fill(undefined);
  #due = new Float64Array(16);
  #seq = new Float64Array(16);
  #head = 0;
  #size = 0;

  constructor(delayNs: number) {
    this.delayNs = delayNs;
  }

  get size(): number {
    return this.#size;
  }

  push(item: T, due: number, seq: number): void {
    if (this.#size === this.#items.length) this.#grow();
    const i = (this.#head + this.#size++) & (this.#items.length - 1);
    this.#items[i] = item;
    this.#due[i] = due;
    this.#seq[i] = seq;
  }

  /** The earliest item's due time; ask only when the lane is not empty. */
  get headDue(): number {
    return this.#due[this.#head]!;
  }

  /** The earliest item's sequence number; ask only when the lane is not empty. */
  get headSeq(): number {
    return this.#seq[this.#head]!;
  }

  shift(): T {
    const items = this.#items;
    const item = items[this.#head]!;
    items[this.#head] = undefined;
    this.#head = (this.#head + 1) & (items.length - 1);
    this.#size--;
    return item;
  }

  #grow(): void {
    const old = this.#items;
    const n = old.length;
    const items = new Array<T | undefined>(n * 2).fill(undefined);
    const due = new Float64Array(n * 2);
    const seq = new Float64Array(n * 2);
    for (let i = 0; i < this.#size; i++) {
      const j = (this.#head + i) & (n - 1);
      items[i] = old[j];
      due[i] = this.#due[j]!;
      seq[i] = this.#seq[j]!;
    }
    this.#items = items;
    this.#due = due;
    this.#seq = seq;
    this.#head = 0;
  }
}
