import { fail, ok, type BuiltinIo, type CommandResult } from '../command.ts';
import { evaluateDotPath, parseDotPath } from '../dotPath.ts';
import { inputText } from './inputText.ts';

/**
 * `jq [-r] [-c] EXPRESSION [FILE]` for path expressions: pretty JSON with two-space
 * indentation as jq prints it, `-r` prints strings bare, `-c` one value a line.
 */
export function jq(args: readonly string[], io: BuiltinIo): CommandResult {
  const flags = new Set(args.filter((a) => /^-[a-zA-Z]+$/.test(a)).flatMap((a) => [...a.slice(1)]));
  const [expression = '.', ...files] = args.filter((a) => !/^-[a-zA-Z]+$/.test(a));
  const unknown = [...flags].find((f) => !'rcMCSe'.includes(f));
  if (unknown !== undefined) return fail(`jq: Unknown option: -${unknown}`, 2);
  const stages = parseDotPath(expression);
  if (typeof stages === 'string') return fail(`jq: error: ${stages}\njq: 1 compile error`, 3);
  const input = inputText(files, io);
  if ('missing' in input) return fail(`jq: error: Could not open ${input.missing}: No such file or directory`, 2);
  if (input.text.trim() === '') return ok('');
  let docs: unknown[];
  try {
    docs = jsonValues(input.text);
  } catch (e) {
    return fail(`jq: error (at <stdin>:0): Cannot parse input as JSON: ${(e as Error).message}`, 2);
  }
  const render = (v: unknown): string =>
    flags.has('r') && typeof v === 'string' ? v : JSON.stringify(v, null, flags.has('c') ? undefined : 2);
  return ok(
    docs
      .flatMap((doc) => evaluateDotPath(stages, doc))
      .map((v) => `${render(v)}\n`)
      .join(''),
  );
}

/** jq's own limit on nesting (src/jv_parse.c MAX_PARSING_DEPTH): deeper input is an error, not a crash. */
const MAX_DEPTH = 10_000;

/**
 * The JSON values of `text` one after another, as jq reads its input: `hubble observe -o json`
 * prints one flow a line, and two `kubectl get -o json` in a row print two documents.
 * Throws SyntaxError on a malformed value.
 */
function jsonValues(text: string): unknown[] {
  const values: unknown[] = [];
  for (let i = skipSpace(text, 0); i < text.length; i = skipSpace(text, i)) {
    const start = i;
    i = valueEnd(text, i);
    values.push(JSON.parse(text.slice(start, i)));
  }
  return values;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  return i;
}

/** Where the value starting at `i` ends: its closing bracket or quote, or the next space or bracket. */
function valueEnd(text: string, i: number): number {
  const first = text[i]!;
  if (first === '"') return stringEnd(text, i);
  if (first !== '{' && first !== '[') {
    while (i < text.length && !' \t\r\n{["'.includes(text[i]!)) i++;
    return i;
  }
  let depth = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      i = stringEnd(text, i);
      continue;
    }
    if (c === '{' || c === '[') {
      if (++depth > MAX_DEPTH) throw new SyntaxError('Exceeds depth limit for parsing');
    } else if ((c === '}' || c === ']') && --depth === 0) return i + 1;
    i++;
  }
  return i;
}

function stringEnd(text: string, i: number): number {
  for (i++; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return i;
}
