import { fail, ok, type BuiltinIo, type CommandResult } from '../command.ts';
import { inputText } from './inputText.ts';
import { parseLineCount } from './lineCount.ts';
import { joinLines, splitLines } from './textLines.ts';
import { byteSlice } from './byteSlice.ts';

/** `tail [-n N | -N | -n +N | -c N] [FILE]`: the last N lines (10 by default) or bytes, or from line N on. `-f` is ignored. */
export function tail(args: readonly string[], io: BuiltinIo): CommandResult {
  const parsed = parseLineCount('tail', args);
  if (typeof parsed === 'string') return fail(parsed);
  const input = inputText(parsed.operands, io);
  if ('missing' in input) return fail(`tail: cannot open '${input.missing}' for reading: No such file or directory`);
  if (parsed.unit === 'bytes')
    return ok(
      byteSlice(input.text, (n) => (parsed.sign === '+' ? [Math.max(0, parsed.count - 1), n] : [Math.max(0, n - parsed.count), n])),
    );
  const lines = splitLines(input.text);
  if (parsed.sign === '+') return ok(joinLines(lines.slice(Math.max(0, parsed.count - 1))));
  return ok(joinLines(parsed.count === 0 ? [] : lines.slice(-parsed.count)));
}
