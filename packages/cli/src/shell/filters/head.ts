import { fail, ok, type BuiltinIo, type CommandResult } from '../command.ts';
import { inputText } from './inputText.ts';
import { parseLineCount } from './lineCount.ts';
import { joinLines, splitLines } from './textLines.ts';
import { byteSlice } from './byteSlice.ts';

/** `head [-n N | -N | -n -N | -c N] [FILE]`: the first N lines (10 by default) or bytes, or all but the last N. */
export function head(args: readonly string[], io: BuiltinIo): CommandResult {
  const parsed = parseLineCount('head', args);
  if (typeof parsed === 'string') return fail(parsed);
  const input = inputText(parsed.operands, io);
  if ('missing' in input) return fail(`head: cannot open '${input.missing}' for reading: No such file or directory`);
  if (parsed.unit === 'bytes')
    return ok(byteSlice(input.text, (n) => [0, parsed.sign === '-' ? Math.max(0, n - parsed.count) : parsed.count]));
  const lines = splitLines(input.text);
  const end = parsed.sign === '-' ? Math.max(0, lines.length - parsed.count) : parsed.count;
  return ok(joinLines(lines.slice(0, end)));
}
