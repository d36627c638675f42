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
  const encoded = Buffer.from(input.text, 'utf8').toString('base64');
  if (encoded === '') return ok('');
  const lines = wrap > 0 ? (encoded.match(new RegExp(`.{1,${wrap}}`, 'g')) ?? []) : [encoded];
  return ok(`${lines.join('\n')}\n`);
}

function decode(text: string): CommandResult {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) return fail('base64: invalid input');
  return ok(Buffer.from(compact, 'base64').toString('utf8'));
}
