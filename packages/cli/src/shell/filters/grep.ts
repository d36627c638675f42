import { compileRe2 } from '@cilium-sim/core';
import { fail, ok, type BuiltinIo, type CommandResult } from '../command.ts';
import { inputText } from './inputText.ts';
import { parseOptions, type ParsedOptions } from './options.ts';
import { translatePosixRegex } from './posixRegex.ts';
import { joinLines, splitLines } from './textLines.ts';

const SPEC = {
  flags: 'ivEFPcowxnqsh',
  values: 'eABC',
  long: {
    'after-context': 'A',
    'before-context': 'B',
    context: 'C',
    'ignore-case': 'i',
    'invert-match': 'v',
    'extended-regexp': 'E',
    'fixed-strings': 'F',
    count: 'c',
    'only-matching': 'o',
    'word-regexp': 'w',
    'line-regexp': 'x',
    'line-number': 'n',
    quiet: 'q',
    silent: 'q',
    regexp: 'e',
    color: 'h',
    colour: 'h',
  },
} as const;

/**
 * `grep [-i] [-v] [-E|-F] [-c] [-o] [-w] [-x] [-n] [-q] [-A N] [-B N] [-C N] [-e PATTERN]... PATTERN [FILE]...`
 * as GNU grep: basic regular expressions by default (`\|` alternates), exit 0 when a line
 * is selected, 1 when none is, 2 on a usage or pattern error. `--color` is accepted and
 * ignored, since the simulator's output is compared as plain text.
 */
export function grep(args: readonly string[], io: BuiltinIo): CommandResult {
  const options = parseOptions(
    args.map((a) => (a.startsWith('--colo') ? '--color' : a)),
    SPEC,
  );
  if (typeof options === 'string') return usage(options);
  const explicit = options.values.get('e');
  const operands = explicit === undefined ? options.operands.slice(1) : options.operands;
  const patterns = explicit ?? options.operands.slice(0, 1);
  if (patterns.length === 0) return usage('no pattern given');
  const regex = compile(patterns, options);
  if (typeof regex === 'string') return fail(`grep: ${regex}`, 2);
  const context = contextOf(options);
  if (typeof context === 'string') return fail(`grep: ${context}: invalid context length argument`, 2);
  const input = inputText(operands, io);
  if ('missing' in input) return fail(`grep: ${input.missing}: No such file or directory`, 2);
  const lines = splitLines(input.text);
  if ((context.after > 0 || context.before > 0) && !['c', 'o', 'q'].some((f) => options.flags.has(f)))
    return withContext(lines, regex, options, context);
  return select(lines, regex, options);
}

/** -A/-B/-C line counts; the last value of a flag wins, -C sets both sides. */
function contextOf(options: ParsedOptions): { before: number; after: number } | string {
  const last = (f: 'A' | 'B' | 'C'): string | undefined => options.values.get(f)?.at(-1);
  const num = (v: string | undefined): number | string => (v === undefined ? 0 : /^\d+$/.test(v) ? Number(v) : v);
  const [a, b, c] = [num(last('A')), num(last('B')), num(last('C'))];
  for (const v of [a, b, c]) if (typeof v === 'string') return v;
  return { after: Math.max(a as number, c as number), before: Math.max(b as number, c as number) };
}

/** Selected lines with their context, groups that do not touch separated by `--`, as GNU grep prints them. */
function withContext(
  lines: readonly string[],
  regex: Matcher,
  options: ParsedOptions,
  ctx: { before: number; after: number },
): CommandResult {
  const invert = options.flags.has('v');
  const hits = lines.map((line) => regex.test(line) !== invert);
  const shown: string[] = [];
  let lastShown = -1;
  hits.forEach((hit, i) => {
    if (!hit) return;
    const from = Math.max(0, i - ctx.before, lastShown + 1);
    if (lastShown >= 0 && from > lastShown + 1) shown.push('--');
    const to = Math.min(lines.length - 1, i + ctx.after);
    for (let j = from; j <= to; j++) shown.push((options.flags.has('n') ? `${j + 1}${hits[j] ? ':' : '-'}` : '') + lines[j]);
    lastShown = Math.max(lastShown, to);
  });
  return { ...ok(joinLines(shown)), exitCode: hits.some(Boolean) ? 0 : 1 };
}

function usage(message: string): CommandResult {
  return fail(`grep: ${message}\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.`, 2);
}

/**
 * The patterns as one RE2 program, so matching is linear in the line: `-E` and `-P` read RE2's
 * syntax as written (GNU's `\<` and `\>` word edges too), basic patterns go through the POSIX
 * translation first. `-w` captures the word between non-word edges (RE2 has no lookaround).
 */
function compile(patterns: readonly string[], options: ParsedOptions): Matcher | string {
  const sources: string[] = [];
  for (const p of patterns.flatMap((q) => q.split('\n'))) {
    const translated = options.flags.has('F')
      ? { source: p.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&') }
      : options.flags.has('E') || options.flags.has('P')
        ? { source: options.flags.has('P') ? p : p.replace(/\\[<>]/g, '\\b') }
        : translatePosixRegex(p, false);
    if ('error' in translated) return translated.error;
    // Inside the group that joins the patterns, a trailing `\` would escape its `)`.
    if (/(^|[^\\])(\\\\)*\\$/.test(p) && !options.flags.has('F')) return 'Trailing backslash';
    sources.push(translated.source);
  }
  let source = sources.map((s) => `(?:${s})`).join('|');
  const word = options.flags.has('w');
  if (word) source = `(?:^|[^A-Za-z0-9_])(${source})(?:[^A-Za-z0-9_]|$)`;
  if (options.flags.has('x')) source = `^(?:${source})$`;
  const re = compileRe2(source, { ignoreCase: options.flags.has('i') });
  if (typeof re === 'string') return gnuRegexError(re.replace(/^error parsing regexp: /, ''));
  return { test: (line) => re.test(line), matches: (line) => re.matchAll(line, word ? 1 : 0).filter((m) => m !== '') };
}

/** RE2's message for a pattern GNU grep also refuses, in GNU grep's (regcomp's) words, never the translated pattern. */
function gnuRegexError(message: string): string {
  if (message.startsWith('missing closing )')) return 'Unmatched ( or \\(';
  if (message.startsWith('unexpected )')) return 'Unmatched ) or \\)';
  if (message.startsWith('missing closing ]')) return 'Unmatched [, [^, [:, [., or [=';
  if (message.startsWith('invalid repeat count')) return 'Invalid content of \\{\\}';
  if (message.startsWith('trailing backslash')) return 'Trailing backslash';
  if (message.startsWith('invalid character class')) return /`\[:/.test(message) ? 'Invalid character class name' : 'Invalid range end';
  // What RE2 cannot match in linear time (`\1`, lookaround) keeps RE2's words, which name it.
  return message;
}

/** A compiled grep pattern: does a line match, and its matches for `-o`. */
interface Matcher {
  test(line: string): boolean;
  matches(line: string): string[];
}

function select(lines: readonly string[], regex: Matcher, options: ParsedOptions): CommandResult {
  const invert = options.flags.has('v');
  const selected: string[] = [];
  let count = 0;
  lines.forEach((line, index) => {
    if (regex.test(line) === invert) return;
    count++;
    const prefix = options.flags.has('n') ? `${index + 1}:` : '';
    if (options.flags.has('o') && !invert) selected.push(...regex.matches(line).map((m) => prefix + m));
    else selected.push(prefix + line);
  });
  const exitCode = count > 0 ? 0 : 1;
  if (options.flags.has('q')) return { stdout: '', stderr: '', exitCode };
  const stdout = options.flags.has('c') ? `${count}\n` : joinLines(options.flags.has('o') && invert ? [] : selected);
  return { ...ok(stdout), exitCode };
}
