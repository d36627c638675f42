import { describe, expect, it } from 'vitest';
import { DNS_VISIBILITY, dnsEgress, DOC_HOSTS as HOSTS, get, lookup, mediabotPolicy, newCluster, observe, untimed } from './l7Fixtures.ts';

describe('the DNS proxy on port 53 with rules.dns', () => {
  it('forwards queries for names a rule matches and answers the others REFUSED', () => {
    const cluster = newCluster(HOSTS);
    cluster.apply(DNS_VISIBILITY);
    expect(lookup(cluster, 'cilium.io')).toBe('104.198.14.52');
    expect(lookup(cluster, 'sub.cilium.io')).toBe('203.0.113.10');
    expect(lookup(cluster, 'SUB.Cilium.IO')).toBe('203.0.113.10');
    expect(lookup(cluster, 'other.api.cilium.io')).toBe('203.0.113.13');
    // `*.cilium.io` covers one label only.
    expect(lookup(cluster, 'deep.sub.cilium.io')).toBe('REFUSED');
    expect(lookup(cluster, 'google.com')).toBe('REFUSED');
  });

  it("logs a refused query as a DROPPED dns-request and the proxy's REFUSED answer", () => {
    const cluster = newCluster(HOSTS);
    cluster.apply(DNS_VISIBILITY);
    lookup(cluster, 'google.com.');
    const dns = '\\(ID:\\d+\\) [<>-]+ kube-system/coredns-[a-z0-9]+-[a-z0-9]{5}:53 \\(ID:\\d+\\)';
    expect(untimed(observe(cluster, '--protocol', 'dns')).map((l) => l.replace(new RegExp(`^default/mediabot:\\d+ ${dns} `), ''))).toEqual([
      'dns-request proxy DROPPED (DNS Query google.com. A)',
      'dns-response proxy FORWARDED (DNS Answer RCode: Query Refused TTL: 0 (Proxy google.com. A))',
    ]);
    expect(untimed(observe(cluster, '--type', 'l7'))[1]).toMatch(/^default\/mediabot:\d+ \(ID:\d+\) <- kube-system\/coredns-/);
  });

  it('logs a forwarded query and its answer with the IPs and the TTL', () => {
    const cluster = newCluster();
    cluster.apply(mediabotPolicy('dns-all', dnsEgress('        - matchPattern: "*"\n')));
    lookup(cluster, 'api.github.com.');
    expect(untimed(observe(cluster, '--type', 'l7')).map((l) => l.replace(/^.* (dns-)/, '$1'))).toEqual([
      'dns-request proxy FORWARDED (DNS Query api.github.com. A)',
      'dns-response proxy FORWARDED (DNS Answer "140.82.121.6" TTL: 30 (Proxy api.github.com. A))',
    ]);
  });

  it('refuses the search-path forms a matchName rule does not name, and the resolver moves on', () => {
    const cluster = newCluster();
    cluster.apply(mediabotPolicy('dns-one-name', dnsEgress('        - matchName: "api.github.com"\n')));
    expect(lookup(cluster, 'api.github.com')).toBe('140.82.121.6');
    const requests = untimed(observe(cluster, '--protocol', 'dns', '--from-pod', 'default/mediabot')).map((l) =>
      l.replace(/^.* (dns-request)/, '$1'),
    );
    expect(requests).toEqual([
      'dns-request proxy DROPPED (DNS Query api.github.com.default.svc.cluster.local. A)',
      'dns-request proxy DROPPED (DNS Query api.github.com.svc.cluster.local. A)',
      'dns-request proxy DROPPED (DNS Query api.github.com.cluster.local. A)',
      'dns-request proxy FORWARDED (DNS Query api.github.com. A)',
    ]);
  });

  it('answers NXDOMAIN instead with tofqdns-dns-reject-response-code nameError', () => {
    const cluster = newCluster();
    cluster.apply(mediabotPolicy('dns-one-name', dnsEgress('        - matchName: "api.github.com"\n')));
    cluster.setConfig('tofqdns-dns-reject-response-code', 'nameError');
    expect(lookup(cluster, 'google.com.')).toBe('NXDOMAIN');
    expect(observe(cluster, '--protocol', 'dns').at(-1)).toMatch(/DNS Answer RCode: Non-Existent Domain TTL: 0 \(Proxy google.com. A\)\)$/);
  });

  it('redirects both UDP and TCP port 53 when the rule says protocol ANY', () => {
    const cluster = newCluster();
    cluster.apply(mediabotPolicy('dns-all', dnsEgress('        - matchPattern: "*"\n')));
    const bot = cluster.inspect.endpoint('default', 'mediabot')!;
    const dns = cluster.inspect.endpoints().find((ep) => ep.podName.startsWith('coredns-'))!;
    const map = cluster.inspect.policyMap(bot.identity);
    for (const proto of [6, 17]) expect(map.lookup(dns.identity, 'EGRESS', proto, 53).l7).toEqual({ dns: [{ matchPattern: '*' }] });
  });

  it('leaves DNS alone without rules.dns: allowed, resolved, never logged at L7', () => {
    const cluster = newCluster();
    cluster.apply(
      mediabotPolicy(
        'plain-dns',
        `  - toEndpoints:
    - matchLabels:
        "k8s:io.kubernetes.pod.namespace": kube-system
        "k8s:k8s-app": kube-dns
`,
      ),
    );
    expect(lookup(cluster, 'api.github.com')).toBe('140.82.121.6');
    expect(observe(cluster, '--protocol', 'dns')).toEqual([]);
    expect(get(cluster, 'http://api.github.com')).toBe('exit 28');
  });
});
