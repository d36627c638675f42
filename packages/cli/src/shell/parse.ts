import { ShellSyntaxError, unsupported } from './shellSyntaxError.ts';
import { type ArithmeticPart, type ParamPart, tokenize, type RedirectOp, type Token, type Word, type WordPart } from './tokenize.ts';

/** A word whose command substitutions are already parsed, so a bad one fails before anything runs. */
export type ParsedPart =
  | Extract<WordPart, { kind: 'text' }>
  | ParamPart<ParsedPart>
  | { readonly kind: 'subst'; readonly program: Program; readonly quoted: boolean }
  | ArithmeticPart<ParsedPart>;
export interface ParsedWord {
  readonly parts: readonly ParsedPart[];
  readonly raw: string;
}

export interface Assignment {
  readonly name: string;
  readonly value: ParsedWord;
}

/**
 * `> f`, `>> f`, `< f`; `dup` copies a descriptor (`2>&1`: fd 2 becomes what 1 is); `<<` feeds
 * a here-document's body (the target) to stdin, `<<<` a here-string's word and a newline.
 */
export interface Redirection {
  readonly fd: number;
  readonly op: '>' | '>>' | '<' | 'dup' | '<<' | '<<<';
  readonly target: ParsedWord;
}

export interface SimpleCommand {
  readonly assignments: readonly Assignment[];
  readonly words: readonly ParsedWord[];
  readonly redirections: readonly Redirection[];
}

export interface Pipeline {
  readonly commands: readonly SimpleCommand[];
  /** `! cmd` inverts the exit status. */
  readonly negated: boolean;
}

/** `a && b || c`: each pipeline runs or not depending on the status so far. */
export interface AndOrList {
  readonly first: Pipeline;
  readonly rest: readonly { readonly op: '&&' | '||'; readonly pipeline: Pipeline }[];
  /** Ended by `&`: the list runs as a background job and the shell goes on at once. */
  readonly background?: true;
}

/** Lists separated by `;` or newlines, run in order. */
export type Program = readonly AndOrList[];

/** Substitutions nested deeper than this are refused rather than risking the stack. */
export const MAX_SUBSTITUTION_DEPTH = 32;

// Cases refused with a name the user recognises rather than a confusing parse error.
const RESERVED: Readonly<Record<string, string>> = {
  if: 'if',
  // biome-ignore lint/suspicious/noThenProperty: `then` is a shell keyword here, and this record is never awaited.
  then: 'if',
  elif: 'if',
  else: 'if',
  fi: 'if',
  for: 'for loop',
  while: 'while loop',
  until: 'until loop',
  do: 'loop',
  done: 'loop',
  select: 'select',
  case: 'case',
  esac: 'case',
  function: 'function definition',
  '{': 'command group { ... }',
  '}': 'command group { ... }',
  '[[': '[[ ... ]]',
};
const UNSUPPORTED_OPS: Readonly<Record<string, string>> = {
  '(': 'subshell ( ... )',
  ')': 'subshell ( ... )',
  ';;': 'case',
  '|&': '|& (write 2>&1 | instead)',
  '<(': 'process substitution <(...)',
  '>(': 'process substitution >(...)',
};
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=/;

/**
 * Parses shell input into a Program. Throws ShellSyntaxError for malformed input and
 * for syntax outside the supported subset (loops, functions, subshells, ...).
 *
 * @example parse('X=$(kubectl get pods -o name) && echo "$X" | head -1')
 */
export function parse(input: string, depth = 0): Program {
  if (depth > MAX_SUBSTITUTION_DEPTH) throw new ShellSyntaxError(`command substitutions nested deeper than ${MAX_SUBSTITUTION_DEPTH}`);
  return new Parser(tokenize(input), depth).program();
}

class Parser {
  private readonly tokens: readonly Token[];
  private readonly depth: number;
  private pos = 0;

  constructor(tokens: readonly Token[], depth: number) {
    this.tokens = tokens;
    this.depth = depth;
  }

  program(): Program {
    const lists: AndOrList[] = [];
    for (;;) {
      while (this.isOp(';') || this.isOp('\n')) this.separator(lists.length === 0 && this.isOp(';'));
      if (this.pos >= this.tokens.length) return lists;
      const list = this.andOr();
      if (this.isOp('&')) {
        // `cmd &` ends the list like `;`, sending it to the background; `& ;` is bash's error too.
        this.pos++;
        lists.push({ ...list, background: true });
        if (this.isOp(';')) this.unexpected();
        continue;
      }
      lists.push(list);
      if (this.pos < this.tokens.length && !this.isOp(';') && !this.isOp('\n')) this.unexpected();
    }
  }

  private separator(leading: boolean): void {
    if (leading) this.unexpected();
    this.pos++;
    if (this.isOp(';')) this.unexpected();
  }

  private andOr(): AndOrList {
    const first = this.pipeline();
    const rest: { op: '&&' | '||'; pipeline: Pipeline }[] = [];
    for (let op = this.peekOp(); op === '&&' || op === '||'; op = this.peekOp()) {
      this.pos++;
      this.skipNewlines(op);
      rest.push({ op, pipeline: this.pipeline() });
    }
    return { first, rest };
  }

  private pipeline(): Pipeline {
    const negated = this.peekWordRaw() === '!';
    if (negated) this.pos++;
    const commands = [this.command()];
    while (this.isOp('|')) {
      this.pos++;
      this.skipNewlines('|');
      commands.push(this.command());
    }
    return { commands, negated };
  }

  /** After `|`, `&&` or `||` a newline continues the command, as in bash; the end of input asks for more. */
  private skipNewlines(op: string): void {
    while (this.isOp('\n')) this.pos++;
    if (this.pos >= this.tokens.length) throw new ShellSyntaxError(`unexpected end of input after ${op}`, true);
  }

  private command(): SimpleCommand {
    const assignments: Assignment[] = [];
    const words: ParsedWord[] = [];
    const redirections: Redirection[] = [];
    for (let t = this.tokens[this.pos]; t !== undefined && t.kind !== 'op'; t = this.tokens[this.pos]) {
      this.pos++;
      if (t.kind === 'heredoc') redirections.push({ fd: 0, op: '<<', target: this.word(t.body) });
      else if (t.kind === 'redirect') redirections.push(...this.redirection(t.op, t.fd));
      else if (words.length === 0 && isAssignment(t.word)) assignments.push(this.assignment(t.word));
      else if (words[0]?.raw === 'export' && isAssignment(t.word)) words.push(this.word(unsplit(t.word)));
      else words.push(this.checkedWord(t.word, words.length === 0));
    }
    if (words.length === 0 && assignments.length === 0 && redirections.length === 0) this.unexpected();
    if (words.length > 0 && this.isOp('(')) throw unsupported('function definition');
    return { assignments, words, redirections };
  }

  private checkedWord(word: Word, first: boolean): ParsedWord {
    if (first && RESERVED[word.raw] !== undefined) throw unsupported(RESERVED[word.raw]!);
    return this.word(word);
  }

  private assignment(word: Word): Assignment {
    const head = word.parts[0] as { kind: 'text'; text: string; quoted: boolean };
    const name = ASSIGNMENT.exec(head.text)![1]!;
    const remainder = head.text.slice(name.length + 1);
    const parts = remainder === '' ? word.parts.slice(1) : [{ ...head, text: remainder }, ...word.parts.slice(1)];
    const value = this.word(unsplit({ parts, raw: word.raw.slice(name.length + 1) }));
    return { name, value };
  }

  private redirection(op: RedirectOp, fd: number | undefined): Redirection[] {
    const t = this.tokens[this.pos];
    if (t?.kind !== 'word') {
      if (t === undefined) throw new ShellSyntaxError(`syntax error near unexpected token \`newline'`);
      return this.unexpected();
    }
    this.pos++;
    const target = this.word(t.word);
    switch (op) {
      case '>&':
        return [{ fd: fd ?? 1, op: /^\d$/.test(t.word.raw) ? 'dup' : '>', target }];
      case '&>':
      case '&>>':
        return [
          { fd: 1, op: op === '&>' ? '>' : '>>', target },
          { fd: 2, op: 'dup', target: literal('1') },
        ];
      default:
        return [{ fd: fd ?? (op === '<' || op === '<<<' ? 0 : 1), op, target }];
    }
  }

  private word(word: Word): ParsedWord {
    return { parts: word.parts.map((p) => this.part(p)), raw: word.raw };
  }

  private part(p: WordPart): ParsedPart {
    if (p.kind === 'subst') return { kind: 'subst', program: parse(p.source, this.depth + 1), quoted: p.quoted };
    if (p.kind === 'arith') return { ...p, expression: p.expression.map((f) => this.part(f)) };
    if (p.kind === 'param' && p.fallback !== undefined) {
      const { second, ...rest } = p;
      const parsedSecond = second === undefined ? {} : { second: second.map((f) => this.part(f)) };
      return { ...rest, fallback: p.fallback.map((f) => this.part(f)), ...parsedSecond };
    }
    return p as ParsedPart;
  }

  private unexpected(): never {
    const t = this.tokens[this.pos];
    if (t?.kind === 'op' && UNSUPPORTED_OPS[t.op] !== undefined) throw unsupported(UNSUPPORTED_OPS[t.op]!);
    const shown =
      t === undefined || (t.kind === 'op' && t.op === '\n')
        ? 'newline'
        : t.kind === 'word'
          ? t.word.raw
          : t.kind === 'heredoc'
            ? '<<'
            : t.op;
    throw new ShellSyntaxError(`syntax error near unexpected token \`${shown}'`);
  }

  private isOp(op: string): boolean {
    return this.peekOp() === op;
  }

  private peekOp(): string | undefined {
    const t = this.tokens[this.pos];
    return t?.kind === 'op' ? t.op : undefined;
  }

  private peekWordRaw(): string | undefined {
    const t = this.tokens[this.pos];
    return t?.kind === 'word' ? t.word.raw : undefined;
  }
}

function isAssignment(word: Word): boolean {
  const head = word.parts[0];
  return head?.kind === 'text' && !head.quoted && ASSIGNMENT.test(head.text);
}

/** An assignment's value is never field-split, so `X=$(cmd)` keeps the output's spaces and newlines. */
function unsplit(word: Word): Word {
  // Text is never split; it keeps its quoting, which tilde expansion reads (`X=~/dir`).
  return { parts: word.parts.map((p) => (p.kind === 'text' ? p : { ...p, quoted: true })), raw: word.raw };
}

function literal(text: string): ParsedWord {
  return { parts: [{ kind: 'text', text, quoted: true }], raw: text };
}
