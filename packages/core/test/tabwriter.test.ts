import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tabwrite } from '../src/tabwriter.ts';

describe('tabwrite', () => {
  it('pads every cell but the last to its column width plus padding', () => {
    expect(
      tabwrite(
        [
          ['NAME', 'AGE'],
          ['rule1', '5s'],
        ],
        { padding: 3 },
      ),
    ).toBe('NAME    AGE\nrule1   5s\n');
  });

  it('applies the minimal column width', () => {
    expect(
      tabwrite(
        [
          ['ID', 'LABELS'],
          ['1', 'reserved:host'],
        ],
        { minWidth: 5, padding: 3 },
      ),
    ).toBe('ID   LABELS\n1    reserved:host\n');
  });

  it('keeps trailing padding when the last cell is empty, as a tab-terminated line does', () => {
    expect(
      tabwrite(
        [
          ['a', 'b', ''],
          ['ccc', 'd', ''],
        ],
        { padding: 1 },
      ),
    ).toBe('a   b \nccc d \n');
  });

  it('sizes a column only over consecutive rows that have it', () => {
    expect(
      tabwrite(
        [
          ['x', 'long-cell', 'y'],
          ['a', 'b'],
          ['c', 'd', 'e'],
        ],
        { padding: 1 },
      ),
    ).toBe('x long-cell y\na b\nc d e\n');
  });

  it('lets an empty row end the table', () => {
    expect(tabwrite([['aaaa', '1'], [], ['b', '2']], { padding: 1 })).toBe('aaaa 1\n\nb 2\n');
  });

  it('puts all padding before the text with alignRight, as Go does', () => {
    expect(
      tabwrite(
        [
          ['1', 'x'],
          ['100', 'y'],
        ],
        { padding: 1, alignRight: true },
      ),
    ).toBe('   1x\n 100y\n');
  });

  it('starts every column at the same offset in every row, at least padding past its widest cell', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'b', 'é', '-'), minLength: 1, maxLength: 8 });
    const table = fc
      .integer({ min: 2, max: 4 })
      .chain((n) => fc.array(fc.array(cell, { minLength: n, maxLength: n }), { minLength: 1, maxLength: 6 }));
    fc.assert(
      fc.property(table, (rows) => {
        const lines = tabwrite(rows, { padding: 2 })
          .split('\n')
          .slice(0, -1)
          .map((l) => [...l]);
        const offsets = rows.map((row, r) => {
          const starts = [0];
          for (let c = 0; c < row.length - 1; c++) {
            let at = starts[c]! + [...row[c]!].length;
            while (lines[r]![at] === ' ') at++;
            starts.push(at);
          }
          return starts;
        });
        for (let c = 1; c < rows[0]!.length; c++) {
          expect(new Set(offsets.map((o) => o[c])).size).toBe(1);
          const widest = Math.max(...rows.map((row) => [...row[c - 1]!].length));
          expect(offsets[0]![c]! - offsets[0]![c - 1]!).toBe(widest + 2);
        }
      }),
    );
  });
});
