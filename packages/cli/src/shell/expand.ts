import type { ParsedPart, ParsedWord, Program } from './parse.ts';

/** What expansion reads: variables, the last status (`$?`), and a way to run `$(...)`. */
export interface ExpandContext {
  readonly env: Readonly<Record<string, string>>;
  readonly lastStatus: number;
  /** `set -u`: a variable that is not set (and has no `:-` default) is an error, not ''. */
  readonly nounset?: boolean;
  /** Runs a substitution's program and returns its stdout. */
  readonly substitute: (program: Program) => string;
  /** Sets a variable for `${X=word}`; without it the word is only the value, as in a subshell. */
  readonly assign?: (name: string, value: string) => void;
}

/**
 * An expansion that fails (`$X` unset under `set -u`, `${X:?message}`): the command does not
 * run, its status is 1, and a shell that is not interactive (a script) ends there, as bash does.
 */
export class ExpansionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpansionError';
  }
}

const IFS = /[ \t\n]+/;

/**
 * Expands one word into fields: `$VAR`, `${VAR}`, `${VAR:-default}`, `$?`, `$(...)` and
 * backquotes. Unquoted expansions are split on whitespace and vanish when empty, as in
 * POSIX shells; quoted ones never split. Globs are not expanded (there is no file system),
 * so `*` stays literal, as bash leaves a pattern that matches nothing.
 *
 * @example expandWord(w`"$A"x$B`, { env: { A: '1 2', B: '3 4' } }) // ['1 2x3', '4']
 */
export function expandWord(word: ParsedWord, ctx: ExpandContext): string[] {
  const fields: string[] = [];
  let current = '';
  let exists = false;
  for (const part of word.parts) {
    const value = partValue(part, ctx);
    if (part.kind === 'text' || part.quoted) {
      current += value;
      exists = true;
      continue;
    }
    value.split(IFS).forEach((piece, i) => {
      if (i > 0 && exists) fields.push(current);
      if (i > 0) [current, exists] = ['', false];
      if (piece !== '') [current, exists] = [current + piece, true];
    });
  }
  if (exists) fields.push(current);
  return fields;
}

/** Expands a word without splitting: assignment values and redirection targets. */
export function expandWordToString(word: ParsedWord, ctx: ExpandContext): string {
  return word.parts.map((p) => partValue(p, ctx)).join('');
}

function partValue(part: ParsedWord['parts'][number], ctx: ExpandContext): string {
  switch (part.kind) {
    case 'text':
      return part.text;
    case 'param':
      return paramPartValue(part, ctx);
    case 'subst':
      // $(...) drops every trailing newline of the output, so `X=$(cmd)` holds one clean value.
      return ctx.substitute(part.program).replace(/\n+$/, '');
  }
}

/** `$X` and its `${X...}` forms, with POSIX's rules for `-`, `=`, `?` and `+`, with and without `:`. */
function paramPartValue(part: Extract<ParsedPart, { kind: 'param' }>, ctx: ExpandContext): string {
  const value = paramValue(part.name, ctx);
  const set = isSet(part.name, ctx);
  const named = /^[A-Za-z_]/.test(part.name);
  if (ctx.nounset === true && (part.op === undefined || part.op === '#') && named && !set)
    throw new ExpansionError(`${part.name}: unbound variable`);
  // bash counts characters, not UTF-16 code units.
  if (part.op === '#') return String([...value].length);
  if (part.op === undefined) return value;
  const word = (): string => (part.fallback ?? []).map((f) => partValue(f, ctx)).join('');
  // With `:` an empty value counts as unset.
  const present = set && (part.colon !== true || value !== '');
  switch (part.op) {
    case '-':
      return present ? value : word();
    case '+':
      return present ? word() : '';
    case '?': {
      if (present) return value;
      const message = word();
      throw new ExpansionError(
        `${part.name}: ${message !== '' ? message : part.colon === true ? 'parameter null or not set' : 'parameter not set'}`,
      );
    }
    case '=': {
      if (present) return value;
      if (!named) throw new ExpansionError(`$${part.name}: cannot assign in this way`);
      const assigned = word();
      ctx.assign?.(part.name, assigned);
      return assigned;
    }
  }
}

/** Whether `name` is set: `$?`, `$$`, `$#` and `$0` always are; `$1`... and `$@` never (no arguments). */
function isSet(name: string, ctx: ExpandContext): boolean {
  if (/^[A-Za-z_]/.test(name)) return Object.hasOwn(ctx.env, name);
  return name === '?' || name === '$' || name === '#' || name === '0';
}

function paramValue(name: string, ctx: ExpandContext): string {
  if (name === '?') return String(ctx.lastStatus);
  if (name === '#') return '0';
  // A script or the REPL has no arguments: `$@` and `$*` are empty.
  if (name === '@' || name === '*') return '';
  if (name === '$') return '1';
  if (/^\d$/.test(name)) return name === '0' ? 'bash' : '';
  // Only the session's own variables: `$constructor` is unset, not a property every object has.
  return Object.hasOwn(ctx.env, name) ? ctx.env[name]! : '';
}
