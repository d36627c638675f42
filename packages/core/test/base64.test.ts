import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { corruptBase64Message, decodeBase64, encodeBase64 } from '../src/base64.ts';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('base64 as Go reads it', () => {
  it('round-trips any bytes through the padded standard encoding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(decodeBase64(encodeBase64(bytes))).toEqual(bytes);
      }),
    );
  });

  it('encodes as RFC 4648 does, with padding', () => {
    expect(['', 'a', 'ad', 'adm', 'admin'].map((s) => encodeBase64(text(s)))).toEqual(['', 'YQ==', 'YWQ=', 'YWRt', 'YWRtaW4=']);
  });

  it('skips CR and LF anywhere, as wrapped base64 (`base64 -w 76`) writes them', () => {
    expect(decodeBase64('YWRt\naW4=\r\n')).toEqual(text('admin'));
    expect(decodeBase64('YW\r\nQ=\n')).toEqual(text('ad'));
    expect(decodeBase64('\n')).toEqual(text(''));
  });

  it('stops where Go stops, at the byte its CorruptInputError names', () => {
    const offsets = Object.fromEntries(
      ['admin', 'billy', '$PASSWORD_B64', 'YWRtaW4', 'YQ=', 'YQ==YQ==', '=', 'Y===', 'YWJjZA=', 'YQ=x', 'YWJj ZGVm', 'é'].map((s) => {
        const out = decodeBase64(s);
        return [s, 'offset' in out ? out.offset : 'ok'];
      }),
    );

    expect(offsets).toEqual({
      admin: 4, // 'admi' decodes; a lone 'n' is a quantum without its padding
      billy: 4,
      $PASSWORD_B64: 0,
      YWRtaW4: 4, // padding is required
      'YQ=': 3, // one '=' of the two
      'YQ==YQ==': 4, // nothing may follow the padding
      '=': 0,
      'Y===': 1,
      'YWJjZA=': 7,
      'YQ=x': 2, // Go names the byte before the one that should have been '='
      'YWJj ZGVm': 4,
      é: 0,
    });
    expect(corruptBase64Message({ offset: 4 })).toBe('illegal base64 data at input byte 4');
  });

  it("ignores the unused low bits of the last quantum, as Go's lenient decoder does", () => {
    expect(decodeBase64('YR==')).toEqual(text('a'));
  });
});
