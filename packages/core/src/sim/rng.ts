/**
 * A seeded PRNG (sfc32). One per cluster; each subsystem forks its own stream by name so a new
 * draw in one place shifts nothing elsewhere.
 *
 * @example const names = Rng.seeded(1).fork('k8s/names'); names.int(0, 9)
 */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;
  readonly seed: number;
  readonly path: string;
  readonly #streams = new Map<string, Rng>();
  #below: ((n: number) => number) | undefined;

  private constructor(seed: number, path: string) {
    this.seed = seed;
    this.path = path;
    const h = hash32(`${seed}/${path}`);
    this.#a = h ^ 0x9e3779b9;
    this.#b = hash32(`${h}b`);
    this.#c = hash32(`${h}c`);
    this.#d = 1;
    for (let i = 0; i < 16; i++) this.nextU32();
  }

  static seeded(seed: number): Rng {
    return new Rng(seed, '');
  }

  /** An independent stream named after its user, e.g. `rng.fork('spire')`. */
  fork(name: string): Rng {
    return new Rng(this.seed, `${this.path}/${name}`);
  }

  /**
   * The child stream `name`, forked on first use and then kept by this Rng: unlike `fork`, which
   * restarts the stream on every call, each caller continues where the last draw left off. For a
   * subsystem handed only the parent on every call, such as the Kubernetes model's transactions.
   */
  stream(name: string): Rng {
    let child = this.#streams.get(name);
    if (child === undefined) this.#streams.set(name, (child = this.fork(name)));
    return child;
  }

  nextU32(): number {
    let a = this.#a,
      b = this.#b,
      c = this.#c,
      d = this.#d;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    this.#a = a;
    this.#b = b;
    this.#c = c;
    this.#d = d;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    const span = max - min + 1;
    if (span <= 4294967296) return min + Math.floor(this.next() * span);
    return min + Math.floor((this.nextU32() * 4294967296 + this.nextU32()) % span);
  }

  /**
   * `(n) => this.int(0, n - 1)`, one function per stream: socket LB's choice of a backend takes
   * it, and every connection would otherwise make one.
   */
  get below(): (n: number) => number {
    if (this.#below === undefined) this.#below = (n) => this.int(0, n - 1);
    return this.#below;
  }

  /** True with probability num/den, as an integer ratio. */
  chance(num: number, den: number): boolean {
    return this.int(0, den - 1) < num;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('invariant violated: Rng.pick from an empty list');
    return items[this.int(0, items.length - 1)]!;
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const v = this.nextU32();
      for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = (v >>> (8 * j)) & 0xff;
    }
    return out;
  }

  /** A string of `n` characters drawn from `alphabet`. */
  string(n: number, alphabet: string): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.int(0, alphabet.length - 1)];
    return s;
  }

  /** An RFC 4122 version-4 UUID from this stream (flow UUIDs, entry IDs, node UIDs). */
  uuid(): string {
    // The same 16 bytes as bytes(16) draws, written through a table: every object the API
    // server stores gets a uid, and building each from an array of byte strings was garbage.
    let h = '';
    for (let i = 0; i < 16; i += 4) {
      const v = this.nextU32();
      for (let j = 0; j < 4; j++) {
        let byte = (v >>> (8 * j)) & 0xff;
        if (i + j === 6) byte = (byte & 0x0f) | 0x40;
        else if (i + j === 8) byte = (byte & 0x3f) | 0x80;
        h += (i + j === 4 || i + j === 6 || i + j === 8 || i + j === 10 ? '-' : '') + HEX_BYTE[byte]!;
      }
    }
    return h;
  }
}

/** Two lowercase hex digits for each byte value. */
const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** FNV-1a over UTF-16 code units, then a murmur3 finalizer. Stable across runs and platforms. */
export function hash32(text: string): number {
  return hashFinish(hashText(HASH_START, text));
}

/**
 * The pieces of hash32, for a key hashed as it would be written without writing it: start from
 * HASH_START, feed text, characters and numbers in order, then hashFinish. The result equals
 * hash32 of the concatenated text.
 */
export const HASH_START = 0x811c9dc5;

export function hashText(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

export function hashChar(h: number, code: number): number {
  return Math.imul(h ^ code, 0x01000193);
}

/** Feeds the decimal digits of `n` as String(n) writes them (any number: safe integers without a string). */
export function hashNumber(h: number, n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) return hashText(h, String(n));
  if (n < 1e8) return hashDigits(h, n, 0);
  // Two halves below 10^8, each within 32-bit integer arithmetic; the low one written with its zeros.
  const high = Math.floor(n / 1e8);
  return hashDigits(hashNumber(h, high), n - high * 1e8, 8);
}

/** The digits of `n` (below 10^8), padded with zeros to `width`. */
function hashDigits(h: number, n: number, width: number): number {
  let x = n | 0;
  let count = 0;
  do {
    const q = (x / 10) | 0;
    DIGITS[count++] = x - q * 10;
    x = q;
  } while (x > 0 || count < width);
  while (count > 0) h = Math.imul(h ^ (48 + DIGITS[--count]!), 0x01000193);
  return h;
}

/** The digits of a number below 10^8, least significant first. */
const DIGITS = new Uint8Array(8);

export function hashFinish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
