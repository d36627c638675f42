// The shell counts bytes without Node's Buffer so it runs in a page; the counts must stay Node's.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8ByteLength } from '../../src/shell/utf8ByteLength.ts';

describe('utf8ByteLength', () => {
  it('counts as Buffer.byteLength does, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(utf8ByteLength(s)).toBe(Buffer.byteLength(s));
      }),
    );
    expect(utf8ByteLength('a\u00e9\u20ac\u{1f600}\ud800x\udc00')).toBe(Buffer.byteLength('a\u00e9\u20ac\u{1f600}\ud800x\udc00'));
  });
});
