import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cidrContains, intToIp, ipToInt, parseIpv4 } from '../src/ipv4.ts';

describe('ipv4', () => {
  it('round-trips every address through its number', () => {
    fc.assert(fc.property(fc.ipV4(), (ip) => intToIp(ipToInt(ip)) === ip));
  });

  it('parses only dotted quads of octets', () => {
    expect(parseIpv4('10.244.1.5')).toBe(ipToInt('10.244.1.5'));
    for (const bad of ['10.244.1', '10.244.1.256', '10.a.1.1', '1.2.3.4.5', '']) expect(parseIpv4(bad)).toBeUndefined();
  });

  it('tells whether an address lies in a prefix, a bare address being a /32', () => {
    expect(cidrContains('10.244.1.0/24', '10.244.1.200')).toBe(true);
    expect(cidrContains('10.244.1.0/24', '10.244.2.1')).toBe(false);
    expect(cidrContains('10.96.0.0/12', '10.111.255.255')).toBe(true);
    expect(cidrContains('0.0.0.0/0', '192.0.2.1')).toBe(true);
    expect(cidrContains('192.0.2.1', '192.0.2.1')).toBe(true);
  });
});
