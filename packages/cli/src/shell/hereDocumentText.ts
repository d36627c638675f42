import { ShellSyntaxError } from './shellSyntaxError.ts';

/** Characters that end a here-document's delimiter word, as they end any word. */
const DELIMITER_END = /[\s|&;<>()]/;

/** What follows `<<`: `-` (strip tabs), then the delimiter word, quoted or not. */
export interface HereDocumentStart {
  readonly delimiter: string;
  /** Any quoting in the word (`'EOF'`, `"EOF"`, `\EOF`): the body is then kept as written. */
  readonly quoted: boolean;
  readonly stripTabs: boolean;
  /** Where the tokenizer goes on, after the delimiter word. */
  readonly end: number;
}

/**
 * Reads `-WORD` or `WORD` after a `<<` at `at`, removing the word's quotes as bash does. A `<<`
 * with no word is bash's syntax error naming what came instead.
 */
export function readHereDocumentStart(input: string, at: number): HereDocumentStart {
  let pos = at;
  const stripTabs = input[pos] === '-';
  if (stripTabs) pos++;
  while (input[pos] === ' ' || input[pos] === '\t') pos++;
  let delimiter = '';
  let quoted = false;
  for (let c = input[pos]; c !== undefined && !DELIMITER_END.test(c); c = input[pos]) {
    if (c === "'" || c === '"') {
      const close = input.indexOf(c, pos + 1);
      if (close < 0) throw new ShellSyntaxError('unterminated quote', true);
      delimiter += input.slice(pos + 1, close);
      pos = close + 1;
      quoted = true;
    } else if (c === '\\' && pos + 1 < input.length) {
      delimiter += input[pos + 1];
      pos += 2;
      quoted = true;
    } else {
      delimiter += c;
      pos++;
    }
  }
  if (delimiter === '' && !quoted) {
    const next = input[pos];
    throw new ShellSyntaxError(`syntax error near unexpected token \`${next === undefined || next === '\n' ? 'newline' : next}'`);
  }
  return { delimiter, quoted, stripTabs, end: pos };
}

/**
 * The body that starts at `at` (the line after the command's): every line up to the delimiter
 * line, tabs stripped for `<<-`, each with its newline. Undefined while the delimiter line has
 * not come: the document is still open.
 */
export function readHereDocumentBody(
  input: string,
  at: number,
  doc: { readonly delimiter: string; readonly stripTabs: boolean },
): { readonly body: string; readonly end: number } | undefined {
  let body = '';
  for (let pos = at; pos < input.length; ) {
    const nl = input.indexOf('\n', pos);
    const lineEnd = nl < 0 ? input.length : nl;
    let line = input.slice(pos, lineEnd).replace(/\r$/, '');
    if (doc.stripTabs) line = line.replace(/^\t+/, '');
    pos = nl < 0 ? lineEnd : lineEnd + 1;
    if (line === doc.delimiter) return { body, end: pos };
    body += `${line}\n`;
  }
  return undefined;
}
