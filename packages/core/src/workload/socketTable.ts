/**
 * A table from positive whole-number keys (a stack's protocol and local port) to values (the
 * head of that port's chain of client sockets): open addressing with linear probing, and a
 * deletion that moves later entries of the probe run back rather than leaving a tombstone. A
 * client binds and releases a random port per connection; a Map sheds each released key as a
 * deleted entry and rebuilds its table every few dozen connections, where this table allocates
 * only when it grows.
 */
export class SocketTable<V> {
  /** Keys by slot; 0 is an empty slot. */
  #keys = new Int32Array(16);
  #values: (V | undefined)[] = new Array<V | undefined>(16).fill(undefined);
  /** 32 minus log2 of the capacity: a key's home slot is the top bits of its hash. */
  #shift = 28;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get(key: number): V | undefined {
    const keys = this.#keys;
    const mask = keys.length - 1;
    for (let i = this.#home(key); ; i = (i + 1) & mask) {
      const k = keys[i]!;
      if (k === key) return this.#values[i];
      if (k === 0) return undefined;
    }
  }

  /** Files `value` under `key` (> 0), replacing what was there. */
  set(key: number, value: V): void {
    const keys = this.#keys;
    const mask = keys.length - 1;
    let i = this.#home(key);
    for (; keys[i] !== 0; i = (i + 1) & mask)
      if (keys[i] === key) {
        this.#values[i] = value;
        return;
      }
    if (2 * (this.#size + 1) > keys.length) {
      this.#grow();
      this.set(key, value);
      return;
    }
    keys[i] = key;
    this.#values[i] = value;
    this.#size++;
  }

  delete(key: number): void {
    const keys = this.#keys;
    const values = this.#values;
    const mask = keys.length - 1;
    let i = this.#home(key);
    for (; keys[i] !== key; i = (i + 1) & mask) if (keys[i] === 0) return;
    // Later entries of the run whose home is not between the hole and themselves move into it.
    for (let j = (i + 1) & mask; keys[j] !== 0; j = (j + 1) & mask) {
      const home = this.#home(keys[j]!);
      const stays = i <= j ? i < home && home <= j : i < home || home <= j;
      if (stays) continue;
      keys[i] = keys[j]!;
      values[i] = values[j];
      i = j;
    }
    keys[i] = 0;
    values[i] = undefined;
    this.#size--;
  }

  #home(key: number): number {
    return Math.imul(key, 0x9e3779b1) >>> this.#shift;
  }

  #grow(): void {
    const oldKeys = this.#keys;
    const oldValues = this.#values;
    this.#keys = new Int32Array(oldKeys.length * 2);
    this.#values = new Array<V | undefined>(oldKeys.length * 2).fill(undefined);
    this.#shift--;
    this.#size = 0;
    for (let i = 0; i < oldKeys.length; i++) if (oldKeys[i] !== 0) this.set(oldKeys[i]!, oldValues[i] as V);
  }
}
