/** The C escapes of `$'...'` and `echo -e`: `\n`, `\t`, `\x41`, `\0101`, `\u2713`, ... */
const C_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
};

/** Decodes the escape after a backslash at `at`; returns the text and how many characters it used. */
export function decodeCEscape(input: string, at: number): [string, number] {
  const c = input[at];
  if (c === undefined) return ['\\', 0];
  if (C_ESCAPES[c] !== undefined) return [C_ESCAPES[c], 1];
  const unicode = /^(?:u([0-9A-Fa-f]{1,4})|U([0-9A-Fa-f]{1,8}))/.exec(input.slice(at, at + 9));
  const codePoint = unicode === null ? undefined : parseInt(unicode[1] ?? unicode[2]!, 16);
  if (codePoint !== undefined && codePoint <= 0x10ffff) return [String.fromCodePoint(codePoint), unicode![0].length];
  const hex = /^x([0-9A-Fa-f]{1,2})/.exec(input.slice(at, at + 3));
  if (hex !== null) return [String.fromCharCode(parseInt(hex[1]!, 16)), hex[0].length];
  const oct = /^0?([0-7]{1,3})/.exec(input.slice(at, at + 4));
  if (oct !== null) return [String.fromCharCode(parseInt(oct[1]!, 8) & 0xff), oct[0].length];
  return [`\\${c}`, 1];
}
