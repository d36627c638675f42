/**
 * A first-in, first-out queue of events scheduled with one fixed delay (a packet's latency on
 * the wire): as the clock never goes back and sequence numbers only grow, such events come due
 * in the order they were queued, so the lane is sorted without sifting, and the scheduler takes
 * the earliest of its heap's top and its lanes' heads.
 */
export class EventLane<T> {
  readonly delayNs: number;
  #items: (T | undefined)[] = [];
  #head = 0;

  constructor(delayNs: number) {
    this.delayNs = delayNs;
  }

  get size(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  /** The earliest item; ask only when the lane is not empty. */
  peek(): T {
    return this.#items[this.#head]!;
  }

  shift(): T {
    const items = this.#items;
    const item = items[this.#head]!;
    items[this.#head++] = undefined;
    if (this.#head === items.length) {
      items.length = 0;
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= items.length) {
      // Drop the consumed front now and then, so a lane that never empties stays small.
      items.splice(0, this.#head);
      this.#head = 0;
    }
    return item;
  }
}
