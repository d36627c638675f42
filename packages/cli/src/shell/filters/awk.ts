import { fail, ok, type BuiltinIo, type CommandResult } from '../command.ts';
import { inputText } from './inputText.ts';
import { joinLines, splitLines } from './textLines.ts';

/**
 * `awk [-F SEP] '{print $1, $3}'`: only the print-fields form the labs use. Terms are
 * `$N`, `$NF`, `$0`, `NF`, `NR` and "strings"; a comma puts a space between terms, juxtaposition
 * concatenates. Anything else is refused with a message rather than run wrongly.
 */
export function awk(args: readonly string[], io: BuiltinIo): CommandResult {
  let separator: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-F') separator = args[++i];
    else if (a.startsWith('-F')) separator = a.slice(2);
    else rest.push(a);
  }
  const [program, ...files] = rest;
  if (program === undefined) return fail("usage: awk [-F fs] '{print $N}' [file ...]", 2);
  const terms = parseProgram(program);
  if (terms === undefined) return fail(`awk: unsupported program '${program}': the simulator runs only '{print $N, ...}'`, 2);
  const input = inputText(files, io);
  if ('missing' in input) return fail(`awk: cannot open "${input.missing}" (No such file or directory)`, 2);
  const lines = splitLines(input.text).map((line, i) => render(terms, line, i + 1, separator));
  return ok(joinLines(lines));
}

type Term =
  | { readonly kind: 'field'; readonly index: number | 'NF' }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'var'; readonly name: 'NF' | 'NR' }
  | { readonly kind: 'comma' };

const TERM = /^\s*(?:\$(\d+|NF)|"((?:[^"\\]|\\.)*)"|(NF|NR)|(,))/;

function parseProgram(program: string): Term[] | undefined {
  const m = /^\s*\{\s*print\b(.*?);?\s*\}\s*$/s.exec(program);
  if (m === null) return undefined;
  const terms: Term[] = [];
  let body = m[1]!;
  while (body.trim() !== '') {
    const t = TERM.exec(body);
    if (t === null) return undefined;
    if (t[1] !== undefined) terms.push({ kind: 'field', index: t[1] === 'NF' ? 'NF' : Number(t[1]) });
    else if (t[2] !== undefined)
      terms.push({ kind: 'text', text: t[2].replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\(.)/g, '$1') });
    else if (t[3] !== undefined) terms.push({ kind: 'var', name: t[3] as 'NF' | 'NR' });
    else terms.push({ kind: 'comma' });
    body = body.slice(t[0].length);
  }
  return terms.length === 0 ? [{ kind: 'field', index: 0 }] : terms;
}

function render(terms: readonly Term[], line: string, nr: number, separator: string | undefined): string {
  const fields =
    separator === undefined || separator === ' '
      ? line
          .trim()
          .split(/[ \t]+/)
          .filter((f) => f !== '')
      : line.split(separator);
  const field = (i: number): string => (i === 0 ? line : (fields[i - 1] ?? ''));
  return terms
    .map((t) => {
      if (t.kind === 'comma') return ' ';
      if (t.kind === 'text') return t.text;
      if (t.kind === 'var') return String(t.name === 'NF' ? fields.length : nr);
      return field(t.index === 'NF' ? fields.length : t.index);
    })
    .join('');
}
