/**
 * The scheduler's queue: a binary heap of items ordered by (due time, sequence number), the
 * keys kept in typed arrays beside the items, so sifting compares plain numbers and never reads
 * an item. Sift-up and sift-down move a hole rather than swap: each item is written once, where
 * it lands.
 */
export class EventHeap<T> {
  #items: (T | undefined)[] = [];
  #due = new Float64Array(64);
  #seq = new Float64Array(64);
  #n = 0;

  get size(): number {
    return this.#n;
  }

  /** The earliest due time; ask only when the heap is not empty. */
  get topDue(): number {
    return this.#due[0]!;
  }

  /** The earliest item's sequence number; ask only when the heap is not empty. */
  get topSeq(): number {
    return this.#seq[0]!;
  }

  push(item: T, due: number, seq: number): void {
    if (this.#n === this.#due.length) this.#grow();
    const items = this.#items;
    const dues = this.#due;
    const seqs = this.#seq;
    let i = this.#n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pd = dues[p]!;
      if (pd < due || (pd === due && seqs[p]! < seq)) break;
      items[i] = items[p];
      dues[i] = pd;
      seqs[i] = seqs[p]!;
      i = p;
    }
    items[i] = item;
    dues[i] = due;
    seqs[i] = seq;
  }

  /** Removes and returns the earliest item; the heap must not be empty. */
  pop(): T {
    const items = this.#items;
    const dues = this.#due;
    const seqs = this.#seq;
    const top = items[0]!;
    const n = --this.#n;
    const last = items[n];
    const lastDue = dues[n]!;
    const lastSeq = seqs[n]!;
    items[n] = undefined;
    if (n === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && (dues[r]! < dues[l]! || (dues[r] === dues[l] && seqs[r]! < seqs[l]!))) c = r;
      const cd = dues[c]!;
      if (lastDue < cd || (lastDue === cd && lastSeq < seqs[c]!)) break;
      items[i] = items[c];
      dues[i] = cd;
      seqs[i] = seqs[c]!;
      i = c;
    }
    items[i] = last;
    dues[i] = lastDue;
    seqs[i] = lastSeq;
    return top;
  }

  #grow(): void {
    const due = new Float64Array(this.#due.length * 2);
    const seq = new Float64Array(this.#seq.length * 2);
    due.set(this.#due);
    seq.set(this.#seq);
    this.#due = due;
    this.#seq = seq;
  }
}
