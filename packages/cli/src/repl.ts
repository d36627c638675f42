import { appendFileSync, readFileSync } from 'node:fs';
import { createInterface, type Interface } from 'node:readline';
import { builtinNames } from './shell/builtins.ts';
import type { ShellSession } from './shell/session.ts';
import { ShellSyntaxError } from './shell/shellSyntaxError.ts';
import { parse } from './shell/parse.ts';
import { MAX_COMMAND_LINES } from './shell/script.ts';

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

const PROMPT = 'root@server:~# ';
const CONTINUATION = '> ';
const EXIT_WORDS = new Set(['exit', 'quit']);

/** The labs' prompt; coloured as Debian's bash colours it (green user@host, blue directory). */
export function replPrompt(color: boolean): string {
  return color ? '\x1b[01;32mroot@server\x1b[00m:\x1b[01;34m~\x1b[00m# ' : PROMPT;
}

/**
 * Reads commands interactively and runs them in `session` until `exit`, `quit` or end of
 * input (Ctrl-D); resolves with the exit status (`exit N`, else 0).
 *
 * On a terminal, readline gives editing, history and TAB completion, and Ctrl-C drops the
 * line being typed. Over a pipe, nothing is echoed by the terminal, so the REPL prints the
 * prompt and the command itself before the output: piping a lab in yields a transcript that
 * reads like the terminal session (`root@server:~# kubectl get pods` then the table).
 * A line left open (quote, `\`, trailing `|`) continues on the next with a `> ` prompt.
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
  return new Promise((resolve) => new ReplLoop(rl, options, isTTY, replPrompt(color), resolve).start());
}

class ReplLoop {
  private pending = '';
  private pendingLines = 0;
  private closed = false;
  private readonly rl: Interface;
  private readonly options: ReplOptions;
  private readonly isTTY: boolean;
  private readonly prompt: string;
  private readonly done: (code: number) => void;

  constructor(rl: Interface, options: ReplOptions, isTTY: boolean, prompt: string, done: (code: number) => void) {
    this.rl = rl;
    this.options = options;
    this.isTTY = isTTY;
    this.prompt = prompt;
    this.done = done;
  }

  start(): void {
    if (this.options.banner !== undefined) this.write(this.options.banner);
    this.rl.on('line', (line) => this.onLine(line));
    this.rl.on('SIGINT', () => this.onInterrupt());
    this.rl.on('close', () => this.finish());
    this.showPrompt();
  }

  private onLine(line: string): void {
    if (this.closed) return;
    // Readline only echoes on a terminal; over a pipe the echo makes the transcript readable.
    if (!this.isTTY) this.write(`${this.pending === '' ? this.prompt : CONTINUATION}${line}\n`);
    const text = this.pending === '' ? line : `${this.pending}\n${line}`;
    // A command left open (a quote, a `\`) is run as it stands after MAX_COMMAND_LINES lines:
    // the shell then reports what is open, and a long paste is not parsed over and over.
    if (this.isIncomplete(text) && this.pendingLines++ < MAX_COMMAND_LINES - 1) {
      this.pending = text;
      return this.showPrompt();
    }
    this.pending = '';
    this.pendingLines = 0;
    this.record(text);
    if (!this.handleReplCommand(text.trim())) this.runShell(text);
    if (this.options.session.exitRequested !== undefined) return this.rl.close();
    this.showPrompt();
  }

  /** `help`, `help CMD`, `exit`, `quit`: what the REPL answers itself. */
  private handleReplCommand(text: string): boolean {
    const words = text.split(/\s+/);
    if (EXIT_WORDS.has(words[0]!) && words.length === 1) {
      this.options.session.exitRequested = 0;
      return true;
    }
    if (words[0] !== 'help' || words.length > 2) return false;
    const help = this.options.help?.(words[1]) ?? `Commands: ${builtinNames().join(', ')}, and the simulated tools.\n`;
    this.write(help.endsWith('\n') ? help : `${help}\n`);
    return true;
  }

  private runShell(text: string): void {
    const result = this.options.session.run(text);
    // Output without a final newline (jsonpath) would run into the next prompt.
    this.write(result.output === '' || result.output.endsWith('\n') ? result.output : `${result.output}\n`);
  }

  private isIncomplete(text: string): boolean {
    try {
      parse(text);
      return false;
    } catch (e) {
      return e instanceof ShellSyntaxError && e.incomplete;
    }
  }

  private onInterrupt(): void {
    this.pending = '';
    this.pendingLines = 0;
    this.write('^C\n');
    this.showPrompt();
  }

  private showPrompt(): void {
    if (this.closed) return;
    this.rl.setPrompt(this.pending === '' ? this.prompt : CONTINUATION);
    // Over a pipe the prompt is printed with each echoed line instead.
    if (this.isTTY) this.rl.prompt();
  }

  private record(text: string): void {
    if (this.options.historyFile === undefined || text.trim() === '') return;
    try {
      appendFileSync(this.options.historyFile, `${text.replace(/\n/g, ' ')}\n`);
    } catch {
      // A history file that cannot be written must not end the session.
    }
  }

  private finish(): void {
    if (this.closed) return;
    // Input ended inside a command (a quote left open): say so, as bash does, instead of dropping it.
    if (this.pending !== '') {
      this.runShell(this.pending);
      this.pending = '';
    }
    this.closed = true;
    if (this.isTTY && this.options.session.exitRequested === undefined) this.write('\n');
    this.done(this.options.session.exitRequested ?? 0);
  }

  private write(text: string): void {
    this.options.output.write(text);
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

/**
 * Builds readline's completer: the word under the cursor is completed from the provider's
 * candidates for the current pipeline stage (text after the last `|`, `;`, `&&`, `||`);
 * in command position the shell's own built-ins are offered too.
 */
export function makeCompleter(complete: ((words: string[]) => string[]) | undefined): (line: string) => [string[], string] {
  return (line) => {
    const stage = line
      .split(/\|\||&&|[|;]/)
      .at(-1)!
      .replace(/^\s+/, '');
    const words = stage === '' ? [''] : stage.split(/\s+/);
    const partial = words.at(-1)!;
    const own = words.length === 1 ? [...builtinNames(), 'help', 'quit'] : [];
    const candidates = [...own, ...(complete?.(words) ?? [])];
    const hits = [...new Set(candidates.filter((c) => c.startsWith(partial)))].sort();
    // A unique completion ends the word, as bash does, so typing can go straight on.
    return [hits.length === 1 ? [`${hits[0]} `] : hits, partial];
  };
}
