/**
 * Go's text/tabwriter, as the real CLIs align their tables (kubectl: padding 3; cilium-dbg
 * endpoint list: minwidth 5, padding 3; cilium config view: padding 4; hubble -o table:
 * minwidth 2, padding 3).
 */
export interface TabwriterOptions {
  /** Minimal width of a column, padding included. Default 0. */
  readonly minWidth?: number;
  /** Added to the widest cell of a column. Default 1. */
  readonly padding?: number;
  /** Default a space. */
  readonly padChar?: string;
  /** Right-align cells (Go's AlignRight flag). */
  readonly alignRight?: boolean;
}

/** Width as Go's tabwriter counts it: one per code point. */
function cellWidth(text: string): number {
  return [...text].length;
}

/**
 * Column widths per row. Go sizes a column over a block of consecutive lines that all have a
 * tab-terminated cell in that column; a shorter line (or an empty one) ends the block.
 */
function columnWidths(rows: readonly (readonly string[])[], minWidth: number, padding: number): number[][] {
  const widths = rows.map((r) => new Array<number>(Math.max(r.length - 1, 0)).fill(0));
  const columns = Math.max(0, ...rows.map((r) => r.length - 1));
  for (let col = 0; col < columns; col++) {
    let start = 0;
    while (start < rows.length) {
      if (rows[start]!.length - 1 <= col) {
        start++;
        continue;
      }
      let end = start;
      let width = minWidth;
      while (end < rows.length && rows[end]!.length - 1 > col) {
        width = Math.max(width, cellWidth(rows[end]![col]!) + padding);
        end++;
      }
      for (let i = start; i < end; i++) widths[i]![col] = width;
      start = end;
    }
  }
  return widths;
}

/**
 * Aligns rows of cells into columns, as writing `cell\tcell\tlast\n` through a Go tabwriter
 * does. Every cell but a row's last is padded to its column's width; the last cell is written
 * as is (Go leaves text that is not tab-terminated alone). Each row ends with a newline.
 *
 * @example tabwrite([['NAME', 'AGE'], ['rule1', '5s']], { padding: 3 }) === 'NAME    AGE\nrule1   5s\n'
 */
export function tabwrite(rows: readonly (readonly string[])[], options: TabwriterOptions = {}): string {
  const padChar = options.padChar ?? ' ';
  const widths = columnWidths(rows, options.minWidth ?? 0, options.padding ?? 1);
  return rows
    .map((row, r) => {
      const cells = row.map((cell, c) => {
        if (c === row.length - 1) return cell;
        const fill = padChar.repeat(Math.max(widths[r]![c]! - cellWidth(cell), 0));
        return options.alignRight === true ? fill + cell : cell + fill;
      });
      return `${cells.join('')}\n`;
    })
    .join('');
}

/**
 * The same, for text written as Go code writes it to a tabwriter: cells end with `\t`, lines
 * with `\n`.
 *
 * @example tabwriteText('A\tB\nlonger\tC\n', { padding: 1 }) === 'A      B\nlonger C\n'
 */
export function tabwriteText(text: string, options: TabwriterOptions = {}): string {
  const rows = text.split('\n');
  const endsWithNewline = rows[rows.length - 1] === '';
  if (endsWithNewline) rows.pop();
  const out = tabwrite(
    rows.map((r) => (r === '' ? [] : r.split('\t'))),
    options,
  );
  return endsWithNewline ? out : out.replace(/\n$/, '');
}
