import { fail, ok, type BuiltinIo, type CommandResult } from '../command.ts';
import { inputText } from './inputText.ts';
import { lastValue, parseOptions } from './options.ts';
import { joinLines, splitLines } from './textLines.ts';

/**
 * `sort [-r] [-n] [-u] [-k N] [-t SEP]`, comparing bytes as `LC_ALL=C sort` does, so the
 * order does not depend on the locale of the machine running the simulator.
 */
export function sort(args: readonly string[], io: BuiltinIo): CommandResult {
  const options = parseOptions(args, {
    flags: 'rnuf',
    values: 'kt',
    long: { reverse: 'r', 'numeric-sort': 'n', unique: 'u', key: 'k', 'field-separator': 't' },
  });
  if (typeof options === 'string') return fail(`sort: ${options}`, 2);
  const input = inputText(options.operands, io);
  if ('missing' in input) return fail(`sort: cannot read: ${input.missing}: No such file or directory`, 2);
  const field = Number.parseInt(lastValue(options, 'k') ?? '0', 10);
  const separator = lastValue(options, 't');
  const key = (line: string): string => {
    if (!(field > 0)) return line;
    const fields = separator === undefined ? line.trim().split(/\s+/) : line.split(separator);
    return fields.slice(field - 1).join(separator ?? ' ');
  };
  const fold = options.flags.has('f') ? (s: string) => s.toUpperCase() : (s: string) => s;
  const compare = options.flags.has('n')
    ? (a: string, b: string) => (Number.parseFloat(key(a)) || 0) - (Number.parseFloat(key(b)) || 0) || byteOrder(a, b)
    : (a: string, b: string) => byteOrder(fold(key(a)), fold(key(b))) || byteOrder(a, b);
  let lines = splitLines(input.text).sort(compare);
  if (options.flags.has('r')) lines.reverse();
  if (options.flags.has('u')) lines = lines.filter((l, i) => i === 0 || compare(lines[i - 1]!, l) !== 0);
  return ok(joinLines(lines));
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
