// $((...)) as bash evaluates it: 64-bit integers that wrap, C's operators by bash's precedence,
// variables whose values are themselves expressions, assignments, and bash's words for errors,
// which end the line (not the script) with status 1. A property pins the evaluator against
// BigInt arithmetic on random sums and products.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateArithmetic } from '../../src/shell/arithmetic.ts';
import { runScript } from '../../src/shell/script.ts';
import { newSession } from './fakeTools.ts';

function value(expression: string, env: Record<string, string> = {}): bigint {
  return evaluateArithmetic(expression, { get: (n) => env[n], set: (n, v) => void (env[n] = v) });
}

describe('$((...))', () => {
  it('evaluates as bash does', () => {
    const s = newSession();
    expect(s.run('echo $((1+2)) $(( 2 * (3 + 4) )) $((7/2)) $((-7/2)) $((7%3)) $((2**10)) $((2**64)) $((1<<3))').stdout).toBe(
      '3 14 3 -3 1 1024 0 8\n',
    );
    expect(s.run('X=5; echo $((X*2)) $(($X+1)) "$((X>3 ? 10 : 20))" $((UNSET+1))').stdout).toBe('10 6 10 1\n');
    expect(s.run('echo $((0x10)) $((010)) $((2#101)) $((16#ff)) $((9223372036854775807 + 1))').stdout).toBe(
      '16 8 5 255 -9223372036854775808\n',
    );
    expect(s.run('E="1+2"; echo $((E*2)) $(( $(echo 3) + 1 )) "in quotes $((1+1))" \'$((1+1))\'').stdout).toBe(
      '6 4 in quotes 2 $((1+1))\n',
    );
    expect(s.run('echo $((A=4)) $A; echo $((A+=2)) $A; echo $((A++)) $A $((++A)) $((A--)) $A').stdout).toBe('4 4\n6 6\n6 7 8 8 7\n');
    expect(s.run('echo $((!0)) $((~0)) $((3==3)) $((1&&0)) $((1||0)) $((5 > 3 && 2 < 1))').stdout).toBe('1 -1 1 0 1 0\n');
  });

  it('words errors as bash does and ends the line with status 1, while a script goes on', () => {
    const s = newSession();
    for (const [expr, message] of [
      ['1/0', '1/0: division by 0 (error token is "0")'],
      ['1 +', '1 +: syntax error: operand expected (error token is "+")'],
      ['1 @ 2', '1 @ 2: syntax error: invalid arithmetic operator (error token is "@ 2")'],
      ['08', '08: value too great for base (error token is "08")'],
    ]) {
      expect(s.run(`echo $((${expr})); echo not reached`)).toMatchObject({ stderr: `cilium-sim: ${message}\n`, stdout: '', exitCode: 1 });
    }
    const script = runScript('echo $((1/0))\necho "status $?"\nZ=$(echo $((1/0))); echo "still [$Z]"\n', newSession());
    expect(script.transcript).toBe(
      '$ echo $((1/0))\ncilium-sim: 1/0: division by 0 (error token is "0")\n$ echo "status $?"\nstatus 1\n' +
        '$ Z=$(echo $((1/0))); echo "still [$Z]"\ncilium-sim: 1/0: division by 0 (error token is "0")\nstill []\n',
    );
  });

  it('evaluates ${X:offset:length} as arithmetic, as bash does', () => {
    const s = newSession();
    expect(
      s.run('X=abcdef; N=1; echo "[${X:999999999999999999999}]" "[${X:1+1}]" "[${X: -2}]" "[${X:(-2):1}]" "[${X:N*2:N+1}]"').stdout,
    ).toBe('[] [cdef] [ef] [e] [cd]\n');
    expect(s.run('echo ${X:1/0}; echo not reached')).toMatchObject({
      stderr: 'cilium-sim: 1/0: division by 0 (error token is "0")\n',
      exitCode: 1,
    });
  });

  it('wraps sums, differences and products at 64 bits as bash does', () => {
    const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    fc.assert(
      fc.property(int64, int64, fc.constantFrom('+', '-', '*'), (a, b, op) => {
        const expected = BigInt.asIntN(64, op === '+' ? a + b : op === '-' ? a - b : a * b);
        expect(value(`A ${op} B`, { A: String(a), B: String(b) })).toBe(expected);
      }),
    );
  });

  it('stops at nested variables that refer to each other, and a huge exponent takes no time', () => {
    expect(() => value('A', { A: 'B', B: 'A' })).toThrow(/expression recursion level exceeded/);
    for (const deep of ['('.repeat(100_000), '- '.repeat(100_000), '!'.repeat(100_000), '2**'.repeat(100_000), 'A='.repeat(100_000)])
      expect(() => value(`${deep}1`)).toThrow(/expression recursion level exceeded/);
    expect(newSession().run(`echo $((${'('.repeat(50_000)}1${')'.repeat(50_000)}))`)).toMatchObject({ exitCode: 1 });
    expect(value('2 ** 99999999999999')).toBe(0n);
    expect(value('(-1) ** 99999999999999')).toBe(-1n);
  });
});
