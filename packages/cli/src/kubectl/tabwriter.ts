/**
 * Go's text/tabwriter, as kubectl, cilium-cli and cilium-dbg use it, so their tables align
 * exactly as the real tools align them. Input is the text the Go code writes: cells end with
 * `\t`, lines with `\n`. A column is aligned only across a block of consecutive lines that all
 * have a cell in it, so a line with fewer cells starts a new alignment below it (this is why
 * `cilium status` aligns its logo block and its pod block separately).
 *
 * Widths count code points (Go counts runes); the last cell of a line is never padded, but a
 * tab-terminated cell is, which is where the trailing spaces of `cilium endpoint list` come from.
 */
export interface TabwriterOptions {
  /** Minimal width of a column, padding included (kubectl: 6, cilium endpoint list: 5). */
  readonly minWidth: number;
  /** Spaces added to the widest cell of a column (kubectl: 3, cilium-cli: 4). */
  readonly padding: number;
}

type Line = readonly string[];

/**
 * Aligns tab-separated text. Pure.
 *
 * @example tabwrite('A\tB\nlonger\tC\n', { minWidth: 0, padding: 1 }) === 'A      B\nlonger C\n'
 */
export function tabwrite(text: string, options: TabwriterOptions): string {
  const rows = text.split('\n');
  const endsWithNewline = rows[rows.length - 1] === '';
  if (endsWithNewline) rows.pop();
  const lines: Line[] = rows.map((row) => row.split('\t'));
  const out: string[] = [];
  format(lines, 0, lines.length, [], options, out);
  return out.join('\n') + (endsWithNewline ? '\n' : '');
}

function cellCount(line: Line): number {
  return line.length - 1;
}

function width(cell: string): number {
  return [...cell].length;
}

/** Mirrors tabwriter.format: finds each column block, fixes its width, recurses into the next column. */
function format(lines: readonly Line[], from: number, to: number, widths: number[], options: TabwriterOptions, out: string[]): void {
  const column = widths.length;
  let line0 = from;
  for (let i = from; i < to; i++) {
    if (column >= cellCount(lines[i]!)) continue;
    writeLines(lines, line0, i, widths, out);
    line0 = i;
    let w = options.minWidth;
    for (; i < to && column < cellCount(lines[i]!); i++) {
      w = Math.max(w, width(lines[i]![column]!) + options.padding);
    }
    widths.push(w);
    format(lines, line0, i, widths, options, out);
    widths.pop();
    // As in Go, the loop's i++ then skips the line that ended the block: it has no cell here.
    line0 = i;
  }
  writeLines(lines, line0, to, widths, out);
}

function writeLines(lines: readonly Line[], from: number, to: number, widths: readonly number[], out: string[]): void {
  for (let i = from; i < to; i++) {
    const line = lines[i]!;
    out.push(line.map((cell, j) => (j < widths.length ? cell + ' '.repeat(Math.max(0, widths[j]! - width(cell))) : cell)).join(''));
  }
}
