import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FLAG_BITS, tcpFlagBits, type TcpFlags } from '../../src/datapath/packet.ts';
import { initialSequence } from '../../src/datapath/tcpSegment.ts';
import { hash32 } from '../../src/sim/rng.ts';

// The numbering remembers the hashes of the addresses and ports it met last; whatever the order
// in which few addresses and ports come back (hits, and misses that replace another's slot), the
// numbers must be those of hashing the written tuple.
describe('initial sequence numbers of connections that meet again', () => {
  it('equal hashing the written tuple and moment, however often addresses and ports repeat', () => {
    const ip = fc.constantFrom('10.244.1.5', '10.244.2.7', '10.96.0.10', '192.168.1.1', '1.2', '10.244.1.105', '');
    const port = fc.constantFrom(53, 80, 443, 40000, 40001, 65535, 0);
    const conn = fc.tuple(ip, port, ip, port, fc.maxSafeNat());
    fc.assert(
      fc.property(fc.array(conn, { maxLength: 60 }), (conns) => {
        for (const [src, sport, dst, dport, now] of conns)
          expect(initialSequence(src, sport, dst, dport, now)).toBe(hash32(`${src}:${sport}>${dst}:${dport}@${now}`));
      }),
      { numRuns: 300 },
    );
  });
});

describe('TCP flag bits', () => {
  it('are the flags an object holds, for flags objects asked in any order and number', () => {
    const names = ['FIN', 'SYN', 'RST', 'PSH', 'ACK'] as const;
    const flags = fc.subarray([...names]).map((set) => Object.fromEntries(set.map((n) => [n, true])) as TcpFlags);
    fc.assert(
      fc.property(fc.array(flags, { minLength: 1, maxLength: 12 }), fc.array(fc.nat(), { maxLength: 60 }), (objects, picks) => {
        for (const pick of picks) {
          const f = objects[pick % objects.length]!;
          const expected = names.reduce((bits, n) => bits | (f[n] === true ? FLAG_BITS[n] : 0), 0);
          expect(tcpFlagBits(f)).toBe(expected);
        }
      }),
      { numRuns: 300 },
    );
  });
});
