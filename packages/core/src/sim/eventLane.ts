/**
 * A first-in, first-out queue of events scheduled with one fixed delay (a packet's latency on
 * the wire): as the clock never goes back and sequence numbers only grow, such events come due
 * in the order they were queued, so the lane is sorted without sifting, and the scheduler takes
 * the earliest of its heap's top and its lanes' heads.
 */
export class EventLane<T> {
  readonly delayNs: number;
  /** A ring: `#size` items from `#head`, wrapping at the (power of two) capacity. */
  #items: (T | undefined)[] = new Array<T | undefined>(16).fill(undefined);
  #head = 0;
  #size = 0;

  constructor(delayNs: number) {
    this.delayNs = delayNs;
  }

  get size(): number {
    return this.#size;
  }

  push(item: T): void {
    if (this.#size === this.#items.length) this.#grow();
    this.#items[(this.#head + this.#size++) & (this.#items.length - 1)] = item;
  }

  /** The earliest item; ask only when the lane is not empty. */
  peek(): T {
    return this.#items[this.#head]!;
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
    const items = new Array<T | undefined>(old.length * 2).fill(undefined);
    for (let i = 0; i < this.#size; i++) items[i] = old[(this.#head + i) & (old.length - 1)];
    this.#items = items;
    this.#head = 0;
  }
}
