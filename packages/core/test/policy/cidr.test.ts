import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cidrContains, parseCidr } from '../../src/policy/cidr.ts';

describe('CIDR prefixes', () => {
  it('canonicalises host bits, bare addresses and IPv6 text', () => {
    expect(parseCidr('10.96.0.1/12')?.text).toBe('10.96.0.0/12');
    expect(parseCidr('20.1.1.1')?.text).toBe('20.1.1.1/32');
    expect(parseCidr('2001:DB8:0:0:0:0:0:1/32')?.text).toBe('2001:db8::/32');
    expect(parseCidr('::/0')?.text).toBe('::/0');
  });

  it('rejects malformed prefixes', () => {
    for (const t of ['10.0.0.0/33', '256.0.0.0/8', '10.0.0/8', '1::2::3/64', 'abc', '10.0.0.0/']) expect(parseCidr(t)).toBeUndefined();
  });

  it('contains exactly the addresses sharing its prefix bits', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 0, max: 32 }), fc.ipV4(), (net, len, addr) => {
        const outer = parseCidr(`${net}/${len}`)!;
        const inner = parseCidr(addr)!;
        const toInt = (ip: string) => ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
        const same = len === 0 || Math.floor(toInt(net) / 2 ** (32 - len)) === Math.floor(toInt(addr) / 2 ** (32 - len));
        expect(cidrContains(outer, inner)).toBe(same);
      }),
    );
  });
});
