import { utf8Length } from '@cilium-sim/core';
import { parse, type Program } from './parse.ts';
import { MAX_LINE_BYTES, type ShellSession } from './session.ts';
import { endsHereDocument, ShellSyntaxError } from './shellSyntaxError.ts';

export interface ScriptOptions {
  /** Echo each command as `$ COMMAND` before its output (default true). */
  readonly echo?: boolean;
  /** The name errors give the script: `walkthrough.sh:12: unterminated quote` (default `script.sh`). */
  readonly name?: string;
  /**
   * Receives each command's echo and output as soon as the command completes, so an error or
   * interruption later keeps everything before it; the result's transcript is then empty.
   */
  readonly onOutput?: (chunk: string) => void;
}

export interface ScriptResult {
  /** What a reader of the walkthrough sees: each command echoed, then its output. */
  readonly transcript: string;
  /** False only when the script itself is malformed; failing commands do not make it false. */
  readonly ok: boolean;
  /** The status of the last command run (0 when none ran). */
  readonly exitCode: number;
}

/** A command of the script with the text and line it came from. */
export interface ScriptCommand {
  readonly line: number;
  readonly text: string;
  readonly program: Program;
}

/** More commands than this in one script is refused: no walkthrough is that long. */
export const MAX_SCRIPT_COMMANDS = 100_000;

/**
 * A command spread over more physical lines than this (a quote left open, a `\` on every
 * line) is reported instead of joined further: each join parses the command again.
 */
export const MAX_COMMAND_LINES = 500;

/** Parsing stops at this many malformed lines: the script is refused either way. */
export const MAX_SCRIPT_ERRORS = 20;

/**
 * Runs a walkthrough script: one command a line, `#` comments and blank lines skipped,
 * `\` continuations (and quotes or pipes left open) joined with the next line. The whole
 * script is parsed before anything runs, so a malformed one changes nothing and reports
 * every bad line as `script.sh:12: unterminated quote`. `exit` stops the script.
 *
 * @example runScript('kubectl get pods\n# done\n', session).transcript // '$ kubectl get pods\nNAME ...'
 */
export function runScript(text: string, session: ShellSession, options: ScriptOptions = {}): ScriptResult {
  const parsed = parseScript(text, options.name ?? 'script.sh');
  if ('errors' in parsed) return { transcript: parsed.errors.map((e) => `${e}\n`).join(''), ok: false, exitCode: 2 };
  let transcript = '';
  const emit = options.onOutput ?? ((chunk: string) => void (transcript += chunk));
  let exitCode = 0;
  const interactive = session.interactive;
  session.interactive = false;
  try {
    for (const command of parsed.commands) {
      if (options.echo !== false) emit(`$ ${command.text}\n`);
      const result = session.execute(command.program);
      emit(result.output === '' || result.output.endsWith('\n') ? result.output : `${result.output}\n`);
      exitCode = result.exitCode;
      if (session.exitRequested !== undefined) break;
    }
  } finally {
    session.interactive = interactive;
  }
  return { transcript, ok: true, exitCode };
}

/** Splits and parses a script; returns its commands, or every error (up to MAX_SCRIPT_ERRORS) naming its line. */
export function parseScript(text: string, name = 'script.sh'): { commands: ScriptCommand[] } | { errors: string[] } {
  // bash refuses a file whose first line holds a NUL byte (a binary, not a script), and drops NULs elsewhere.
  if (/^[^\n]{0,80}\0/.test(text)) return { errors: [`${name}: cannot execute binary file`] };
  // A byte-order mark some editors write is no part of the first command.
  const lines = text
    .replace(/^\uFEFF/, '')
    .replaceAll('\0', '')
    .split(/\r?\n/);
  const commands: ScriptCommand[] = [];
  const errors: string[] = [];
  for (let start = 0; start < lines.length; ) {
    const { end, program, error } = readLogicalLine(lines, start);
    const source = lines
      .slice(start, end + 1)
      .join('\n')
      .trim();
    if (error !== undefined) errors.push(`${name}:${start + 1}: ${error}`);
    if (errors.length >= MAX_SCRIPT_ERRORS && end + 1 < lines.length)
      return { errors: [...errors, `${name}: stopped after ${MAX_SCRIPT_ERRORS} errors`] };
    else if (program !== undefined && program.length > 0) commands.push({ line: start + 1, text: source, program });
    if (commands.length > MAX_SCRIPT_COMMANDS) return { errors: [`${name}: too many commands (the limit is ${MAX_SCRIPT_COMMANDS})`] };
    start = end + 1;
  }
  return errors.length > 0 ? { errors } : { commands };
}

/** Reads lines from `start` until they form a complete command (or the input ends). */
function readLogicalLine(lines: readonly string[], start: number): { end: number; program?: Program; error?: string } {
  let buffer = lines[start]!;
  for (let end = start; ; ) {
    if (utf8Length(buffer) > MAX_LINE_BYTES)
      return {
        end,
        error:
          end > start
            ? `command too long (over ${MAX_LINE_BYTES} bytes, here-documents included)`
            : `line too long (over ${MAX_LINE_BYTES} bytes)`,
      };
    try {
      return { end, program: parse(buffer) };
    } catch (e) {
      if (!(e instanceof ShellSyntaxError)) throw e;
      if (!e.incomplete || end + 1 >= lines.length) return { end, error: e.message };
      if (e.hereDocument !== undefined) {
        // A here-document takes every line up to its delimiter at once: a long manifest is parsed once.
        const doc = e.hereDocument;
        let close = end + 1;
        while (close < lines.length && !endsHereDocument(doc, lines[close]!)) close++;
        if (close >= lines.length) return { end: lines.length - 1, error: e.message };
        buffer += `\n${lines.slice(end + 1, close + 1).join('\n')}`;
        end = close;
        continue;
      }
      if (end - start + 1 >= MAX_COMMAND_LINES)
        return { end, error: `${e.message} (the command is still open after ${MAX_COMMAND_LINES} lines)` };
      buffer += `\n${lines[++end]!}`;
    }
  }
}
