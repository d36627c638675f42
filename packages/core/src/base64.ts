/**
 * Go's `encoding/base64` standard encoding (RFC 4648 alphabet, padded), as the API server decodes
 * the `[]byte` fields of an object (a Secret's `data`) and PEM decodes its body. Written by hand:
 * the platforms' own codecs are Node's Buffer or the legacy atob/btoa on binary strings, and the
 * API server's error names the offset Go's decoder stops at, which neither reports.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const SEXTET: ReadonlyMap<number, number> = new Map([...ALPHABET].map((c, i) => [c.charCodeAt(0), i]));
const PAD = 0x3d;

/**
 * Where Go's decoder gave up: `illegal base64 data at input byte N` (`base64.CorruptInputError`).
 * Before the offset the text is ASCII, so it counts bytes and characters alike.
 */
export interface CorruptBase64 {
  readonly offset: number;
}

/** @example encodeBase64(new TextEncoder().encode('admin')) === 'YWRtaW4=' */
export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const left = bytes.length - i;
    const n = (bytes[i]! << 16) | ((left > 1 ? bytes[i + 1]! : 0) << 8) | (left > 2 ? bytes[i + 2]! : 0);
    out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]!;
    out += left > 1 ? ALPHABET[(n >>> 6) & 63]! : '=';
    out += left > 2 ? ALPHABET[n & 63]! : '=';
  }
  return out;
}

/**
 * The bytes `text` encodes, or where it is corrupt, as Go's `StdEncoding.Decode` reads it: quanta
 * of four characters, CR and LF skipped anywhere, padding required, nothing after the padding.
 *
 * @example decodeBase64('admin') // { offset: 4 }: 'admi' is one quantum, 'n' alone is not
 */
export function decodeBase64(text: string): Uint8Array | CorruptBase64 {
  const out: number[] = [];
  let si = 0;
  while (si < text.length) {
    const quantum = decodeQuantum(text, si);
    if ('offset' in quantum) return quantum;
    out.push(...quantum.bytes);
    si = quantum.next;
  }
  return Uint8Array.from(out);
}

/** The message Go's `CorruptInputError` prints. */
export function corruptBase64Message(e: CorruptBase64): string {
  return `illegal base64 data at input byte ${e.offset}`;
}

interface Quantum {
  readonly bytes: readonly number[];
  readonly next: number;
}

/** One step of Go's `decodeQuantum`: up to four sextets from `si`, and the padding if it ends there. */
function decodeQuantum(text: string, start: number): Quantum | CorruptBase64 {
  const sextets: number[] = [];
  let si = start;
  while (sextets.length < 4) {
    if (si === text.length) {
      // Go returns no error for a quantum that is only newlines; a partial one lacks its padding.
      return sextets.length === 0 ? { bytes: [], next: si } : { offset: si - sextets.length };
    }
    const c = text.charCodeAt(si++);
    const value = SEXTET.get(c);
    if (value !== undefined) sextets.push(value);
    else if (c !== 0x0a && c !== 0x0d) return c === PAD ? padding(text, si, sextets) : { offset: si - 1 };
  }
  return { bytes: bytesOf(sextets), next: si };
}

/** The end of the text after a `=` read at `si - 1`: `==` after two sextets, `=` after three, then only newlines. */
function padding(text: string, at: number, sextets: readonly number[]): Quantum | CorruptBase64 {
  let si = at;
  if (sextets.length < 2) return { offset: si - 1 };
  if (sextets.length === 2) {
    si = skipNewlines(text, si);
    if (si === text.length) return { offset: text.length };
    if (text.charCodeAt(si) !== PAD) return { offset: si - 1 };
    si++;
  }
  si = skipNewlines(text, si);
  if (si < text.length) return { offset: si };
  return { bytes: bytesOf(sextets), next: si };
}

function skipNewlines(text: string, from: number): number {
  let si = from;
  while (si < text.length && (text.charCodeAt(si) === 0x0a || text.charCodeAt(si) === 0x0d)) si++;
  return si;
}

/** Two to four sextets as the one to three bytes they hold (the unused low bits are ignored, as Go's lenient decoder does). */
function bytesOf(sextets: readonly number[]): number[] {
  const n = ((sextets[0] ?? 0) << 18) | ((sextets[1] ?? 0) << 12) | ((sextets[2] ?? 0) << 6) | (sextets[3] ?? 0);
  return [(n >>> 16) & 255, (n >>> 8) & 255, n & 255].slice(0, sextets.length - 1);
}
