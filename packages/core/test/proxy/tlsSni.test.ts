import { describe, expect, it } from 'vitest';
import { restrictsSni, sniAllowed } from '../../src/proxy/tlsSni.ts';
import { dnsEgress, get, mediabotPolicy, newCluster, observe, untimed } from './l7Fixtures.ts';

describe('TLS SNI matching for serverNames', () => {
  it('uses matchPattern semantics, case-insensitively', () => {
    expect(sniAllowed(['one.one.one.one'], 'one.one.one.one')).toBe(true);
    expect(sniAllowed(['one.one.one.one'], 'ONE.one.one.one')).toBe(true);
    expect(sniAllowed(['*.cilium.io'], 'docs.cilium.io')).toBe(true);
    expect(sniAllowed(['*.cilium.io'], 'cilium.io')).toBe(false);
    expect(sniAllowed(['**.cilium.io'], 'a.b.cilium.io')).toBe(true);
    expect(sniAllowed(['one.one.one.one'], 'google.com')).toBe(false);
  });

  it('admits no connection without a server name, unless the list is the merged allow-all', () => {
    expect(sniAllowed(['one.one.one.one'], undefined)).toBe(false);
    expect(restrictsSni(['*'])).toBe(false);
    expect(sniAllowed(['*'], undefined)).toBe(true);
  });
});

// Cilium's documented L4 SNI example: egress on 443 only to one.one.one.one.
const L4_SNI = mediabotPolicy(
  'l4-sni-rule',
  `  - toPorts:
    - ports:
      - port: "443"
        protocol: TCP
      serverNames:
      - one.one.one.one
`,
);

describe('serverNames on a port', () => {
  it('lets a ClientHello with a listed SNI through and resets the others (curl exit 35), with a drop flow', () => {
    const cluster = newCluster();
    cluster.apply(L4_SNI);
    const at = (host: string): { host: string; port: number; ip: string } => ({ host, port: 443, ip: '1.1.1.1' });
    expect(get(cluster, 'https://one.one.one.one', 'mediabot', at('one.one.one.one'))).toBe(200);
    expect(get(cluster, 'https://cloudflare-dns.com', 'mediabot', at('cloudflare-dns.com'))).toBe('exit 35');
    expect(untimed(observe(cluster, '--type', 'drop'))).toEqual([
      expect.stringMatching(/^default\/mediabot:\d+ \(ID:\d+\) <> 1\.1\.1\.1:443 \(world\) Policy denied DROPPED \(TCP Flags: ACK, PSH\)$/),
    ]);
  });

  it('drops plain HTTP on the port: there is no server name to admit', () => {
    const cluster = newCluster();
    cluster.apply(L4_SNI);
    expect(get(cluster, 'http://one.one.one.one:443', 'mediabot', { host: 'one.one.one.one', port: 443, ip: '1.1.1.1' })).toBe('exit 56');
  });

  it('combines with toFQDNs as in the mediabot lab: amit.cilium.rocks passes, google.com is dropped', () => {
    const cluster = newCluster();
    cluster.apply(
      mediabotPolicy(
        'sni-fqdn',
        `${dnsEgress('        - matchPattern: "*"\n')}  - toFQDNs:
    - matchName: amit.cilium.rocks
    toPorts:
    - ports:
      - port: "443"
        protocol: TCP
      serverNames:
      - amit.cilium.rocks
`,
      ),
    );
    expect(get(cluster, 'https://amit.cilium.rocks')).toBe(200);
    expect(get(cluster, 'https://google.com')).toBe('exit 28');
    expect(untimed(observe(cluster, '--type', 'drop', '--to-ip', '142.250.185.78'))[0]).toMatch(
      /<> google\.com:443 \(world\) Policy denied DROPPED \(TCP Flags: SYN\)$/,
    );
    // The learned IP with another SNI: the L3 rule admits it, the SNI check does not.
    expect(get(cluster, 'https://www.cilium.io', 'mediabot', { host: 'www.cilium.io', port: 443, ip: '104.198.14.52' })).toBe('exit 35');
  });
});
