import { fail, ok, type BuiltinIo, type CommandResult } from '../command.ts';
import { inputText } from './inputText.ts';
import { parseOptions } from './options.ts';

/**
 * `base64 [-d] [-w COLS]`: decodes (as when reading a Secret's data) or encodes, wrapping at
 * 76 columns as GNU base64 does. Whitespace in the encoded input is ignored.
 */
export function base64(args: readonly string[], io: BuiltinIo): CommandResult {
  const options = parseOptions(args, { flags: 'di', values: 'w', long: { decode: 'd', 'ignore-garbage': 'i', wrap: 'w' } });
  if (typeof options === 'string') return fail(`base64: ${options}`);
  const input = inputText(options.operands, io);
  if ('missing' in input) return fail(`base64: ${input.missing}: No such file or directory`);
  if (options.flags.has('d')) return decode(input.text);
  const wrap = Number(options.values.get('w')?.at(-1) ?? 76);
  const encoded = btoa(binaryString(new TextEncoder().encode(input.text)));
  if (encoded === '') return ok('');
  const lines = wrap > 0 ? (encoded.match(new RegExp(`.{1,${wrap}}`, 'g')) ?? []) : [encoded];
  return ok(`${lines.join('\n')}\n`);
}

function decode(text: string): CommandResult {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) return fail('base64: invalid input');
  // atob wants whole groups of four; like GNU base64 and Node, a trailing lone character (six
  // bits, no whole byte) decodes to nothing. Bytes that are not UTF-8 read as U+FFFD.
  let digits = compact.replace(/=+$/, '');
  if (digits.length % 4 === 1) digits = digits.slice(0, -1);
  const binary = atob(digits);
  return ok(new TextDecoder('utf-8', { ignoreBOM: true }).decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0))));
}

/** Bytes as the one-character-per-byte string btoa reads. */
function binaryString(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += String.fromCharCode(b);
  return out;
}
