import { ShellSyntaxError } from './shellSyntaxError.ts';

/**
 * Finds the `)` closing a `$(` whose body starts at `from`, skipping quoted text and
 * nested parentheses. Iterative, so deep nesting cannot overflow the stack here.
 */
export function findClosingParen(input: string, from: number): number {
  let depth = 1;
  for (let i = from; i < input.length; i++) {
    const c = input[i];
    if (c === '\\') i++;
    else if (c === "'") i = skipPast(input, i, "'");
    else if (c === '"') i = skipDoubleQuoted(input, i);
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  throw new ShellSyntaxError('unterminated command substitution $(', true);
}

/**
 * Finds the `}` closing a `${` whose body starts at `from`: a `}` inside quotes, a `$(...)` or a
 * nested `${...}` (`${A:-$(echo "${B:-x}")}`) does not close it. Single quotes quote only
 * outside double quotes, as in bash.
 */
export function findClosingBrace(input: string, from: number, quoted: boolean): number {
  let depth = 1;
  for (let i = from; i < input.length; i++) {
    const c = input[i];
    if (c === '\\') i++;
    else if (c === "'" && !quoted) i = skipPast(input, i, "'");
    else if (c === '"') i = skipDoubleQuoted(input, i);
    else if (c === '$' && input[i + 1] === '(') i = findClosingParen(input, i + 2);
    else if (c === '$' && input[i + 1] === '{') {
      depth++;
      i++;
    } else if (c === '}' && --depth === 0) return i;
  }
  throw new ShellSyntaxError('unterminated ${', true);
}

function skipPast(input: string, at: number, quote: string): number {
  const end = input.indexOf(quote, at + 1);
  if (end < 0) throw new ShellSyntaxError('unterminated quote', true);
  return end;
}

function skipDoubleQuoted(input: string, at: number): number {
  for (let i = at + 1; i < input.length; i++) {
    if (input[i] === '\\') i++;
    else if (input[i] === '"') return i;
  }
  throw new ShellSyntaxError('unterminated quote', true);
}
