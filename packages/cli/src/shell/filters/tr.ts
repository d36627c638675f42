import { fail, ok, type BuiltinIo, type CommandResult } from '../command.ts';
import { parseOptions } from './options.ts';

const TRY = "Try 'tr --help' for more information.";

const CLASSES: Readonly<Record<string, string>> = {
  lower: 'abcdefghijklmnopqrstuvwxyz',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digit: '0123456789',
  alpha: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ',
  alnum: '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ',
  space: ' \t\n\v\f\r',
  blank: ' \t',
  punct: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
  xdigit: '0123456789ABCDEFabcdef',
};

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', a: '\x07', b: '\b', f: '\f', v: '\v' };

/**
 * `tr [-d] [-s] [-c] SET1 [SET2]`, as GNU tr: translates, deletes (-d) or squeezes repeats (-s)
 * of characters, with ranges (`a-z`), classes (`[:upper:]`) and backslash escapes (`\n`); SET2
 * is padded with its last character. -c takes the complement of SET1 (with -d or -s).
 */
export function tr(args: readonly string[], io: BuiltinIo): CommandResult {
  const parsed = parseOptions(args, { flags: 'dscC', values: '', long: { delete: 'd', 'squeeze-repeats': 's', complement: 'c' } });
  if (typeof parsed === 'string') return fail(`tr: ${parsed}\n${TRY}`);
  const del = parsed.flags.has('d');
  const squeeze = parsed.flags.has('s');
  const complement = parsed.flags.has('c') || parsed.flags.has('C');
  const [first, second, extra] = parsed.operands;
  if (first === undefined) return fail(`tr: missing operand\n${TRY}`);
  if (second === undefined && !del && !squeeze)
    return fail(`tr: missing operand after '${first}'\nTwo strings must be given when translating.\n${TRY}`);
  if (del && !squeeze && second !== undefined)
    return fail(`tr: extra operand '${second}'\nOnly one string may be given when deleting without squeezing repeats.\n${TRY}`);
  if (extra !== undefined) return fail(`tr: extra operand '${extra}'\n${TRY}`);
  const set1 = expandSet(first);
  if (typeof set1 !== 'string') return fail(`tr: ${set1.error}`);
  const set2 = second === undefined ? '' : expandSet(second);
  if (typeof set2 !== 'string') return fail(`tr: ${set2.error}`);
  const in1 = (c: string): boolean => set1.includes(c) !== complement;
  let out = '';
  const squeezeSet = del ? set2 : second === undefined ? set1 : set2;
  for (const c of io.stdin) {
    if (del && in1(c)) continue;
    let mapped = c;
    if (!del && second !== undefined && in1(c)) {
      const i = complement ? set2.length - 1 : set1.lastIndexOf(c);
      mapped = set2[Math.min(i, set2.length - 1)] ?? c;
    }
    if (squeeze && out.endsWith(mapped) && (second === undefined && !del ? in1(mapped) : squeezeSet.includes(mapped))) continue;
    out += mapped;
  }
  return ok(out);
}

/** A SET operand as the characters it names, in order. */
function expandSet(text: string): string | { error: string } {
  const chars: string[] = [];
  for (let i = 0; i < text.length; ) {
    const cls = /^\[:([a-z]+):\]/.exec(text.slice(i));
    if (cls !== null) {
      const members = CLASSES[cls[1]!];
      if (members === undefined) return { error: `invalid character class '${cls[1]}'` };
      chars.push(...members);
      i += cls[0].length;
      continue;
    }
    const [c, used] = charAt(text, i);
    if (text[i + used] === '-' && i + used + 1 < text.length) {
      const [end, endUsed] = charAt(text, i + used + 1);
      if (end < c) return { error: `range-endpoints of '${c}-${end}' are in reverse collating sequence order` };
      for (let code = c.codePointAt(0)!; code <= end.codePointAt(0)!; code++) chars.push(String.fromCodePoint(code));
      i += used + 1 + endUsed;
      continue;
    }
    chars.push(c);
    i += used;
  }
  return chars.join('');
}

/** The character at `i` (a backslash escape read as one) and how many input characters it took. */
function charAt(text: string, i: number): [string, number] {
  if (text[i] !== '\\' || i + 1 >= text.length) return [text[i]!, 1];
  const octal = /^[0-7]{1,3}/.exec(text.slice(i + 1));
  if (octal !== null) return [String.fromCharCode(Number.parseInt(octal[0], 8)), 1 + octal[0].length];
  const next = text[i + 1]!;
  return [ESCAPES[next] ?? next, 2];
}
