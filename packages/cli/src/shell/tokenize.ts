import { decodeCEscape } from './cEscape.ts';
import { findClosingBrace, findClosingParen } from './closingDelimiter.ts';
import { readHereDocumentBody, readHereDocumentStart } from './hereDocumentText.ts';
import { ShellSyntaxError, unsupported } from './shellSyntaxError.ts';

/**
 * One piece of a word. `quoted` pieces are never field-split; a `param` or `subst`
 * outside quotes is split on whitespace after expansion, as POSIX shells do.
 */
export type WordPart =
  | { readonly kind: 'text'; readonly text: string; readonly quoted: boolean }
  | ParamPart<WordPart>
  | { readonly kind: 'subst'; readonly source: string; readonly quoted: boolean }
  | ArithmeticPart<WordPart>;

/** `$((expression))`: the expression's text, expanded ($X, $(...)) before it is evaluated. */
export interface ArithmeticPart<P> {
  readonly kind: 'arith';
  readonly expression: readonly P[];
  readonly quoted: boolean;
}

/**
 * `$X`, `${X}`, `${#X}` (`op` 'length'), and POSIX's `${X-word}` (`op` '-': word if X is unset),
 * `${X=word}` (and assign it), `${X?word}` (an error saying word) and `${X+word}` (word if X is
 * set); with `colon` (`${X:-word}` ...) an empty X counts as unset. `fallback` is the word, of `P` parts.
 */
export interface ParamPart<P> {
  readonly kind: 'param';
  readonly name: string;
  readonly quoted: boolean;
  readonly op?: ParamOp | 'length';
  readonly colon?: boolean;
  readonly fallback?: readonly P[];
  /** `${X:offset:length}`'s length, `${X/pattern/replacement}`'s replacement (`fallback` holds the offset or pattern). */
  readonly second?: readonly P[];
}

/**
 * The operators of `${X-word}`, `${X=word}`, `${X?word}` and `${X+word}`, and of `${X#pattern}`,
 * `${X##pattern}`, `${X%pattern}` and `${X%%pattern}` (the shortest or longest prefix or suffix removed),
 * `${X:offset:length}` (':'), and `${X/pattern/repl}` ('/' the first match, '//' every one, '/#' at the
 * start, '/%' at the end).
 */
export type ParamOp = '-' | '=' | '?' | '+' | '#' | '##' | '%' | '%%' | ':' | '/' | '//' | '/#' | '/%';

export interface Word {
  readonly parts: readonly WordPart[];
  /** The word as written, quotes included; used in error messages. */
  readonly raw: string;
}

/** Operators the shell runs; the others are recognised only to be refused clearly. */
export type Operator = '|' | '&&' | '||' | ';' | '\n' | '&' | '(' | ')' | ';;' | '|&' | '<(' | '>(';
export type RedirectOp = '>' | '>>' | '<' | '>&' | '&>' | '&>>' | '<<<';

/**
 * `<<EOF` (or `<<-EOF`, `<<'EOF'`): the body is the lines after the command's line, up to the
 * delimiter line. An unquoted delimiter expands `$VAR`, `${VAR}`, `$(...)` and backquotes in the
 * body (never splitting it); a quoted one keeps the body as written.
 */
export interface HereDocument {
  readonly kind: 'heredoc';
  readonly delimiter: string;
  /** `<<-`: leading tabs of the body's lines and of the delimiter line are removed. */
  readonly stripTabs: boolean;
  /** The delimiter was quoted (`'EOF'`, `"EOF"`, `\EOF`): the body is kept as written. */
  readonly quoted: boolean;
  /** Filled in when the tokenizer reaches the body, after the end of the command's line. */
  body: Word;
}

export type Token =
  | { readonly kind: 'word'; readonly word: Word }
  | { readonly kind: 'op'; readonly op: Operator }
  | { readonly kind: 'redirect'; readonly op: RedirectOp; readonly fd: number | undefined }
  | HereDocument;

// Longest first, so `&&` wins over `&` and `>>` over `>`.
const OPERATORS = [
  '&>>',
  '<<<',
  '&&',
  '||',
  ';;',
  '|&',
  '<<',
  '<(',
  '>(',
  '>>',
  '>|',
  '<>',
  '>&',
  '&>',
  '|',
  '&',
  ';',
  '(',
  ')',
  '<',
  '>',
  '\n',
] as const;
const REDIRECTS: ReadonlySet<string> = new Set(['>', '>>', '<', '>&', '&>', '&>>', '<<<']);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/**
 * Splits one input (a line, or several joined by newlines) into words and operators,
 * following POSIX quoting: '...' is literal, "..." expands `$` and backquotes and
 * honours `\` before `$ \` " \\` and newline, `$'...'` decodes C escapes, an unquoted `\`
 * quotes the next character and `\`+newline joins lines. `#` starts a comment where a
 * word could start. Throws ShellSyntaxError (`incomplete` when more input could fix it).
 *
 * @example tokenize(`echo "$HOME" | grep -v x`) // word, word, op |, word, word, word
 */
export function tokenize(input: string): Token[] {
  return new Tokenizer(input).run();
}

/** `${X:-${Y:-...}}` nested deeper than this is refused rather than risking the stack. */
export const MAX_WORD_DEPTH = 32;

class Tokenizer {
  private readonly input: string;
  private pos = 0;
  private readonly tokens: Token[] = [];
  private parts: WordPart[] = [];
  private wordStart = -1;
  /** Here-documents of the current line whose bodies start after its newline. */
  private pending: HereDocument[] = [];
  /** How deep this word sits in `${X:-...}` and `$((...))` words. */
  private readonly depth: number;

  constructor(input: string, depth = 0) {
    if (depth > MAX_WORD_DEPTH) throw new ShellSyntaxError(`parameter expansions nested deeper than ${MAX_WORD_DEPTH}`);
    this.input = input;
    this.depth = depth;
  }

  /** A word nested in this one (a default, a pattern, an arithmetic expression). */
  private nested(text: string): Tokenizer {
    return new Tokenizer(text, this.depth + 1);
  }

  run(): Token[] {
    while (this.pos < this.input.length) this.step();
    this.endWord();
    const open = this.pending[0];
    if (open !== undefined)
      throw new ShellSyntaxError(`here-document delimited by end-of-file (wanted \`${open.delimiter}')`, true, {
        delimiter: open.delimiter,
        stripTabs: open.stripTabs,
      });
    return this.tokens;
  }

  /** The body of an unquoted here-document: `$` and backquotes expand, `\` quotes only `$ \` \\` and newline. */
  hereDocumentBody(): WordPart[] {
    this.text('', true, 0);
    while (this.pos < this.input.length) {
      const c = this.input[this.pos]!;
      if (c === '\\') this.hereDocumentEscape();
      else if (c === '$') this.dollar(true);
      else if (c === '`') this.backquote(true);
      else this.text(c, true, 1);
    }
    return this.parts;
  }

  /**
   * The word of `${X:-word}`: expanded as bash expands it ($VAR, $(...), quotes removed), its
   * blanks kept as text; inside double quotes a single quote is an ordinary character.
   */
  defaultWord(quoted: boolean): WordPart[] {
    this.text('', true, 0);
    while (this.pos < this.input.length) {
      const c = this.input[this.pos]!;
      if (c === '"') this.doubleQuoted();
      else if (c === "'" && !quoted) this.singleQuoted();
      else if (c === '\\') quoted ? this.doubleQuotedEscape() : this.backslash();
      else if (c === '$') this.dollar(quoted);
      else if (c === '`') this.backquote(quoted);
      else this.text(c, true, 1);
    }
    return this.parts;
  }

  private hereDocumentEscape(): void {
    const next = this.input[this.pos + 1];
    if (next === '\n') this.pos += 2;
    else if (next !== undefined && '$`\\'.includes(next)) this.text(next, true, 2);
    else this.text('\\', true, 1);
  }

  private step(): void {
    const c = this.input[this.pos]!;
    if (c === ' ' || c === '\t' || c === '\r') {
      this.endWord();
      this.pos++;
    } else if (c === '#' && this.wordStart < 0) {
      this.skipComment();
    } else if (this.wordStart < 0 && this.fdRedirect()) {
      // `2>`, `2>&1`: the digit names a file descriptor only as a whole word.
    } else if (this.operator()) {
      // consumed
    } else {
      this.wordChar(c);
    }
  }

  private skipComment(): void {
    const nl = this.input.indexOf('\n', this.pos);
    this.pos = nl < 0 ? this.input.length : nl;
  }

  private fdRedirect(): boolean {
    const m = /^(\d)(>>|>&|>|<)/.exec(this.input.slice(this.pos, this.pos + 3));
    if (m === null) return false;
    this.tokens.push({ kind: 'redirect', op: m[2] as RedirectOp, fd: Number(m[1]) });
    this.pos += m[0].length;
    return true;
  }

  private operator(): boolean {
    const op = OPERATORS.find((o) => this.input.startsWith(o, this.pos));
    if (op === undefined) return false;
    this.endWord();
    this.pos += op.length;
    if (op === '<<') this.hereDocument();
    // `>|` writes past noclobber, which the shell does not model: it is `>`.
    else if (op === '>|') this.tokens.push({ kind: 'redirect', op: '>', fd: undefined });
    else if (op === '<>') throw unsupported('<> (a file open for reading and writing)');
    else if (REDIRECTS.has(op)) this.tokens.push({ kind: 'redirect', op: op as RedirectOp, fd: undefined });
    else this.tokens.push({ kind: 'op', op: op as Operator });
    if (op === '\n' && this.pending.length > 0) this.readBodies();
    return true;
  }

  /** `<<WORD` or `<<-WORD`: reads the delimiter now; the body comes after the line's newline. */
  private hereDocument(): void {
    const { delimiter, quoted, stripTabs, end } = readHereDocumentStart(this.input, this.pos);
    this.pos = end;
    const doc: HereDocument = { kind: 'heredoc', delimiter, stripTabs, quoted, body: { parts: [], raw: '' } };
    this.tokens.push(doc);
    this.pending.push(doc);
  }

  /** After a newline: each pending here-document takes the lines up to its delimiter line. */
  private readBodies(): void {
    while (this.pending.length > 0) {
      const doc = this.pending[0]!;
      const read = readHereDocumentBody(this.input, this.pos, doc);
      if (read === undefined) {
        // Still open: `run` reports it, so more lines can complete it.
        this.pos = this.input.length;
        return;
      }
      this.pos = read.end;
      doc.body = {
        parts: doc.quoted ? [{ kind: 'text', text: read.body, quoted: true }] : new Tokenizer(read.body).hereDocumentBody(),
        raw: read.body,
      };
      this.pending.shift();
    }
  }

  private wordChar(c: string): void {
    if (this.wordStart < 0) this.wordStart = this.pos;
    if (c === '\\') this.backslash();
    else if (c === "'") this.singleQuoted();
    else if (c === '"') this.doubleQuoted();
    else if (c === '$') this.dollar(false);
    else if (c === '`') this.backquote(false);
    else this.text(c, false, 1);
  }

  private text(text: string, quoted: boolean, advance: number): void {
    this.pos += advance;
    const last = this.parts.at(-1);
    if (last?.kind === 'text' && last.quoted === quoted)
      this.parts[this.parts.length - 1] = { kind: 'text', text: last.text + text, quoted };
    else this.parts.push({ kind: 'text', text, quoted });
  }

  private endWord(): void {
    if (this.wordStart < 0) return;
    this.tokens.push({ kind: 'word', word: { parts: this.parts, raw: this.input.slice(this.wordStart, this.pos) } });
    this.parts = [];
    this.wordStart = -1;
  }

  private backslash(): void {
    const next = this.input[this.pos + 1];
    if (next === undefined) throw new ShellSyntaxError('unexpected end of input after \\', true);
    if (next === '\n') {
      this.pos += 2;
      // A continuation inside a word keeps the word open; before one it just joins lines.
      if (this.parts.length === 0) this.wordStart = -1;
      return;
    }
    this.text(next, true, 2);
  }

  private singleQuoted(): void {
    const end = this.input.indexOf("'", this.pos + 1);
    if (end < 0) throw new ShellSyntaxError('unterminated quote', true);
    this.text(this.input.slice(this.pos + 1, end), true, end + 1 - this.pos);
  }

  private doubleQuoted(): void {
    this.text('', true, 1);
    for (;;) {
      const c = this.input[this.pos];
      if (c === undefined) throw new ShellSyntaxError('unterminated quote', true);
      if (c === '"') break;
      if (c === '\\') this.doubleQuotedEscape();
      else if (c === '$') this.dollar(true);
      else if (c === '`') this.backquote(true);
      else this.text(c, true, 1);
    }
    this.pos++;
  }

  private doubleQuotedEscape(): void {
    const next = this.input[this.pos + 1];
    if (next === undefined) throw new ShellSyntaxError('unterminated quote', true);
    if (next === '\n') this.pos += 2;
    else if ('$`"\\'.includes(next)) this.text(next, true, 2);
    else this.text('\\', true, 1);
  }

  private dollar(quoted: boolean): void {
    const rest = this.input.slice(this.pos + 1, this.pos + 3);
    if (rest.startsWith('((')) {
      // `$((` opens arithmetic when its `(` closes with `))`; else it is `$(` of a subshell.
      const close = findClosingParen(this.input, this.pos + 2);
      if (this.input[close - 1] === ')' && findClosingParen(this.input, this.pos + 3) === close - 1) {
        const expression = this.nested(this.input.slice(this.pos + 3, close - 1)).defaultWord(true);
        this.parts.push({ kind: 'arith', expression, quoted });
        this.pos = close + 1;
        return;
      }
    }
    if (rest.startsWith('(')) return this.commandSubstitution(quoted);
    if (rest.startsWith('{')) return this.braceParam(quoted);
    if (rest.startsWith("'") && !quoted) return this.ansiC();
    const name = NAME.exec(this.input.slice(this.pos + 1))?.[0] ?? /^[?$#0-9@*]/.exec(rest)?.[0];
    if (name === undefined) return this.text('$', quoted, 1);
    this.parts.push({ kind: 'param', name, quoted });
    this.pos += 1 + name.length;
  }

  private commandSubstitution(quoted: boolean): void {
    const open = this.pos + 2;
    const close = findClosingParen(this.input, open);
    this.parts.push({ kind: 'subst', source: this.input.slice(open, close), quoted });
    this.pos = close + 1;
  }

  private braceParam(quoted: boolean): void {
    const close = findClosingBrace(this.input, this.pos + 2, quoted);
    const body = this.input.slice(this.pos + 2, close);
    const length = /^#([A-Za-z_][A-Za-z0-9_]*|[?$0-9])$/.exec(body);
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[?$#0-9])(?:(:?)([-=?+])(.*))?$/s.exec(body);
    const trim = /^([A-Za-z_][A-Za-z0-9_]*|[?$0-9])(##?|%%?)(.*)$/s.exec(body);
    if (length !== null) this.parts.push({ kind: 'param', name: length[1]!, quoted, op: 'length' });
    else if (trim !== null) {
      const fallback = this.nested(trim[3]!).defaultWord(quoted);
      this.parts.push({ kind: 'param', name: trim[1]!, quoted, op: trim[2] as ParamOp, fallback });
    } else if (m === null) this.parts.push(slicePart(body, quoted, (text) => this.nested(text)));
    else if (m[3] === undefined) this.parts.push({ kind: 'param', name: m[1]!, quoted });
    else {
      const fallback = this.nested(m[4]!).defaultWord(quoted);
      this.parts.push({ kind: 'param', name: m[1]!, quoted, op: m[3] as ParamOp, colon: m[2] === ':', fallback });
    }
    this.pos = close + 1;
  }

  private ansiC(): void {
    let out = '';
    let i = this.pos + 2;
    for (; i < this.input.length && this.input[i] !== "'"; i++) {
      if (this.input[i] !== '\\') {
        out += this.input[i];
        continue;
      }
      const [decoded, used] = decodeCEscape(this.input, i + 1);
      out += decoded;
      i += used;
    }
    if (i >= this.input.length) throw new ShellSyntaxError('unterminated quote', true);
    this.text(out, true, i + 1 - this.pos);
  }

  private backquote(quoted: boolean): void {
    let source = '';
    let i = this.pos + 1;
    for (; i < this.input.length && this.input[i] !== '`'; i++) {
      const next = this.input[i + 1];
      // Inside backquotes a backslash only quotes `, $ and itself.
      if (this.input[i] === '\\' && next !== undefined && '`$\\'.includes(next)) source += this.input[++i];
      else source += this.input[i];
    }
    if (i >= this.input.length) throw new ShellSyntaxError('unterminated backquote', true);
    this.parts.push({ kind: 'subst', source, quoted });
    this.pos = i + 1;
  }
}

/** `${X:offset[:length]}` and `${X/pattern[/replacement]}` (with `//`, `/#`, `/%`), or a bad substitution. */
function slicePart(body: string, quoted: boolean, nested: (text: string) => Tokenizer): ParamPart<WordPart> {
  const word = (text: string) => nested(text).defaultWord(quoted);
  const sub = /^([A-Za-z_][A-Za-z0-9_]*|[?$0-9]):([^:]*)(?::(.*))?$/s.exec(body);
  if (sub !== null) {
    const second = sub[3] === undefined ? {} : { second: word(sub[3]) };
    return { kind: 'param', name: sub[1]!, quoted, op: ':', fallback: word(sub[2]!), ...second };
  }
  const replace = /^([A-Za-z_][A-Za-z0-9_]*|[?$0-9])(\/[/#%]?)(.*)$/s.exec(body);
  if (replace === null) throw new ShellSyntaxError(`\${${body}}: bad substitution`);
  const rest = replace[3]!;
  // The pattern ends at the first `/` not quoted by a backslash.
  let end = 0;
  while (end < rest.length && rest[end] !== '/') end += rest[end] === '\\' ? 2 : 1;
  const second = end < rest.length ? { second: word(rest.slice(end + 1)) } : {};
  return { kind: 'param', name: replace[1]!, quoted, op: replace[2] as ParamOp, fallback: word(rest.slice(0, end)), ...second };
}
