import { SimError } from '../errors.ts';

/** Hubble's default `hubble-event-buffer-capacity`: a power of two minus one. */
export const DEFAULT_RING_CAPACITY = 4095;

/**
 * A fixed-size ring of the most recent events of one node, as Hubble keeps per agent: once full,
 * each write overwrites the oldest event, and `lost` counts what was overwritten.
 */
export class RingBuffer<T> {
  readonly capacity: number;
  readonly #slots: (T | undefined)[];
  #next = 0;
  #size = 0;
  #written = 0;

  constructor(capacity: number = DEFAULT_RING_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity <= 0) {
      throw new SimError({
        code: 'INVALID_FIELD',
        object: 'HubbleObserver',
        path: 'capacity',
        message: `ring capacity must be a positive integer, got ${capacity}; Hubble's default is ${DEFAULT_RING_CAPACITY}`,
      });
    }
    this.capacity = capacity;
    this.#slots = new Array<T | undefined>(capacity);
  }

  write(item: T): void {
    const next = this.#next;
    this.#slots[next] = item;
    this.#next = next + 1 === this.capacity ? 0 : next + 1;
    if (this.#size < this.capacity) this.#size++;
    this.#written++;
  }

  /** The item the next write overwrites; undefined until the ring is full. */
  overwritten(): T | undefined {
    return this.#size === this.capacity ? this.#slots[this.#next] : undefined;
  }

  get size(): number {
    return this.#size;
  }

  /** Every event ever written, including those since overwritten. */
  get written(): number {
    return this.#written;
  }

  /** Events overwritten before anyone read them. */
  get lost(): number {
    return this.#written - this.#size;
  }

  /** Oldest first. */
  toArray(): T[] {
    const start = (this.#next - this.#size + this.capacity) % this.capacity;
    const out: T[] = [];
    for (let i = 0; i < this.#size; i++) out.push(this.#slots[(start + i) % this.capacity] as T);
    return out;
  }
}
