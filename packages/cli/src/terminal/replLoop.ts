import { builtinNames } from '../shell/builtins.ts';
import { parse } from '../shell/parse.ts';
import { MAX_COMMAND_LINES } from '../shell/script.ts';
import type { ShellSession } from '../shell/session.ts';
import { endsHereDocument, ShellSyntaxError, type OpenHereDocument } from '../shell/shellSyntaxError.ts';
import { MAX_LINE_BYTES } from '../shell/session.ts';
import { CONTINUATION } from './replPrompt.ts';

/**
 * The terminal a REPL runs on: Node's readline over stdin/stdout (repl.ts), or the page's xterm
 * with the line editor (lineEditor.ts). The loop writes through it and asks it for lines; the
 * terminal calls the loop's `line`, `interrupt` and `end` as the user acts.
 */
export interface ReplTerminal {
  write(text: string): void;
  /** Shows `prompt` (or, over a pipe, only remembers it) and reads the next line. */
  prompt(prompt: string): void;
  /** Clears the screen and its scrollback, as `clear` does. */
  clear(): void;
  /** Reads no more input; the terminal then calls `end` once. */
  close(): void;
}

export interface ReplLoopOptions {
  readonly session: ShellSession;
  /** The primary prompt (replPrompt, coloured or not). */
  readonly prompt: string;
  /** Over a pipe nothing echoes typed input, so the loop prints the prompt and the line itself. */
  readonly echo: boolean;
  /** Text for `help` (topic undefined) and `help COMMAND`. */
  readonly help?: (topic: string | undefined) => string;
  /** Printed once before the first prompt. */
  readonly banner?: string;
  /** A command as it ran (continuation lines joined), for a history that outlives the session. */
  readonly remember?: (command: string) => void;
  /** A newline after the last prompt when input ends without `exit` (Ctrl-D on a terminal). */
  readonly newlineAtEnd: boolean;
  /** Called once with the exit status (`exit N`, else the last command's) when the loop has ended. */
  readonly done: (code: number) => void;
}

const EXIT_WORDS = new Set(['exit', 'quit']);

/**
 * The REPL's behaviour, shared by every terminal: each line runs in the session; a line left
 * open (quote, `\`, trailing `|`, a here-document) continues on the next with a `> ` prompt; `help`, `clear`,
 * `exit` and `quit` are answered here; Ctrl-C drops what is being typed. Piping a lab in yields
 * a transcript that reads like the terminal session (`root@server:~# kubectl get pods`, then
 * the table).
 */
export class ReplLoop {
  private pending = '';
  private pendingLines = 0;
  /** The here-document the pending command waits to see ended, if that is what is open. */
  private hereDocument: OpenHereDocument | undefined;
  /** The open here-document grew past MAX_LINE_BYTES: it is refused when its delimiter comes. */
  private overflowed = false;
  private closed = false;
  private readonly terminal: ReplTerminal;
  private readonly options: ReplLoopOptions;

  constructor(terminal: ReplTerminal, options: ReplLoopOptions) {
    this.terminal = terminal;
    this.options = options;
  }

  start(): void {
    if (this.options.banner !== undefined) this.terminal.write(this.options.banner);
    this.showPrompt();
  }

  /** The current prompt: the primary one, or `> ` while a command is left open. */
  currentPrompt(): string {
    return this.pending === '' ? this.options.prompt : CONTINUATION;
  }

  /** A line the user entered. */
  line(line: string): void {
    if (this.closed) return;
    if (this.options.echo) this.terminal.write(`${this.currentPrompt()}${line}\n`);
    const text = this.pending === '' ? line : `${this.pending}\n${line}`;
    // Inside a here-document only its delimiter line can end it: the body is not parsed line by line.
    if (this.hereDocument !== undefined && !endsHereDocument(this.hereDocument, line)) {
      // Past the limit the body is no longer kept, but its lines are still the body's, not commands.
      if (text.length <= MAX_LINE_BYTES) this.pending = text;
      else this.overflowed = true;
      return this.showPrompt();
    }
    if (this.overflowed) return this.refuseOverflow();
    const open = text.length > MAX_LINE_BYTES ? undefined : openPart(text);
    this.hereDocument = open?.hereDocument;
    // A command left open (a quote, a `\`) is run as it stands after MAX_COMMAND_LINES lines:
    // the shell then reports what is open, and a long paste is not parsed over and over.
    if (open !== undefined && (open.hereDocument !== undefined || this.pendingLines++ < MAX_COMMAND_LINES - 1)) {
      this.pending = text;
      return this.showPrompt();
    }
    this.pending = '';
    this.pendingLines = 0;
    this.hereDocument = undefined;
    if (text.trim() !== '') this.options.remember?.(text);
    if (!this.answer(text.trim())) this.runShell(text);
    if (this.options.session.exitRequested !== undefined) return this.terminal.close();
    this.showPrompt();
  }

  /** Ctrl-C: drops the line being typed and any open command. */
  interrupt(): void {
    if (this.closed) return;
    this.pending = '';
    this.pendingLines = 0;
    this.hereDocument = undefined;
    this.overflowed = false;
    this.terminal.write('^C\n');
    this.showPrompt();
  }

  /** Input ended (Ctrl-D, the pipe's end, or after `exit`). */
  end(): void {
    if (this.closed) return;
    // Input ended inside a command (a quote left open): say so, as bash does, instead of dropping it.
    if (this.pending !== '') {
      // The line that ended the input ended with its newline: a `\` before it joins nothing, as in bash.
      this.runShell(`${this.pending}\n`);
      this.pending = '';
    }
    this.closed = true;
    if (this.options.newlineAtEnd && this.options.session.exitRequested === undefined) this.terminal.write('\n');
    // End of input is an `exit` without N: bash, reading commands from a pipe or a terminal,
    // leaves with the status of the last command it ran.
    this.options.done(this.options.session.exitRequested ?? this.options.session.lastStatus);
  }

  /** A here-document that outgrew the limit: refused as a whole, and the prompt comes back. */
  private refuseOverflow(): void {
    this.pending = '';
    this.pendingLines = 0;
    this.hereDocument = undefined;
    this.overflowed = false;
    this.terminal.write(`cilium-sim: here-document too long (a command and its here-documents hold at most ${MAX_LINE_BYTES} bytes)\n`);
    this.showPrompt();
  }

  /** `help`, `help CMD`, `clear`, `exit`, `quit`: what the REPL answers itself. */
  private answer(text: string): boolean {
    const words = text.split(/\s+/);
    const session = this.options.session;
    // A bare `exit` leaves with the last command's status, as bash's does.
    if (words.length === 1 && EXIT_WORDS.has(words[0]!)) {
      session.exitRequested = session.lastStatus;
      return true;
    }
    if (words.length === 1 && words[0] === 'clear') {
      this.terminal.clear();
      session.lastStatus = 0;
      return true;
    }
    if (words[0] !== 'help' || words.length > 2) return false;
    const help = this.options.help?.(words[1]) ?? `Commands: ${builtinNames().join(', ')}, and the simulated tools.\n`;
    this.terminal.write(help.endsWith('\n') ? help : `${help}\n`);
    session.lastStatus = 0;
    return true;
  }

  private runShell(text: string): void {
    const result = this.options.session.run(text);
    // Output without a final newline (jsonpath) would run into the next prompt.
    this.terminal.write(result.output === '' || result.output.endsWith('\n') ? result.output : `${result.output}\n`);
  }

  private showPrompt(): void {
    if (!this.closed) this.terminal.prompt(this.currentPrompt());
  }
}

/** What leaves `text` open for more lines, or undefined when it is complete (or wrong for good). */
function openPart(text: string): ShellSyntaxError | undefined {
  try {
    parse(text);
    return undefined;
  } catch (e) {
    return e instanceof ShellSyntaxError && e.incomplete ? e : undefined;
  }
}
