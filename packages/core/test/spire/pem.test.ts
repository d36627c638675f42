import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePem, encodePem } from '../../src/spire/pem.ts';

describe('PEM', () => {
  it("encodes base64 as Node's Buffer does, in 64-column lines", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (der) => {
        const b64 = Buffer.from(der).toString('base64');
        const lines = b64.match(/.{1,64}/g) ?? [];

        expect(encodePem('CERTIFICATE', der)).toBe(`-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`);
      }),
    );
  });

  it('decodes every block it encodes, in order, ignoring the text between them', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 4 }), (ders) => {
        const text = ders.map((der, i) => `text ${i}\n${encodePem(i % 2 ? 'PRIVATE KEY' : 'CERTIFICATE', der)}`).join('\r\n');

        expect(decodePem(text)).toEqual(ders.map((der, i) => ({ label: i % 2 ? 'PRIVATE KEY' : 'CERTIFICATE', der })));
      }),
    );
  });

  it('skips a block whose body is not base64, as Go does, and keeps the next', () => {
    const text =
      '-----BEGIN X-----\nAAE*\n-----END X-----\n-----BEGIN Y-----\nAAEC\nAw==\n-----END Y-----\n-----BEGIN Z-----\nAAE\n-----END Z-----\n';

    expect(decodePem(text)).toEqual([{ label: 'Y', der: Uint8Array.of(0, 1, 2, 3) }]);
  });
});
