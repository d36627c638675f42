import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/sim/rng.ts';

/** RFC 4122 version 4 from 16 drawn bytes, written the plain way. */
function uuidOf(b: Uint8Array): string {
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

describe('Rng.uuid', () => {
  it('is the version-4 UUID of the 16 bytes the stream would draw, and draws exactly those (uids stay the same per seed)', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(20), (seed, skip) => {
        const a = Rng.seeded(seed);
        const b = Rng.seeded(seed);
        for (let i = 0; i < skip; i++) {
          a.nextU32();
          b.nextU32();
        }
        const id = a.uuid();
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(id).toBe(uuidOf(b.bytes(16)));
        expect(a.nextU32()).toBe(b.nextU32());
      }),
      { numRuns: 500 },
    );
  });
});
