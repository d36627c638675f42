import { decodeBase64, encodeBase64 } from '../base64.ts';

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
  const b64 = encodeBase64(der);
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
    const der = decodeBase64(m[2]!.replace(/\s+/g, ''));
    if (!('offset' in der)) out.push({ label: m[1]!, der });
  }
  return out;
}
