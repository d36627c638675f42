import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileRe2, type Re2 } from '../src/re2.ts';

const re = (source: string, ignoreCase = false): Re2 => {
  const out = compileRe2(source, { ignoreCase });
  if (typeof out === 'string') throw new Error(out);
  return out;
};

describe('regexes from users, compiled with RE2', () => {
  it("reads RE2's syntax as Cilium, Envoy and Hubble do", () => {
    expect(re('(?i)/v1/ADMIN').fullMatch('/V1/admin')).toBe(true);
    expect(re('/users/(?P<id>[0-9]+)').fullMatch('/users/42')).toBe(true);
    expect(re('[[:alpha:]]+').fullMatch('abcXYZ')).toBe(true);
    expect(re('[[:alpha:]]+').fullMatch('abc1')).toBe(false);
    expect(re('end\\z').test('the end')).toBe(true);
    expect(re('end\\z').test('the end\n')).toBe(false);
    expect(re('\\p{L}+').fullMatch('héllo')).toBe(true);
    expect(re('GET', true).fullMatch('get')).toBe(true);
  });

  it('refuses what RE2 refuses, with the reason Go gives', () => {
    expect(compileRe2('/(?!admin).*')).toBe('error parsing regexp: invalid or unsupported Perl syntax: `(?!`');
    expect(compileRe2('(?<=a)b')).toBe('error parsing regexp: invalid or unsupported Perl syntax: `(?<=`');
    expect(compileRe2('(a)\\1')).toBe('error parsing regexp: invalid escape sequence: `\\1`');
    expect(compileRe2('/v1/(')).toBe('error parsing regexp: missing closing ): `/v1/(`');
    expect(compileRe2('x'.repeat(5000))).toMatch(/expression too large/);
  });

  it('matches nested quantifiers in time linear in the input', () => {
    // A backtracking engine would need 2^50000 steps for each of these.
    const text = `${'a'.repeat(50_000)}!`;
    expect(re('(a+)+$').fullMatch(text)).toBe(false);
    expect(re('(a|a)*b').test(text)).toBe(false);
    expect(re('(.*a){20}').test(text)).toBe(true);
  });

  it('agrees with JavaScript on patterns both read the same way', () => {
    const alphabet = fc.constantFrom('a', 'b', '.', '*', '+', '?', '|', '(', ')', '[ab]', '^', '$');
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 8 }),
        fc.string({ unit: fc.constantFrom('a', 'b', 'c'), maxLength: 12 }),
        (parts, text) => {
          const source = parts.join('');
          let js: RegExp;
          try {
            js = new RegExp(source);
          } catch {
            return;
          }
          const ours = compileRe2(source);
          if (typeof ours === 'string') return;
          expect(ours.test(text)).toBe(js.test(text));
        },
      ),
    );
  });
});
