/** One PEM block: `-----BEGIN <label>-----`, base64 of the DER in 64-column lines, `-----END <label>-----`. */
export interface PemBlock {
  readonly label: string;
  readonly der: Uint8Array;
}

/**
 * Encodes DER as PEM, as Go's `pem.EncodeToMemory` does (64 columns, trailing newline), so the
 * output diffs cleanly against what `spire-server bundle show` prints.
 *
 * @example encodePem('CERTIFICATE', der).startsWith('-----BEGIN CERTIFICATE-----\n')
 */
export function encodePem(label: string, der: Uint8Array): string {
  const b64 = toBase64(der);
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/**
 * Every PEM block in `text`, in order; text between blocks is ignored, as Go's `pem.Decode` loop
 * does, and so is a block whose body is not base64.
 */
export function decodePem(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  const re = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;
  for (const m of text.matchAll(re)) {
    const der = fromBase64(m[2]!.replace(/\s+/g, ''));
    if (der !== undefined) out.push({ label: m[1]!, der });
  }
  return out;
}

// Base64 by hand (RFC 4648, standard alphabet, padded): the platforms' own codecs are Node's
// Buffer or the legacy atob/btoa on binary strings, and PEM needs nothing more than this.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function toBase64(bytes: Uint8Array): string {
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

/** The bytes `text` encodes, or undefined when it is not padded standard base64. */
function fromBase64(text: string): Uint8Array | undefined {
  if (!BASE64.test(text)) return undefined;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  const sextet = (i: number): number => (text[i] === '=' ? 0 : ALPHABET.indexOf(text[i]!));
  for (let i = 0, o = 0; i < text.length; i += 4) {
    const n = (sextet(i) << 18) | (sextet(i + 1) << 12) | (sextet(i + 2) << 6) | sextet(i + 3);
    out[o++] = n >>> 16;
    if (o < out.length) out[o++] = (n >>> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}
