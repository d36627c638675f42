import type { CommandResult } from './command.ts';
import { cutToLimit, SHELL_LIMITS } from './shellLimits.ts';

/** A redirection with its target already expanded. */
export interface ExpandedRedirection {
  readonly fd: number;
  readonly op: '>' | '>>' | '<' | 'dup' | '<<' | '<<<';
  /** A path, a descriptor number, or for `<<` and `<<<` the text itself. */
  readonly target: string;
}

type Sink = 'stdout' | 'stderr' | 'null' | { readonly file: string };

/** `./out.txt` and `out.txt` name the same file in the session's store. */
export function normalizePath(path: string): string {
  return path.replace(/^(\.\/)+/, '');
}

/**
 * Routes a finished command's output through its redirections, in order, as a shell
 * opens them: `> f` truncates when it is opened, `2>&1` copies what fd 1 is *at that
 * point* (so `> f 2>&1` sends both to f, `2>&1 > f` only stdout). Files land in `files`.
 * Returns what is left for the terminal or the next pipeline stage, or an error message.
 */
export function applyRedirections(
  result: CommandResult,
  redirections: readonly ExpandedRedirection[],
  files: Map<string, string>,
): CommandResult | string {
  const fds = new Map<number, Sink>([
    [1, 'stdout'],
    [2, 'stderr'],
  ]);
  for (const r of redirections) {
    if (isInput(r.op)) continue;
    if (r.op === 'dup') {
      const source = fds.get(Number(r.target));
      if (source === undefined) return `${r.target}: Bad file descriptor`;
      fds.set(r.fd, source);
      continue;
    }
    const sink = pathSink(r.target);
    if (typeof sink === 'object' && (r.op === '>' || !files.has(sink.file))) files.set(sink.file, '');
    fds.set(r.fd, sink);
  }
  const out = { stdout: '', stderr: '' };
  const route = (text: string, sink: Sink | undefined): void => {
    if (sink === undefined || sink === 'null' || text === '') return;
    if (typeof sink !== 'object') out[sink] += text;
    else {
      const file = cutToLimit((files.get(sink.file) ?? '') + text, SHELL_LIMITS.fileChars, sink.file);
      files.set(sink.file, file.text);
      out.stderr += file.note;
    }
  };
  route(result.stdout, fds.get(1));
  route(result.stderr, fds.get(2));
  return { ...out, exitCode: result.exitCode };
}

/** `<`, `<<` and `<<<` feed stdin; the others route output. */
export function isInput(op: ExpandedRedirection['op']): boolean {
  return op === '<' || op === '<<' || op === '<<<';
}

function pathSink(path: string): Sink {
  if (path === '/dev/null') return 'null';
  // The terminal is where stdout shows: a script's `> /dev/tty` reaches the reader too.
  if (path === '/dev/stdout' || path === '/dev/tty' || path === '/proc/self/fd/1' || path === '/dev/fd/1') return 'stdout';
  if (path === '/dev/stderr' || path === '/proc/self/fd/2' || path === '/dev/fd/2') return 'stderr';
  return { file: normalizePath(path) };
}
