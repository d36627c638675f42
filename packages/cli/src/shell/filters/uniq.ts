import { fail, ok, type BuiltinIo, type CommandResult } from '../command.ts';
import { inputText } from './inputText.ts';
import { parseOptions } from './options.ts';
import { joinLines, splitLines } from './textLines.ts';

/** `uniq [-c] [-d] [-u]`: collapses adjacent equal lines; `-c` prefixes counts as `%7d `. */
export function uniq(args: readonly string[], io: BuiltinIo): CommandResult {
  const options = parseOptions(args, { flags: 'cdu', values: '', long: { count: 'c', repeated: 'd', unique: 'u' } });
  if (typeof options === 'string') return fail(`uniq: ${options}`);
  const input = inputText(options.operands.slice(0, 1), io);
  if ('missing' in input) return fail(`uniq: ${input.missing}: No such file or directory`);
  const runs: { line: string; count: number }[] = [];
  for (const line of splitLines(input.text)) {
    const last = runs.at(-1);
    if (last?.line === line) last.count++;
    else runs.push({ line, count: 1 });
  }
  const kept = runs.filter((r) => (!options.flags.has('d') || r.count > 1) && (!options.flags.has('u') || r.count === 1));
  return ok(joinLines(kept.map((r) => (options.flags.has('c') ? `${String(r.count).padStart(7)} ${r.line}` : r.line))));
}
