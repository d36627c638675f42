import { utf8Length } from '@cilium-sim/core';
import { fail, ok, type BuiltinIo, type CommandResult } from '../command.ts';
import { inputText } from './inputText.ts';
import { parseOptions } from './options.ts';

/**
 * `wc [-l] [-w] [-c]` on stdin or one file. With one count it prints the bare number, as GNU
 * wc does on stdin; with several each takes 7 columns.
 */
export function wc(args: readonly string[], io: BuiltinIo): CommandResult {
  const options = parseOptions(args, { flags: 'lwcm', values: '', long: { lines: 'l', words: 'w', bytes: 'c', chars: 'm' } });
  if (typeof options === 'string') return fail(`wc: ${options}`);
  const input = inputText(options.operands, io);
  if ('missing' in input) return fail(`wc: ${input.missing}: No such file or directory`);
  const text = input.text;
  const all: [string, number][] = [
    ['l', (text.match(/\n/g) ?? []).length],
    ['w', text.split(/\s+/).filter((w) => w !== '').length],
    ['m', [...text].length],
    ['c', utf8Length(text)],
  ];
  const wanted = options.flags.size === 0 ? all.filter(([k]) => k !== 'm') : all.filter(([k]) => options.flags.has(k));
  const counts = wanted.map(([, n]) => String(n));
  const name = options.operands.length > 0 ? ` ${options.operands.join(' ')}` : '';
  return ok(`${counts.length === 1 ? counts[0] : counts.map((c) => c.padStart(7)).join(' ')}${name}\n`);
}
