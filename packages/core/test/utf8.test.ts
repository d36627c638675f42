// Bytes are counted without Node's Buffer (core and the shell run in a page too); the counts must stay Node's:
// payload lengths on the wire, the API server's size limits and `wc -c` depend on them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8Length } from '../src/utf8.ts';

describe('utf8Length', () => {
  it('counts as Buffer.byteLength does, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(utf8Length(s)).toBe(Buffer.byteLength(s));
      }),
    );
    expect(utf8Length('a\u00e9\u20ac\u{1f600}\ud800x\udc00')).toBe(Buffer.byteLength('a\u00e9\u20ac\u{1f600}\ud800x\udc00'));
  });
});
