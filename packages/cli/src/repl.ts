import { appendFileSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { ShellSession } from './shell/session.ts';
import { makeCompleter } from './terminal/makeCompleter.ts';
import { ReplLoop, type ReplTerminal } from './terminal/replLoop.ts';
import { replPrompt } from './terminal/replPrompt.ts';

export interface ReplOptions {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  readonly session: ShellSession;
  /** Candidates for the word being completed; `words` ends with that (possibly empty) word. */
  readonly complete?: (words: string[]) => string[];
  /** Text for `help` (topic undefined) and `help COMMAND`. */
  readonly help?: (topic: string | undefined) => string;
  /** A terminal: readline echoes and edits. Otherwise (a pipe) each line is echoed after the prompt. */
  readonly isTTY?: boolean;
  /** Colour the prompt; defaults to on for a terminal unless NO_COLOR is set. */
  readonly color?: boolean;
  /** Where history persists between runs; in memory only when absent. */
  readonly historyFile?: string;
  /** Printed once before the first prompt. */
  readonly banner?: string;
}

/** What `clear` writes to a terminal: home, erase the screen, erase the scrollback. */
const CLEAR_SCREEN = '\x1b[H\x1b[2J\x1b[3J';

/**
 * The REPL on Node's streams: reads commands and runs them in `session` until `exit`, `quit` or
 * end of input (Ctrl-D); resolves with the exit status (`exit N`, else the last command's, as bash's). The loop itself
 * (terminal/replLoop.ts) is the one the browser playground runs; this binds it to readline.
 *
 * On a terminal, readline gives editing, history and TAB completion, and Ctrl-C drops the
 * line being typed. Over a pipe, nothing is echoed by the terminal, so the REPL prints the
 * prompt and the command itself before the output.
 */
export function startRepl(options: ReplOptions): Promise<number> {
  const isTTY = options.isTTY ?? (options.output as { isTTY?: boolean }).isTTY === true;
  const color = options.color ?? (isTTY && process.env['NO_COLOR'] === undefined);
  const rl = createInterface({
    input: options.input,
    output: options.output,
    terminal: isTTY,
    history: loadHistory(options.historyFile),
    historySize: 1000,
    completer: makeCompleter(options.complete),
  });
  const terminal: ReplTerminal = {
    write: (text) => options.output.write(text),
    prompt: (prompt) => {
      rl.setPrompt(prompt);
      // Over a pipe the prompt is printed with each echoed line instead.
      if (isTTY) rl.prompt();
    },
    clear: () => {
      if (isTTY) options.output.write(CLEAR_SCREEN);
    },
    close: () => rl.close(),
  };
  return new Promise((resolve) => {
    const loop = new ReplLoop(terminal, {
      session: options.session,
      prompt: replPrompt(color),
      echo: !isTTY,
      newlineAtEnd: isTTY,
      done: resolve,
      ...(options.help === undefined ? {} : { help: options.help }),
      ...(options.banner === undefined ? {} : { banner: options.banner }),
      ...(options.historyFile === undefined ? {} : { remember: (command: string) => appendHistory(options.historyFile!, command) }),
    });
    rl.on('line', (line) => loop.line(line));
    rl.on('SIGINT', () => loop.interrupt());
    rl.on('close', () => loop.end());
    loop.start();
  });
}

function appendHistory(path: string, command: string): void {
  try {
    appendFileSync(path, `${command.replace(/\n/g, ' ')}\n`);
  } catch {
    // A history file that cannot be written must not end the session.
  }
}

/** Most recent first, as readline wants its initial history. */
function loadHistory(path: string | undefined): string[] {
  if (path === undefined) return [];
  try {
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .reverse()
      .slice(0, 1000);
  } catch {
    return [];
  }
}
