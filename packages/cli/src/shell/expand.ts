import { compileRe2 } from '@cilium-sim/core';
import { ArithmeticProblem, evaluateArithmetic } from './arithmetic.ts';
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
  /** bash ends only the line at an arithmetic error (`$((1/0))`); a script goes on with the next. */
  readonly endsLineOnly: boolean;

  constructor(message: string, endsLineOnly = false) {
    super(message);
    this.name = 'ExpansionError';
    this.endsLineOnly = endsLineOnly;
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
    const value = part === word.parts[0] ? tildeValue(part, ctx) : partValue(part, ctx);
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
  return word.parts.map((p, i) => (i === 0 ? tildeValue(p, ctx) : partValue(p, ctx))).join('');
}

/**
 * A word's first part, with bash's tilde expansion: an unquoted `~` alone or before `/` is
 * `$HOME` (`~user` is left as it is: the sandbox has one user).
 */
function tildeValue(part: ParsedWord['parts'][number], ctx: ExpandContext): string {
  if (part.kind !== 'text' || part.quoted || !(part.text === '~' || part.text.startsWith('~/'))) return partValue(part, ctx);
  const home = ctx.env['HOME'];
  return home === undefined ? part.text : home + part.text.slice(1);
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
    case 'arith':
      return arithmeticValue(part.expression, ctx);
  }
}

/** `$((...))`: the expression expanded, then evaluated as bash does; a problem ends the command as bash's does. */
function arithmeticValue(expression: readonly ParsedPart[], ctx: ExpandContext): string {
  return String(evaluateExpression(expression.map((p) => partValue(p, ctx)).join(''), ctx));
}

function evaluateExpression(text: string, ctx: ExpandContext): bigint {
  try {
    const variables = {
      get: (name: string) => (Object.hasOwn(ctx.env, name) ? ctx.env[name] : undefined),
      set: (name: string, value: string) => ctx.assign?.(name, value),
    };
    return evaluateArithmetic(text, variables);
  } catch (e) {
    if (e instanceof ArithmeticProblem) throw new ExpansionError(e.message, true);
    throw e;
  }
}

/** `$X` and its `${X...}` forms, with POSIX's rules for `-`, `=`, `?` and `+`, with and without `:`. */
function paramPartValue(part: Extract<ParsedPart, { kind: 'param' }>, ctx: ExpandContext): string {
  const value = paramValue(part.name, ctx);
  const set = isSet(part.name, ctx);
  const named = /^[A-Za-z_]/.test(part.name);
  const defaulting = part.op === '-' || part.op === '=' || part.op === '?' || part.op === '+';
  if (ctx.nounset === true && !defaulting && named && !set) throw new ExpansionError(`${part.name}: unbound variable`);
  // bash counts characters, not UTF-16 code units.
  if (part.op === 'length') return String([...value].length);
  if (part.op === undefined) return value;
  const word = (): string => (part.fallback ?? []).map((f) => partValue(f, ctx)).join('');
  if (part.op === '#' || part.op === '##' || part.op === '%' || part.op === '%%') return removeMatch(value, word(), part.op);
  const second = (): string | undefined => part.second?.map((f) => partValue(f, ctx)).join('');
  if (part.op === ':') return substring(value, arithmetic(word(), ctx), second(), ctx);
  if (part.op === '/' || part.op === '//' || part.op === '/#' || part.op === '/%')
    return replaceMatch(value, word(), second() ?? '', part.op);
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

/**
 * Longer values are refused for a pattern with wildcards: each cut is tried with a whole-string
 * RE2 match (linear, so no pattern can blow up), which makes the removal quadratic in the value.
 */
const MAX_PATTERN_VALUE = 4096;

/**
 * `${X#p}`, `${X##p}`, `${X%p}`, `${X%%p}`: X without the shortest or longest prefix or suffix the
 * glob `p` matches (`*`, `?`, `[...]`, `\\` quoting the next character); a pattern without them is a
 * plain prefix or suffix.
 */
function removeMatch(value: string, pattern: string, op: '#' | '##' | '%' | '%%'): string {
  const prefix = op === '#' || op === '##';
  if (!/[*?[\\]/.test(pattern)) {
    if (prefix) return value.startsWith(pattern) ? value.slice(pattern.length) : value;
    return value.endsWith(pattern) ? value.slice(0, value.length - pattern.length) : value;
  }
  if (value.length > MAX_PATTERN_VALUE)
    throw new ExpansionError(`\${...${op}${pattern}}: value over ${MAX_PATTERN_VALUE} characters for a pattern with wildcards`);
  const glob = compileRe2(globSource(pattern));
  if (typeof glob === 'string') throw new ExpansionError(`\${...${op}${pattern}}: bad pattern`);
  const cuts = Array.from({ length: value.length + 1 }, (_, i) => i);
  // Cuts from the left first for # (shortest prefix) and %% (longest suffix), from the right for ## and %.
  const order = op === '#' || op === '%%' ? cuts : cuts.reverse();
  for (const i of order) {
    if (prefix && glob.fullMatch(value.slice(0, i))) return value.slice(i);
    if (!prefix && glob.fullMatch(value.slice(i))) return value.slice(0, i);
  }
  return value;
}

/**
 * `${X:offset}`, `${X:offset:length}`: characters of X from offset (from the end when negative), at
 * most length of them (up to length from the end when negative), as bash counts them.
 */
function substring(value: string, offset: number, lengthText: string | undefined, ctx: ExpandContext): string {
  const chars = [...value];
  const start = offset < 0 ? chars.length + offset : offset;
  if (start < 0 || start > chars.length) return '';
  if (lengthText === undefined) return chars.slice(start).join('');
  const length = arithmetic(lengthText, ctx);
  const end = length < 0 ? chars.length + length : start + length;
  if (end < start) throw new ExpansionError(`${lengthText.trim()}: substring expression < 0`, true);
  return chars.slice(start, end).join('');
}

/** An offset or length: bash evaluates it as an arithmetic expression (`${X:1+1}`, `${X:N}`). */
function arithmetic(text: string, ctx: ExpandContext): number {
  return Number(evaluateExpression(text, ctx));
}

/**
 * `${X/p/r}` (the first match of the glob p replaced by r), `${X//p/r}` (every match), `${X/#p/r}`
 * (a match at the start), `${X/%p/r}` (at the end); each match the longest from its start, as bash's.
 * The glob is matched with RE2, in time linear in X.
 */
function replaceMatch(value: string, pattern: string, replacement: string, op: '/' | '//' | '/#' | '/%'): string {
  if (pattern === '' && (op === '/' || op === '//')) return value;
  const glob = globSource(pattern);
  // Group 1 is the text before a match, group 2 the match: the lazy prefix finds the leftmost start
  // and the glob's greedy `*`s (its only quantifiers) make the match there the longest.
  const source = op === '/#' ? `^()(${glob})` : op === '/%' ? `^([\\s\\S]*?)(${glob})$` : `([\\s\\S]*?)(${glob})`;
  const re = compileRe2(source);
  if (typeof re === 'string') throw new ExpansionError(`\${...${op}${pattern}}: bad pattern`);
  const before = re.matchAll(value, 1);
  const matched = re.matchAll(value, 2);
  const count = op === '//' ? before.length : Math.min(1, before.length);
  let out = '';
  let used = 0;
  for (let i = 0; i < count; i++) {
    // A pattern of `*`s only matches the rest of X, then once more the empty end: that one is not a match for bash.
    if (i > 0 && before[i] === '' && matched[i] === '' && used === value.length) break;
    out += before[i]! + replacement;
    used += before[i]!.length + matched[i]!.length;
  }
  return out + value.slice(used);
}

/** A glob as an RE2 pattern: `*` any text, `?` one character, `[...]` a class, `\\` quoting. */
function globSource(pattern: string): string {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    const close = c === '[' ? pattern.indexOf(']', i + 2) : -1;
    if (c === '\\' && i + 1 < pattern.length) source += pattern[++i]!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    else if (c === '*') source += '[\\s\\S]*';
    else if (c === '?') source += '[\\s\\S]';
    else if (close > 0) {
      const body = pattern
        .slice(i + 1, close)
        .replace(/^!/, '^')
        .replace(/[\\\]]/g, '\\$&');
      source += `[${body}]`;
      i = close;
    } else source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return source;
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
