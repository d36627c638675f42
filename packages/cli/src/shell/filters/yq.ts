import { type Document, parseAllDocuments, stringify } from 'yaml';
import { fail, ok, type BuiltinIo, type CommandResult } from '../command.ts';
import { evaluateDotPath, parseDotPath } from '../dotPath.ts';
import { inputText } from './inputText.ts';

/**
 * `yq [e|eval] [-o yaml|json] [EXPRESSION] [FILE]` as mikefarah yq v4 for path expressions:
 * reads YAML (so JSON too), prints scalars bare and maps and lists as YAML (or JSON with
 * `-o json`). Each input document is evaluated on its own, results separated by `---`. The
 * identity (`yq FILE`, `yq . FILE`) prints the file in its own style, as yq re-encodes it:
 * comments, quotes, flow collections and `---` separators kept.
 */
export function yq(args: readonly string[], io: BuiltinIo): CommandResult {
  try {
    return evaluate(args, io);
  } catch (e) {
    // The YAML reader and the printer recurse: input nested past the stack is refused as yq's bad file.
    if (e instanceof RangeError) return fail('Error: bad file: nested too deeply to read');
    // Alias trouble (`*a` with no anchor, an alias bomb) is found only when the document is read
    // into values or printed: said as go-yaml, which yq reads with, says it.
    if (!(e instanceof Error)) throw e;
    const alias = /^Unresolved alias.*?: (.*)$/.exec(e.message);
    if (alias !== null) return fail(`Error: bad file: yaml: unknown anchor '${alias[1]}' referenced`);
    if (/^Excessive alias count/.test(e.message)) return fail('Error: bad file: yaml: document contains excessive aliasing');
    if (e.name.startsWith('YAML')) return badFile(e.message);
    throw e;
  }
}

function evaluate(args: readonly string[], io: BuiltinIo): CommandResult {
  const parsed = parseArgs(args, io);
  if (typeof parsed === 'string') return fail(`Error: ${parsed}`);
  const stages = parseDotPath(parsed.expression);
  if (typeof stages === 'string') return fail(`Error: ${stages}`);
  const input = inputText(parsed.files, io);
  if ('missing' in input) return fail(`Error: open ${input.missing}: no such file or directory`);
  const docs = parseAllDocuments(input.text);
  if (parsed.expression.trim() === '.' && !parsed.json) return identity(Array.isArray(docs) ? docs : [docs]);
  const outputs: string[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length > 0) return badFile(doc.errors[0]!.message);
    outputs.push(
      evaluateDotPath(stages, doc.toJS())
        .map((v) => render(v, parsed.json))
        .join(''),
    );
  }
  return ok(outputs.join('---\n'));
}

/** Each document re-encoded from its own nodes, as yq prints `.`: the style of the file kept. */
function identity(docs: readonly Document.Parsed[]): CommandResult {
  let out = '';
  for (const doc of docs) {
    if (doc.errors.length > 0) return badFile(doc.errors[0]!.message);
    // Documents after the first carry their own `---`; go-yaml writes flow collections unpadded
    // and never folds a long line.
    out += doc.toString({ flowCollectionPadding: false, lineWidth: 0 });
  }
  return ok(out);
}

function parseArgs(args: readonly string[], io: BuiltinIo): { expression: string; files: string[]; json: boolean } | string {
  let json = false;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-o' || a === '--output-format') json = args[++i] === 'json';
    else if (/^(-o=?|--output-format=)/.test(a)) json = /json|j$/.test(a);
    else if (a === '-r' || a === '-e' || a === '--unwrapScalar') continue;
    else if (a.startsWith('-') && a !== '-') return `unknown flag: ${a}`;
    else rest.push(a);
  }
  if (rest[0] === 'e' || rest[0] === 'eval') rest.shift();
  // `yq FILE`: yq v4 takes a lone argument that names a file as the file, with the expression `.`.
  if (rest.length === 1 && rest[0] !== '-' && readable(rest[0]!, io)) rest.unshift('.');
  const [expression = '.', ...files] = rest;
  return { expression, files, json };
}

/** yq's words for a document it cannot read; the reader's own stack overflow is said as the nesting it is. */
function badFile(message: string): CommandResult {
  return fail(`Error: bad file: ${/call stack/i.test(message) ? 'nested too deeply to read' : message.split('\n')[0]}`);
}

/** Whether `path` names a file that can be read: `.` (a folder) is the identity expression, not a file. */
function readable(path: string, io: BuiltinIo): boolean {
  try {
    return io.readFile(path) !== undefined;
  } catch {
    return false;
  }
}

function render(value: unknown, json: boolean): string {
  if (json) return `${JSON.stringify(value, null, 2)}\n`;
  if (value === null || typeof value !== 'object') return `${value === null ? 'null' : String(value)}\n`;
  return stringify(value);
}
