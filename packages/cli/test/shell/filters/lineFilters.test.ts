import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BuiltinIo } from '../../../src/shell/command.ts';
import { cut } from '../../../src/shell/filters/cut.ts';
import { head } from '../../../src/shell/filters/head.ts';
import { sort } from '../../../src/shell/filters/sort.ts';
import { tail } from '../../../src/shell/filters/tail.ts';
import { uniq } from '../../../src/shell/filters/uniq.ts';
import { wc } from '../../../src/shell/filters/wc.ts';
import { awk } from '../../../src/shell/filters/awk.ts';

const io = (stdin: string): BuiltinIo => ({ stdin, env: {}, readFile: () => undefined });
const numbered = (n: number) => Array.from({ length: n }, (_, i) => `line${i + 1}\n`).join('');

describe('head and tail', () => {
  it('print 10 lines by default', () => {
    expect(head([], io(numbered(12))).stdout).toBe(numbered(10));
    expect(tail([], io(numbered(12))).stdout.split('\n')[0]).toBe('line3');
  });

  it('take -n N, -nN and the historic -N', () => {
    expect(head(['-n', '2'], io(numbered(5))).stdout).toBe('line1\nline2\n');
    expect(head(['-3'], io(numbered(5))).stdout).toBe(numbered(3));
    expect(tail(['-n1'], io(numbered(5))).stdout).toBe('line5\n');
  });

  it('take tail -n +N from line N and head -n -N all but the last N', () => {
    expect(tail(['-n', '+4'], io(numbered(5))).stdout).toBe('line4\nline5\n');
    expect(head(['-n', '-4'], io(numbered(5))).stdout).toBe('line1\n');
  });

  it('reject a bad count as coreutils does', () => {
    expect(head(['-n', 'x'], io('')).stderr).toBe("head: invalid number of lines: 'x'\n");
  });

  it('together never print more lines than the input has', () => {
    fc.assert(
      fc.property(fc.nat(30), fc.nat(30), (lines, n) => {
        const out = head(['-n', String(n)], io(numbered(lines))).stdout;
        expect(out.split('\n').length - 1).toBe(Math.min(lines, n));
      }),
    );
  });
});

describe('wc', () => {
  it('counts lines with -l and prints the bare number for stdin', () => {
    expect(wc(['-l'], io('a\nb\nc\n')).stdout).toBe('3\n');
  });

  it('prints lines, words and bytes in 7 columns without flags', () => {
    expect(wc([], io('hello world\n')).stdout).toBe('      1       2      12\n');
  });
});

describe('sort and uniq', () => {
  it('sort in byte order, numerically with -n, reversed with -r', () => {
    expect(sort([], io('b\nB\na\n')).stdout).toBe('B\na\nb\n');
    expect(sort(['-n'], io('10\n9\n100\n')).stdout).toBe('9\n10\n100\n');
    expect(sort(['-rn'], io('10\n9\n100\n')).stdout).toBe('100\n10\n9\n');
  });

  it('uniq -c counts adjacent repeats in coreutils format', () => {
    expect(uniq(['-c'], io('a\na\nb\n')).stdout).toBe('      2 a\n      1 b\n');
  });

  it('sort | uniq leaves each distinct line once', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('x', 'y', 'z')), (lines) => {
        const sorted = sort([], io(lines.map((l) => `${l}\n`).join(''))).stdout;
        expect(uniq([], io(sorted)).stdout).toBe(
          [...new Set(lines)]
            .sort()
            .map((l) => `${l}\n`)
            .join(''),
        );
      }),
    );
  });
});

describe('cut and awk', () => {
  it('cut -d X -f N picks fields, lists and open ranges', () => {
    expect(cut(['-d', '/', '-f', '2'], io('default/deathstar\n')).stdout).toBe('deathstar\n');
    expect(cut(['-d:', '-f1,3-'], io('a:b:c:d\n')).stdout).toBe('a:c:d\n');
  });

  it('cut prints a line without the delimiter whole', () => {
    expect(cut(['-d', ',', '-f', '2'], io('plain\n')).stdout).toBe('plain\n');
  });

  it("awk '{print $N}' prints whitespace-separated fields", () => {
    const table = 'NAME        READY   STATUS\ndeathstar   1/1     Running\n';
    expect(awk(['{print $1}'], io(table)).stdout).toBe('NAME\ndeathstar\n');
    expect(awk(['{print $NF, $1}'], io(table)).stdout).toBe('STATUS NAME\nRunning deathstar\n');
    expect(awk(['-F', '/', '{print $2}'], io('a/b\n')).stdout).toBe('b\n');
  });

  it('awk refuses programs beyond print with a clear message', () => {
    expect(awk(['NR>1 {sum+=$2} END {print sum}'], io('')).stderr).toMatch(/only '\{print \$N, \.\.\.\}'/);
  });
});
