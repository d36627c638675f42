import { fail, ok, type BuiltinIo, type CommandResult } from '../command.ts';
import { inputText } from './inputText.ts';
import { lastValue, parseOptions } from './options.ts';
import { joinLines, splitLines } from './textLines.ts';

const USAGE = "cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information.";

/**
 * `cut -d X -f LIST` and `cut -c LIST`, LIST as `2`, `1,3`, `2-`, `-3`, `2-4`. As GNU cut,
 * the delimiter defaults to TAB and a line without it is printed whole (unless `-s`).
 */
export function cut(args: readonly string[], io: BuiltinIo): CommandResult {
  const options = parseOptions(args, {
    flags: 's',
    values: 'dfcb',
    long: { delimiter: 'd', fields: 'f', characters: 'c', bytes: 'b', 'only-delimited': 's' },
  });
  if (typeof options === 'string') return fail(`cut: ${options}`);
  const fieldList = lastValue(options, 'f');
  const charList = lastValue(options, 'c') ?? lastValue(options, 'b');
  const list = fieldList ?? charList;
  if (list === undefined) return fail(USAGE);
  const ranges = parseList(list);
  if (ranges === undefined) return fail(`cut: invalid field value '${list}'`);
  const delimiter = lastValue(options, 'd') ?? '\t';
  if (delimiter.length !== 1) return fail('cut: the delimiter must be a single character');
  const input = inputText(options.operands, io);
  if ('missing' in input) return fail(`cut: ${input.missing}: No such file or directory`);
  const lines = splitLines(input.text);
  if (fieldList === undefined) return ok(joinLines(lines.map((l) => pick([...l], ranges).join(''))));
  const kept = lines.filter((l) => l.includes(delimiter) || !options.flags.has('s'));
  return ok(joinLines(kept.map((l) => (l.includes(delimiter) ? pick(l.split(delimiter), ranges).join(delimiter) : l))));
}

type Range = readonly [number, number];

function parseList(list: string): Range[] | undefined {
  const ranges: Range[] = [];
  for (const item of list.split(',')) {
    const m = /^(\d*)(-?)(\d*)$/.exec(item);
    if (m === null || (m[1] === '' && m[3] === '') || m[1] === '0') return undefined;
    const from = m[1] === '' ? 1 : Number(m[1]);
    const to = m[2] === '' ? from : m[3] === '' ? Infinity : Number(m[3]);
    ranges.push([from, to]);
  }
  return ranges;
}

/** Selected 1-based positions, each once and in input order whatever the list order, as cut does. */
function pick<T>(items: readonly T[], ranges: readonly Range[]): T[] {
  return items.filter((_, i) => ranges.some(([from, to]) => i + 1 >= from && i + 1 <= to));
}
