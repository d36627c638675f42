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
  let doc: unknown;
  try {
    doc = JSON.parse(input.text);
  } catch (e) {
    return fail(`jq: error (at <stdin>:0): Cannot parse input as JSON: ${(e as Error).message}`, 2);
  }
  const render = (v: unknown): string =>
    flags.has('r') && typeof v === 'string' ? v : JSON.stringify(v, null, flags.has('c') ? undefined : 2);
  return ok(
    evaluateDotPath(stages, doc)
      .map((v) => `${render(v)}\n`)
      .join(''),
  );
}
