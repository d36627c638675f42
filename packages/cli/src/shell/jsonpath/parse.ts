/**
 * kubectl's JSONPath template grammar (k8s.io/client-go/util/jsonpath): literal text with
 * `{...}` actions; inside an action `.field` (a `\` escapes a dot: `app\.kubernetes\.io/name`),
 * `.*`, `..` (recursive), `[N]`, `[a:b:c]`, `[*]`, `[a,b]`, `['key']`, `[?(@.x == "y")]`,
 * `"text"`, numbers, `true`/`false`, and the identifiers `range` and `end`. Error messages
 * are the ones kubectl prints after `error parsing jsonpath TEMPLATE, `.
 */
export type JsonPathNode =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'wildcard' }
  | { readonly kind: 'recursive' }
  | { readonly kind: 'slice'; readonly start: number | undefined; readonly end: number | undefined; readonly step: number | undefined }
  | { readonly kind: 'union'; readonly branches: readonly (readonly JsonPathNode[])[] }
  | { readonly kind: 'filter'; readonly left: readonly JsonPathNode[]; readonly op: string; readonly right: readonly JsonPathNode[] }
  | { readonly kind: 'literal'; readonly value: number | boolean }
  | { readonly kind: 'identifier'; readonly name: string };

/** A template is literal text and actions, in order. */
export type TemplateItem =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'action'; readonly nodes: readonly JsonPathNode[] };

export class JsonPathParseError extends Error {}

export function parseTemplate(template: string): TemplateItem[] {
  const items: TemplateItem[] = [];
  let pos = 0;
  while (pos < template.length) {
    const open = template.indexOf('{', pos);
    if (open < 0) {
      items.push({ kind: 'text', text: template.slice(pos) });
      break;
    }
    if (open > pos) items.push({ kind: 'text', text: template.slice(pos, open) });
    const action = new ActionParser(template, open + 1);
    items.push({ kind: 'action', nodes: action.parse() });
    pos = action.pos + 1;
  }
  return items;
}

/** Parses an action's body from `pos` up to its closing `}` (left at `pos`). */
class ActionParser {
  readonly input: string;
  pos: number;
  private readonly nodes: JsonPathNode[] = [];
  /** Sub-expressions (filter sides, union branches) end at the end of input, not at `}`. */
  private readonly nested: boolean;

  constructor(input: string, pos: number, nested = false) {
    this.input = input;
    this.pos = pos;
    this.nested = nested;
  }

  parse(): JsonPathNode[] {
    for (;;) {
      const rest = this.input.slice(this.pos);
      if (rest.startsWith('}') && !this.nested) return this.nodes;
      if (rest === '' && this.nested) return this.nodes;
      if (rest.startsWith('[?(')) this.filter();
      else if (rest.startsWith('..')) this.recursive();
      else this.single(rest[0]);
    }
  }

  private single(c: string | undefined): void {
    if (c === undefined || c === '\n' || c === '\r') throw new JsonPathParseError('unclosed action');
    if (c === ' ' || c === '\t' || c === '@' || c === '$') this.pos++;
    else if (c === '[') this.array();
    else if (c === '"' || c === "'") this.quoted(c);
    else if (c === '.') this.field();
    else if (/[+\-0-9]/.test(c)) this.number();
    else if (/[\p{L}\p{N}_]/u.test(c)) this.identifier();
    else throw new JsonPathParseError(`unrecognized character in action: ${goRune(c)}`);
  }

  private recursive(): void {
    if (this.nodes.at(-1)?.kind === 'recursive') throw new JsonPathParseError('invalid multiple recursive descent');
    this.pos += 2;
    this.nodes.push({ kind: 'recursive' });
    if (/[\p{L}\p{N}_]/u.test(this.input[this.pos] ?? '')) this.field(false);
  }

  private field(skipDot = true): void {
    if (skipDot) this.pos++;
    const start = this.pos;
    while (this.pos < this.input.length && !isTerminator(this.input[this.pos]!)) this.pos += this.input[this.pos] === '\\' ? 2 : 1;
    const raw = this.input.slice(start, Math.min(this.pos, this.input.length));
    this.nodes.push(raw === '*' ? { kind: 'wildcard' } : { kind: 'field', name: raw.replace(/\\/g, '') });
  }

  private identifier(): void {
    const start = this.pos;
    while (this.pos < this.input.length && !isTerminator(this.input[this.pos]!)) this.pos++;
    const name = this.input.slice(start, this.pos);
    this.nodes.push(name === 'true' || name === 'false' ? { kind: 'literal', value: name === 'true' } : { kind: 'identifier', name });
  }

  private number(): void {
    const m = /^[+-]?[0-9.]*/.exec(this.input.slice(this.pos))![0];
    this.pos += m.length;
    const value = Number(m);
    if (m === '' || m === '+' || m === '-' || Number.isNaN(value)) throw new JsonPathParseError(`cannot parse number ${m}`);
    this.nodes.push({ kind: 'literal', value });
  }

  private quoted(quote: string): void {
    let i = this.pos + 1;
    for (; i < this.input.length && !(this.input[i] === quote && this.input[i - 1] !== '\\'); i++) {
      if (this.input[i] === '\n') break;
    }
    if (i >= this.input.length || this.input[i] !== quote) throw new JsonPathParseError('unterminated quoted string');
    const body = this.input.slice(this.pos + 1, i);
    this.pos = i + 1;
    this.nodes.push({ kind: 'text', text: unquote(body) });
  }

  private array(): void {
    const close = this.input.indexOf(']', this.pos);
    const newline = this.input.indexOf('\n', this.pos);
    if (close < 0 || (newline >= 0 && newline < close)) throw new JsonPathParseError('unterminated array');
    const text = this.input.slice(this.pos + 1, close);
    this.pos = close + 1;
    this.nodes.push(...arrayNodes(text === '*' ? ':' : text));
  }

  private filter(): void {
    const start = this.pos + 3;
    let quote: string | undefined;
    let i = start;
    for (; ; i++) {
      const c = this.input[i];
      if (c === undefined || c === '\n') throw new JsonPathParseError('unterminated filter');
      if ((c === '"' || c === "'") && this.input[i - 1] !== '\\') quote = quote === undefined ? c : quote === c ? undefined : quote;
      else if (c === ')' && quote === undefined) break;
    }
    if (this.input[i + 1] !== ']') throw new JsonPathParseError('unclosed array expect ]');
    this.pos = i + 2;
    const text = this.input.slice(start, i);
    const m = /^([^!<>=]+)([!<>=]+)(.+?)$/s.exec(text);
    if (m === null) this.nodes.push({ kind: 'filter', left: subExpression(text), op: 'exists', right: [] });
    else this.nodes.push({ kind: 'filter', left: subExpression(m[1]!), op: m[2]!, right: subExpression(m[3]!) });
  }
}

function subExpression(text: string): JsonPathNode[] {
  return new ActionParser(text, 0, true).parse();
}

function arrayNodes(text: string): JsonPathNode[] {
  const parts = text.split(',');
  if (parts.length > 1) return [{ kind: 'union', branches: parts.map((p) => arrayNodes(p.trim())) }];
  const key = /^'([^']*)'$/.exec(text);
  if (key !== null) return subExpression(`.${key[1]}`);
  const m = /^(-?\d*)(:-?\d*)?(:-?\d*)?$/.exec(text);
  if (m === null) throw new JsonPathParseError(`invalid array index ${text}`);
  const num = (s: string | undefined): number | undefined =>
    s === undefined || s === '' || s === ':' ? undefined : Number(s.replace(/^:/, ''));
  const start = num(m[1]);
  // `[N]` alone selects one element: the end is derived as N+1.
  const end = m[2] === undefined ? (start === undefined ? undefined : start === -1 ? undefined : start + 1) : num(m[2]);
  return [{ kind: 'slice', start, end, step: num(m[3]) }];
}

function isTerminator(c: string): boolean {
  return ' \t\r\n.,[]$@{}'.includes(c);
}

function unquote(body: string): string {
  return body.replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_, e: string) => {
    if (e.length > 1) return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ n: '\n', t: '\t', r: '\r', '0': '\0' } as Record<string, string>)[e] ?? e;
  });
}

/** Go's `%#U`: `U+0025 '%'`. */
function goRune(c: string): string {
  return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} '${c}'`;
}
