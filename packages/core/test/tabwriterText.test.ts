import { describe, expect, it } from 'vitest';
import { tabwriteText as tabwrite } from '../src/tabwriter.ts';

describe('tabwrite (Go text/tabwriter)', () => {
  it('pads each tab-terminated cell to the widest cell of its column plus padding', () => {
    expect(tabwrite('NAME\tAGE\nxwing\t5s\n', { minWidth: 6, padding: 3 })).toBe('NAME    AGE\nxwing   5s\n');
  });

  it('applies the minimal width to narrow columns', () => {
    expect(tabwrite('A\tB\n', { minWidth: 6, padding: 3 })).toBe('A     B\n');
  });

  it('aligns a column only across consecutive lines that have it', () => {
    const text = 'a\tb\tc\nlonger\tb\n\nx\ty\tz\n';
    expect(tabwrite(text, { minWidth: 0, padding: 1 })).toBe('a      b c\nlonger b\n\nx y z\n');
  });

  it('pads a tab-terminated last cell, leaving trailing spaces as Go does', () => {
    expect(tabwrite('1\tready\t\n22\tx\t\n', { minWidth: 0, padding: 2 })).toBe('1   ready  \n22  x      \n');
  });
});
