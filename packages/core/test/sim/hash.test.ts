import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { initialSequence } from '../../src/datapath/tcpSegment.ts';
import { HASH_START, hash32, hashChar, hashFinish, hashNumber, hashText } from '../../src/sim/rng.ts';

describe('hash32 fed piece by piece', () => {
  it('equals hash32 of the text the pieces would write, for any text and number', () => {
    const edges = fc.constantFrom(0, 9, 10, 99_999_999, 100_000_000, 100_000_001, 1e15, 2 ** 53 - 1, 2 ** 60, -0);
    const number = fc.oneof(fc.nat(), fc.maxSafeNat(), fc.double(), fc.integer({ min: -1e6, max: 0 }), edges);
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 0, max: 0xffff }), number, (text, code, n) => {
        const fed = hashFinish(hashNumber(hashChar(hashText(HASH_START, text), code), n));
        expect(fed).toBe(hash32(`${text}${String.fromCharCode(code)}${n}`));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives a connection the same initial sequence number as hashing its written tuple and moment (pcaps pin them)', () => {
    const ip = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.'));
    fc.assert(
      fc.property(ip, fc.nat(65535), ip, fc.nat(65535), fc.maxSafeNat(), (src, sport, dst, dport, now) => {
        expect(initialSequence(src, sport, dst, dport, now)).toBe(hash32(`${src}:${sport}>${dst}:${dport}@${now}`));
      }),
      { numRuns: 2000 },
    );
  });
});
