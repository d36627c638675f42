import type { Protocol } from './packet.ts';

/** Slots a new table starts with (a power of two). */
const INITIAL_SLOTS = 64;

/**
 * A map from a connection tuple (protocol, source address, destination address, both ports in one
 * number) to a value, in flat arrays with open addressing and linear probing. Filing and unfiling
 * a tuple, as every short connection does twice, allocates nothing once the table has grown to
 * the number of live tuples: nested Maps built, emptied and dropped a Map per address pair and
 * connection. Deletion shifts later entries of the probe run back, so there are no tombstones.
 */
export class CtTupleTable<V> {
  #mask = INITIAL_SLOTS - 1;
  #size = 0;
  #protos: (Protocol | undefined)[] = new Array<Protocol | undefined>(INITIAL_SLOTS).fill(undefined);
  #srcs: string[] = new Array<string>(INITIAL_SLOTS).fill('');
  #dsts: string[] = new Array<string>(INITIAL_SLOTS).fill('');
  #ports = new Int32Array(INITIAL_SLOTS);
  #values: (V | undefined)[] = new Array<V | undefined>(INITIAL_SLOTS).fill(undefined);

  get size(): number {
    return this.#size;
  }

  get(proto: Protocol, src: string, dst: string, ports: number): V | undefined {
    const i = this.#slotOf(proto, src, dst, ports);
    return i < 0 ? undefined : this.#values[i];
  }

  set(proto: Protocol, src: string, dst: string, ports: number, value: V): void {
    const found = this.#slotOf(proto, src, dst, ports);
    if (found >= 0) {
      this.#values[found] = value;
      return;
    }
    if ((this.#size + 1) * 2 > this.#mask + 1) this.#grow();
    this.#place(proto, src, dst, ports | 0, value);
    this.#size++;
  }

  delete(proto: Protocol, src: string, dst: string, ports: number): boolean {
    let hole = this.#slotOf(proto, src, dst, ports);
    if (hole < 0) return false;
    const mask = this.#mask;
    const protos = this.#protos;
    // Backward-shift deletion: each later entry of the run moves into the hole unless its home
    // slot lies cyclically after the hole (it would then be found before reaching the hole).
    for (let i = (hole + 1) & mask; protos[i] !== undefined; i = (i + 1) & mask) {
      const home = tupleHash(protos[i]!, this.#srcs[i]!, this.#dsts[i]!, this.#ports[i]!) & mask;
      if (((i - home) & mask) >= ((i - hole) & mask)) {
        this.#move(i, hole);
        hole = i;
      }
    }
    protos[hole] = undefined;
    this.#srcs[hole] = '';
    this.#dsts[hole] = '';
    this.#ports[hole] = 0;
    this.#values[hole] = undefined;
    this.#size--;
    return true;
  }

  #slotOf(proto: Protocol, src: string, dst: string, ports: number): number {
    const mask = this.#mask;
    const protos = this.#protos;
    const key = ports | 0;
    for (let i = tupleHash(proto, src, dst, key) & mask; ; i = (i + 1) & mask) {
      const p = protos[i];
      if (p === undefined) return -1;
      if (p === proto && this.#ports[i] === key && this.#srcs[i] === src && this.#dsts[i] === dst) return i;
    }
  }

  #place(proto: Protocol, src: string, dst: string, ports: number, value: V): void {
    const mask = this.#mask;
    let i = tupleHash(proto, src, dst, ports) & mask;
    while (this.#protos[i] !== undefined) i = (i + 1) & mask;
    this.#protos[i] = proto;
    this.#srcs[i] = src;
    this.#dsts[i] = dst;
    this.#ports[i] = ports;
    this.#values[i] = value;
  }

  #move(from: number, to: number): void {
    this.#protos[to] = this.#protos[from];
    this.#srcs[to] = this.#srcs[from]!;
    this.#dsts[to] = this.#dsts[from]!;
    this.#ports[to] = this.#ports[from]!;
    this.#values[to] = this.#values[from];
  }

  #grow(): void {
    const protos = this.#protos;
    const srcs = this.#srcs;
    const dsts = this.#dsts;
    const ports = this.#ports;
    const values = this.#values;
    const slots = (this.#mask + 1) * 2;
    this.#mask = slots - 1;
    this.#protos = new Array<Protocol | undefined>(slots).fill(undefined);
    this.#srcs = new Array<string>(slots).fill('');
    this.#dsts = new Array<string>(slots).fill('');
    this.#ports = new Int32Array(slots);
    this.#values = new Array<V | undefined>(slots).fill(undefined);
    for (let i = 0; i < protos.length; i++) {
      const proto = protos[i];
      if (proto !== undefined) this.#place(proto, srcs[i]!, dsts[i]!, ports[i]!, values[i] as V);
    }
  }
}

/** A tuple's two ports as the one number the table keys them by. */
export function portsKey(sport: number, dport: number): number {
  return (sport << 16) | dport;
}

/**
 * A hash of the tuple from the last characters of both addresses (where addresses of one
 * network differ) and the ports: any hash gives the same answers, a cheap one just costs less.
 */
function tupleHash(proto: Protocol, src: string, dst: string, ports: number): number {
  let h = Math.imul(0x811c9dc5 ^ proto.charCodeAt(0), 0x01000193);
  for (let i = src.length - 1, end = Math.max(0, src.length - HASHED_CHARS); i >= end; i--)
    h = Math.imul(h ^ src.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ 0x2f, 0x01000193);
  for (let i = dst.length - 1, end = Math.max(0, dst.length - HASHED_CHARS); i >= end; i--)
    h = Math.imul(h ^ dst.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ ports, 0x01000193);
  return h ^ (h >>> 15);
}

/** Characters of each address the hash reads, from its end. */
const HASHED_CHARS = 6;
