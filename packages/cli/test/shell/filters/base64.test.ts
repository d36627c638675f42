// `base64` encodes and decodes without Node's Buffer so the shell runs in a page; its bytes must
// stay what Buffer (and GNU base64) give.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64 } from '../../../src/shell/filters/base64.ts';

const io = (stdin: string) => ({ stdin, env: {}, readFile: () => undefined });

describe('base64', () => {
  it('encodes any text as Buffer does, wrapped at 76 columns', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const expected = Buffer.from(s, 'utf8').toString('base64');
        const lines = expected.match(/.{1,76}/g) ?? [];
        expect(base64([], io(s)).stdout).toBe(expected === '' ? '' : `${lines.join('\n')}\n`);
      }),
    );
  });

  it('decodes what it encoded, and any byte string as Buffer reads it as UTF-8', () => {
    fc.assert(
      fc.property(fc.uint8Array(), fc.boolean(), (bytes, unpadded) => {
        const encoded = Buffer.from(bytes).toString('base64');
        const input = unpadded ? encoded.replace(/=+$/, '') : encoded;
        expect(base64(['-d'], io(`${input}\n`)).stdout).toBe(Buffer.from(bytes).toString('utf8'));
      }),
    );
  });

  it('keeps a byte-order mark and refuses what is not base64', () => {
    expect(base64(['-d'], io('77u/aGk=')).stdout).toBe('\ufeffhi');
    expect(base64(['-d'], io('a$b=')).stderr).toBe('base64: invalid input\n');
  });
});
