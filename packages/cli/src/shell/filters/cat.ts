import { fail, ok, type BuiltinIo, type CommandResult } from '../command.ts';

/** `cat [FILE|-]...`: stdin passed through, or files from the session's store (`cat map.svg`). */
export function cat(args: readonly string[], io: BuiltinIo): CommandResult {
  if (args.length === 0) return ok(io.stdin);
  let stdout = '';
  let stderr = '';
  for (const name of args) {
    const content = name === '-' ? io.stdin : io.readFile(name);
    if (content === undefined) stderr += `cat: ${name}: No such file or directory\n`;
    else stdout += content;
  }
  return stderr === '' ? ok(stdout) : fail(stderr, 1, stdout);
}
