/**
 * A line editor for a terminal that hands over raw keystrokes (xterm.js in the page): what
 * Node's readline does for the CLI on a TTY, for the same REPL loop. It echoes and edits the
 * line, keeps the history (Up/Down), completes with TAB through a readline-style completer and
 * turns Enter, Ctrl-C, Ctrl-D and Ctrl-L into events. Pure: it only calls `write` and `onEvent`.
 *
 * Keys: printable text (a paste too, each newline an Enter), Backspace, Delete, Left/Right,
 * Home/End (and Ctrl-A/Ctrl-E), Up/Down, TAB, Ctrl-U/Ctrl-K/Ctrl-W (kill before, after, the
 * word before), Ctrl-C, Ctrl-D (end of input on an empty line), Ctrl-L (clear).
 */
export interface LineEditorOptions {
  /** Writes to the terminal (ANSI escapes, `\r\n` line ends). */
  readonly write: (text: string) => void;
  /** The terminal's width in cells, for wrapped lines and the completion list. */
  readonly columns: () => number;
  /** readline's completer shape: the candidates for the text before the cursor, and the word they complete. */
  readonly complete?: (lineBeforeCursor: string) => [string[], string];
  /** Most history entries kept (readline's historySize). */
  readonly historySize?: number;
  /**
   * A line was entered, or Ctrl-C, Ctrl-D or Ctrl-L pressed. Called at once, before the rest of
   * the input is read: the REPL runs the line and calls `read` for the next one, so a paste of
   * several lines runs them one after the other.
   */
  readonly onEvent: (event: LineEvent) => void;
}

export type LineEvent =
  | { readonly kind: 'line'; readonly text: string }
  | { readonly kind: 'interrupt' }
  | { readonly kind: 'eof' }
  | { readonly kind: 'clear' };

const KEYS: Readonly<Record<string, string>> = {
  '\r': 'enter',
  '\n': 'enter',
  '\x7f': 'backspace',
  '\b': 'backspace',
  '\t': 'tab',
  '\x03': 'interrupt',
  '\x04': 'eof',
  '\x0c': 'clear',
  '\x01': 'home',
  '\x05': 'end',
  '\x15': 'killBefore',
  '\x0b': 'killAfter',
  '\x17': 'killWord',
  '\x1b[A': 'up',
  '\x1b[B': 'down',
  '\x1b[C': 'right',
  '\x1b[D': 'left',
  '\x1bOA': 'up',
  '\x1bOB': 'down',
  '\x1bOC': 'right',
  '\x1bOD': 'left',
  '\x1b[H': 'home',
  '\x1b[F': 'end',
  '\x1bOH': 'home',
  '\x1bOF': 'end',
  '\x1b[1~': 'home',
  '\x1b[4~': 'end',
  '\x1b[3~': 'delete',
};

export class LineEditor {
  private readonly options: LineEditorOptions;
  private prompt = '';
  private chars: string[] = [];
  private cursor = 0;
  /** Cells from the prompt's start to where the terminal's cursor is now. */
  private shownAt = 0;
  /**
   * The terminal holds its cursor on the last column after text that ends exactly at the right
   * margin, until the next character wraps it: `shownAt` is then on the next row already.
   */
  private wrapPending = false;
  private reading = false;
  private readonly history: string[] = [];
  /** -1 while editing a new line; else the history entry shown (0 the newest). */
  private historyIndex = -1;
  private draft: string[] = [];

  constructor(options: LineEditorOptions) {
    this.options = options;
  }

  /** The lines entered so far, newest first (as readline's `history`). */
  entries(): readonly string[] {
    return this.history;
  }

  /** Shows `prompt` and an empty line; keystrokes edit it until Enter. */
  read(prompt: string): void {
    this.prompt = prompt;
    this.chars = [];
    this.cursor = 0;
    this.historyIndex = -1;
    this.reading = true;
    this.shownAt = 0;
    this.wrapPending = false;
    this.options.write(prompt);
    this.wrote(this.width(prompt));
  }

  /** Stops reading: keystrokes are ignored until the next `read`. */
  stop(): void {
    this.reading = false;
  }

  /** Feeds what the terminal received: one key, an escape sequence, or a paste. */
  input(data: string): void {
    let rest = data;
    while (rest !== '') {
      const token = nextToken(rest);
      rest = rest.slice(token.length);
      if (!this.reading) continue;
      const event = this.key(token);
      if (event !== undefined) this.options.onEvent(event);
    }
  }

  private key(token: string): LineEvent | undefined {
    const key = token === '\r\n' ? 'enter' : KEYS[token];
    if (key === undefined) {
      if (isPrintable(token[0]!)) this.insert([...token]);
      return undefined;
    }
    switch (key) {
      case 'enter':
        return this.enter();
      case 'interrupt':
        this.moveTo(this.chars.length);
        this.reading = false;
        return { kind: 'interrupt' };
      case 'eof':
        if (this.chars.length > 0) return this.deleteAt(this.cursor);
        this.reading = false;
        return { kind: 'eof' };
      case 'clear':
        this.options.write('\x1b[H\x1b[2J');
        this.shownAt = 0;
        this.wrapPending = false;
        this.redraw(this.cursor);
        return { kind: 'clear' };
      default:
        this.edit(key);
        return undefined;
    }
  }

  private enter(): LineEvent {
    const text = this.chars.join('');
    this.moveTo(this.chars.length);
    this.options.write('\r\n');
    this.reading = false;
    // As readline: blank lines and a repeat of the newest entry are not added.
    if (text.trim() !== '' && this.history[0] !== text) {
      this.history.unshift(text);
      this.history.length = Math.min(this.history.length, this.options.historySize ?? 1000);
    }
    return { kind: 'line', text };
  }

  private edit(key: string): void {
    switch (key) {
      case 'backspace':
        if (this.cursor > 0) this.replace(this.cursor - 1, this.cursor, [], this.cursor - 1);
        return;
      case 'delete':
        this.deleteAt(this.cursor);
        return;
      case 'left':
        return this.moveTo(Math.max(0, this.cursor - 1));
      case 'right':
        return this.moveTo(Math.min(this.chars.length, this.cursor + 1));
      case 'home':
        return this.moveTo(0);
      case 'end':
        return this.moveTo(this.chars.length);
      case 'killBefore':
        return this.replace(0, this.cursor, [], 0);
      case 'killAfter':
        return this.replace(this.cursor, this.chars.length, [], this.cursor);
      case 'killWord': {
        let start = this.cursor;
        while (start > 0 && this.chars[start - 1] === ' ') start--;
        while (start > 0 && this.chars[start - 1] !== ' ') start--;
        return this.replace(start, this.cursor, [], start);
      }
      case 'up':
      case 'down':
        return this.recall(key === 'up' ? 1 : -1);
      case 'tab':
        return this.tab();
    }
  }

  private deleteAt(at: number): undefined {
    if (at < this.chars.length) this.replace(at, at + 1, [], at);
    return undefined;
  }

  private insert(chars: string[]): void {
    const atEnd = this.cursor === this.chars.length;
    this.chars.splice(this.cursor, 0, ...chars);
    this.cursor += chars.length;
    // Typing at the end only echoes, so the terminal wraps the line itself.
    if (atEnd) {
      this.options.write(chars.join(''));
      this.wrote(this.shownAt + chars.length);
    } else this.redraw(this.cursor);
  }

  /** Replaces chars [from, to) with `chars` and puts the cursor at `cursor`. */
  private replace(from: number, to: number, chars: string[], cursor: number): void {
    this.chars.splice(from, to - from, ...chars);
    this.redraw(cursor);
  }

  /** Up (1) or Down (-1) through the history; the line being typed is kept as the draft. */
  private recall(step: 1 | -1): void {
    const next = this.historyIndex + step;
    if (next < -1 || next >= this.history.length) return;
    if (this.historyIndex === -1) this.draft = this.chars;
    this.historyIndex = next;
    this.chars = next === -1 ? this.draft : [...this.history[next]!];
    this.redraw(this.chars.length);
  }

  /** TAB: the common prefix of the candidates is inserted; several candidates are listed below first. */
  private tab(): void {
    const before = this.chars.slice(0, this.cursor).join('');
    const [hits, partial] = this.options.complete?.(before) ?? [[], ''];
    if (hits.length === 0) return;
    if (hits.length > 1) this.list(hits);
    const prefix = commonPrefix(hits);
    if (prefix.length > partial.length) this.insert([...prefix.slice(partial.length)]);
    else if (hits.length > 1) this.redraw(this.cursor);
  }

  /** The candidates in columns under the line, as readline lists them; the line is drawn again below. */
  private list(hits: readonly string[]): void {
    this.moveTo(this.chars.length);
    const width = Math.max(...hits.map((h) => h.length)) + 2;
    const perRow = Math.max(1, Math.floor(this.options.columns() / width));
    const rows: string[] = [];
    for (let i = 0; i < hits.length; i += perRow) {
      rows.push(
        hits
          .slice(i, i + perRow)
          .map((h, k, row) => (k === row.length - 1 ? h : h.padEnd(width)))
          .join(''),
      );
    }
    this.options.write(`\r\n${rows.join('\r\n')}\r\n\r\n${this.prompt}${this.chars.join('')}`);
    this.wrote(this.width(this.prompt) + this.chars.length);
  }

  /** Draws the prompt and the line again from the prompt's start, then puts the cursor at `cursor`. */
  private redraw(cursor: number): void {
    this.goTo(0);
    this.options.write(`\x1b[J${this.prompt}${this.chars.join('')}`);
    this.wrote(this.width(this.prompt) + this.chars.length);
    this.cursor = cursor;
    this.goTo(this.width(this.prompt) + cursor);
  }

  private moveTo(cursor: number): void {
    this.cursor = cursor;
    this.goTo(this.width(this.prompt) + cursor);
  }

  /** Moves the terminal's cursor to `cells` from the prompt's start, across wrapped rows. */
  private goTo(cells: number): void {
    if (cells === this.shownAt) return;
    const cols = this.options.columns();
    const end = this.width(this.prompt) + this.chars.length;
    // The end of a line that fills its last row exactly is past the margin: reach it as typing
    // did, by writing the last character again.
    if (cells === end && cells % cols === 0 && this.chars.length > 0) {
      this.goTo(cells - 1);
      this.options.write(this.chars.at(-1)!);
      return this.wrote(cells);
    }
    const row = Math.floor(this.shownAt / cols) - (this.wrapPending ? 1 : 0);
    const rowsUp = row - Math.floor(cells / cols);
    let seq = rowsUp > 0 ? `\x1b[${rowsUp}A` : rowsUp < 0 ? `\x1b[${-rowsUp}B` : '';
    seq += '\r';
    if (cells % cols > 0) seq += `\x1b[${cells % cols}C`;
    this.options.write(seq);
    this.shownAt = cells;
    this.wrapPending = false;
  }

  /** Text was written up to `cells` from the prompt's start. */
  private wrote(cells: number): void {
    this.shownAt = cells;
    this.wrapPending = cells > 0 && cells % this.options.columns() === 0;
  }

  /** Cells `text` takes: escape sequences (the prompt's colours) take none. */
  private width(text: string): number {
    let cells = 0;
    for (let i = 0; i < text.length; ) {
      const token = nextToken(text.slice(i));
      if (token[0] !== '\x1b') cells += [...token].length;
      i += token.length;
    }
    return cells;
  }
}

/** The next key of the input: an escape sequence, CR LF, a run of printable text, or one control character. */
function nextToken(rest: string): string {
  const c = rest[0]!;
  if (c === '\x1b') return escapeSequence(rest);
  if (c === '\r' && rest[1] === '\n') return '\r\n';
  if (!isPrintable(c)) return c;
  let end = 1;
  while (end < rest.length && isPrintable(rest[end]!)) end++;
  return rest.slice(0, end);
}

/** CSI (`ESC [`, parameter bytes, intermediate bytes, a final byte), SS3 (`ESC O` and one byte), or a lone ESC. */
function escapeSequence(rest: string): string {
  if (rest[1] === 'O' && rest.length > 2) return rest.slice(0, 3);
  if (rest[1] !== '[') return '\x1b';
  let end = 2;
  while (end < rest.length && inRange(rest, end, 0x30, 0x3f)) end++;
  while (end < rest.length && inRange(rest, end, 0x20, 0x2f)) end++;
  if (end < rest.length && inRange(rest, end, 0x40, 0x7e)) end++;
  return rest.slice(0, end);
}

function inRange(text: string, at: number, low: number, high: number): boolean {
  const code = text.charCodeAt(at);
  return code >= low && code <= high;
}

function isPrintable(c: string): boolean {
  const code = c.charCodeAt(0);
  return code >= 0x20 && code !== 0x7f;
}

function commonPrefix(words: readonly string[]): string {
  let prefix = words[0] ?? '';
  for (const w of words) while (!w.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}
