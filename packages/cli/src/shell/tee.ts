import { applyRedirections } from './redirect.ts';
import type { CommandResult } from './command.ts';
import { parseOptions } from './filters/options.ts';

/**
 * `tee [-a] [FILE]...`: copies its input to standard output and to each FILE of the session's
 * store (appending with -a), as coreutils' tee does; `-i` and `-p` change nothing here.
 */
export function tee(args: readonly string[], stdin: string, files: Map<string, string>): CommandResult {
  const parsed = parseOptions(args, { flags: 'aip', values: '', long: { append: 'a', 'ignore-interrupts': 'i' } });
  if (typeof parsed === 'string') return { stdout: '', stderr: `tee: ${parsed}\nTry 'tee --help' for more information.\n`, exitCode: 1 };
  const op = parsed.flags.has('a') ? '>>' : '>';
  let stderr = '';
  for (const file of parsed.operands) {
    if (file === '-') continue;
    const routed = applyRedirections({ stdout: stdin, stderr: '', exitCode: 0 }, [{ fd: 1, op, target: file }], files);
    if (typeof routed === 'string') stderr += `tee: ${file}: ${routed}\n`;
    else stderr += routed.stderr;
  }
  return { stdout: stdin, stderr, exitCode: stderr === '' ? 0 : 1 };
}
