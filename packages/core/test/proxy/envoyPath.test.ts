import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizedPath } from '../../src/proxy/envoyPath.ts';

describe("Envoy's path normalization (RFC 3986, as Cilium's Envoy runs it)", () => {
  it.each([
    ['/public/%2e%2E/admin?x=/../y', '/admin?x=/../y'],
    ['/a/./b', '/a/b'],
    ['/..', '/'],
    ['/a/b/..', '/a/'],
    ['/a/b/.', '/a/b/'],
    ['/%6Fk', '/ok'],
    ['/a\\..\\b', '/b'],
    ['/a%2Fb/../c', '/c'],
    ['/a/.hidden/...', '/a/.hidden/...'],
    ['/v1/request-landing', '/v1/request-landing'],
  ])('reads %s as %s', (path, expected) => {
    expect(normalizedPath(path)).toBe(expected);
  });

  it('leaves no dot segment behind, and normalizing again changes nothing (property)', () => {
    const segment = fc.constantFrom('a', 'b', '.', '..', '%2e', '%2E%2e', '.%2e', 'c%2Fd', '%41', '');
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 8 }), fc.constantFrom('/', '\\'), (segments, sep) => {
        const once = normalizedPath(`/${segments.join(sep)}`);
        expect(once.startsWith('/')).toBe(true);
        expect(once.split('/').some((s) => s === '.' || s === '..')).toBe(false);
        expect(normalizedPath(once)).toBe(once);
      }),
    );
  });
});
