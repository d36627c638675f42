/**
 * Translates a POSIX regular expression, as GNU grep reads it, into a JavaScript one.
 * Basic (BRE, grep's default): `\|`, `\(\)`, `\{\}`, `\+`, `\?` are the operators and the
 * bare characters are literal, so `grep "Policy is requiring\|Validated"` alternates.
 * Extended (ERE, `grep -E`): the bare characters are the operators. Both: `[[:digit:]]`
 * classes, `\<` `\>` word edges, `\w` `\s`. Returns the source or the message GNU grep prints.
 */
export function translatePosixRegex(pattern: string, extended: boolean): { source: string } | { error: string } {
  let out = '';
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '[') {
      const bracket = translateBracket(pattern, i);
      if (bracket === undefined) return { error: 'Unmatched [, [^, [:, [., or [=' };
      out += bracket.source;
      i = bracket.end;
      continue;
    }
    const token = c === '\\' ? escaped(pattern[++i], extended) : bare(c, extended, out);
    if (token === undefined) return { error: 'Trailing backslash' };
    if (token === '(') depth++;
    if (token === ')' && --depth < 0) return { error: 'Unmatched ) or \\)' };
    out += token;
  }
  return depth > 0 ? { error: 'Unmatched ( or \\(' } : { source: out };
}

const BRE_OPERATORS: Readonly<Record<string, string>> = { '|': '|', '(': '(', ')': ')', '{': '{', '}': '}', '+': '+', '?': '?' };
const SHARED_ESCAPES: Readonly<Record<string, string>> = {
  '<': '\\b',
  '>': '\\b',
  w: '\\w',
  W: '\\W',
  s: '\\s',
  S: '\\S',
  b: '\\b',
  B: '\\B',
};

function escaped(c: string | undefined, extended: boolean): string | undefined {
  if (c === undefined) return undefined;
  if (!extended && BRE_OPERATORS[c] !== undefined) return BRE_OPERATORS[c];
  if (SHARED_ESCAPES[c] !== undefined) return SHARED_ESCAPES[c];
  if (/\d/.test(c)) return `\\${c}`;
  return literal(c);
}

function bare(c: string, extended: boolean, before: string): string {
  if (!extended && '|(){}+?'.includes(c)) return `\\${c}`;
  // A leading `*` (or one right after an opening group or alternation) is literal in POSIX.
  if (c === '*' && (before === '' || before === '^' || /[(|]$/.test(before))) return '\\*';
  return c;
}

function literal(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

const CLASSES: Readonly<Record<string, string>> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f',
  print: ' -~',
  graph: '!-~',
  cntrl: '\\x00-\\x1f\\x7f',
};

/** `[...]`: a `]` first is literal, a backslash is literal, `[:class:]` names a class. */
function translateBracket(pattern: string, open: number): { source: string; end: number } | undefined {
  let i = open + 1;
  let source = '[';
  if (pattern[i] === '^') [source, i] = ['[^', i + 1];
  if (pattern[i] === ']') [source, i] = [`${source}\\]`, i + 1];
  for (; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === ']') return { source: `${source}]`, end: i };
    const cls = /^\[:([a-z]+):\]/.exec(pattern.slice(i));
    if (cls !== null && CLASSES[cls[1]!] !== undefined) {
      source += CLASSES[cls[1]!];
      i += cls[0].length - 1;
    } else {
      source += c === '\\' || c === '[' ? `\\${c}` : c;
    }
  }
  return undefined;
}
