import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NS_PER_MS, NS_PER_S } from '../../src/sim/duration.ts';
import { DNS_VISIBILITY, DOC_HOSTS, dnsEgress, get, lookup, mediabotPolicy, newCluster, observe, untimed } from './l7Fixtures.ts';
import { runtimeOf } from '../../src/cluster/cluster.ts';

// toFQDNs is tested through the whole path: the DNS proxy forwards an answer, the agent learns
// the IPs for the selectors that match the name, and egress to those IPs is allowed until the
// TTL (30 s for outside names in the sandbox) runs out. The tests live next to the proxy that
// feeds the cache; the learning itself is src/cluster/fqdnDns.ts.

const GITHUB = mediabotPolicy(
  'fqdn',
  `${dnsEgress('        - matchPattern: "*"\n')}  - toFQDNs:
    - matchName: "api.github.com"
`,
);

describe('toFQDNs egress', () => {
  it('reaches the names the selectors match, on the ports the rule names only', () => {
    const cluster = newCluster(DOC_HOSTS);
    cluster.apply(DNS_VISIBILITY);
    expect(get(cluster, 'http://sub.cilium.io')).toBe(200);
    expect(get(cluster, 'http://specialfooservice.api.cilium.io')).toBe(200);
    expect(get(cluster, 'http://service1.api.cilium.io/v1')).toBe(200);
    // Resolvable (the DNS rules allow *.api.cilium.io) but selected by no toFQDNs entry.
    expect(get(cluster, 'http://other.api.cilium.io')).toBe('exit 28');
    expect(get(cluster, 'https://sub.cilium.io')).toBe('exit 28');
  });

  it('never learns without a DNS proxy rule, so egress to the name is Policy denied', () => {
    // The docs' FQDN example: DNS allowed at L3/L4 only, toFQDNs my-remote-service.com.
    const cluster = newCluster({ 'my-remote-service.com': '198.51.100.7' });
    cluster.apply(`apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: to-fqdn }
spec:
  endpointSelector: { matchLabels: { app: test-app } }
  egress:
    - toEndpoints:
      - matchLabels:
          "k8s:io.kubernetes.pod.namespace": kube-system
          "k8s:k8s-app": kube-dns
    - toFQDNs:
        - matchName: "my-remote-service.com"
`);
    expect(get(cluster, 'http://my-remote-service.com')).toBe('exit 28');
    expect(untimed(observe(cluster, '--type', 'drop'))).toEqual([
      expect.stringMatching(/^default\/mediabot:\d+ \(ID:\d+\) <> 198\.51\.100\.7:80 \(world\) Policy denied DROPPED \(TCP Flags: SYN\)$/),
      expect.stringMatching(/^default\/mediabot:\d+ \(ID:\d+\) <> 198\.51\.100\.7:80 \(world\) Policy denied DROPPED \(TCP Flags: SYN\)$/),
    ]);
  });

  it('gives a learned IP a local identity labelled with its selector, shown in flows', () => {
    const cluster = newCluster();
    cluster.apply(GITHUB);
    expect(get(cluster, 'https://api.github.com')).toBe(200);
    const id = runtimeOf(cluster).ipcache.identityOf('140.82.121.6');
    expect(id).toBeGreaterThanOrEqual(16777217);
    expect(cluster.inspect.identity(id)?.labels.map((l) => `${l.source}:${l.key}`)).toContain('fqdn:matchName=api.github.com');
    expect(untimed(observe(cluster, '--type', 'policy-verdict', '--to-ip', '140.82.121.6'))).toEqual([
      expect.stringMatching(
        new RegExp(
          `^default/mediabot:\\d+ \\(ID:\\d+\\) -> api\\.github\\.com:443 \\(ID:${id}\\) policy-verdict:L3-Only EGRESS ALLOWED \\(TCP Flags: SYN\\)$`,
        ),
      ),
    ]);
    expect(
      runtimeOf(cluster)
        .fqdn.cache.list()
        .map((e) => `${e.name} ${e.ip}`),
    ).toContain('api.github.com 140.82.121.6');
  });

  it("denies the IP again once the answer's TTL ran out, until a new lookup renews it", () => {
    const cluster = newCluster();
    cluster.apply(GITHUB);
    const pinned = { host: 'api.github.com', port: 443, ip: '140.82.121.6' };
    expect(lookup(cluster, 'api.github.com')).toBe('140.82.121.6');
    cluster.advance('20s');
    expect(get(cluster, 'https://api.github.com', 'mediabot', pinned)).toBe(200);
    cluster.advance('11s');
    expect(get(cluster, 'https://api.github.com', 'mediabot', pinned)).toBe('exit 28');
    expect(runtimeOf(cluster).ipcache.identityOf('140.82.121.6')).toBe(2);
    expect(get(cluster, 'https://api.github.com')).toBe(200);
  });

  it('keeps an IP while any lease on it lasts: a second answer renews it', () => {
    const cluster = newCluster();
    cluster.apply(GITHUB);
    const pinned = { host: 'api.github.com', port: 443, ip: '140.82.121.6' };
    lookup(cluster, 'api.github.com');
    cluster.advance('20s');
    lookup(cluster, 'api.github.com');
    cluster.advance('15s');
    expect(get(cluster, 'https://api.github.com', 'mediabot', pinned)).toBe(200);
    cluster.advance('16s');
    expect(get(cluster, 'https://api.github.com', 'mediabot', pinned)).toBe('exit 28');
  });

  it('never selects addresses inside the cluster, even with matchPattern "*"', () => {
    const cluster = newCluster();
    cluster.apply(`apiVersion: v1
kind: Service
metadata: { name: my-service }
spec:
  selector: { app: myService }
  ports: [{ port: 80 }]
`);
    cluster.apply(
      mediabotPolicy(
        'fqdn-all',
        `${dnsEgress('        - matchPattern: "*"\n')}  - toFQDNs:
    - matchPattern: "*"
`,
      ),
    );
    const svcIp = cluster.get('Service', 'my-service', 'default')!.spec.clusterIP!;
    expect(lookup(cluster, 'my-service')).toBe(svcIp);
    expect(get(cluster, 'http://my-service')).toBe('exit 28');
    expect(
      runtimeOf(cluster)
        .fqdn.cache.list()
        .map((e) => e.ip),
    ).not.toContain(svcIp);
    expect(get(cluster, 'http://google.com')).toBe(200);
  });

  it("combines with HTTP rules on the same egress port: the proxy on the client's node decides", () => {
    const cluster = newCluster();
    cluster.apply(
      mediabotPolicy(
        'fqdn-http',
        `${dnsEgress('        - matchPattern: "*"\n')}  - toFQDNs:
    - matchName: "api.github.com"
    toPorts:
    - ports: [{ port: "80", protocol: TCP }]
      rules:
        http: [{ method: GET, path: "/repos/.*", host: "api\\\\.github\\\\.com" }]
`,
      ),
    );
    expect(get(cluster, 'http://api.github.com/repos/cilium/cilium')).toBe(200);
    expect(get(cluster, 'http://api.github.com/users/x')).toBe(403);
    expect(untimed(observe(cluster, '--type', 'l7', '--protocol', 'http', '--verdict', 'DROPPED'))).toEqual([
      expect.stringMatching(
        /^default\/mediabot:\d+ \(ID:\d+\) -> api\.github\.com:80 \(ID:\d+\) http-request DROPPED \(HTTP\/1\.1 GET http:\/\/api\.github\.com\/users\/x\)$/,
      ),
    ]);
  });

  it('never reaches an IP no allowed answer returned, or whose TTL ran out (property)', () => {
    const names = ['api.github.com', 'amit.cilium.rocks', 'google.com'] as const;
    const selected = new Set(['api.github.com', 'amit.cilium.rocks']);
    const ips = ['140.82.121.6', '104.198.14.52', '142.250.185.78'] as const;
    const ipOf: Record<string, string> = { 'api.github.com': ips[0], 'amit.cilium.rocks': ips[1], 'google.com': ips[2] };
    const step = fc.oneof(
      fc.record({ kind: fc.constant('lookup' as const), name: fc.constantFrom(...names) }),
      fc.record({ kind: fc.constant('connect' as const), ip: fc.constantFrom(...ips) }),
      fc.record({ kind: fc.constant('advance' as const), s: fc.integer({ min: 5, max: 40 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 10 }), (steps) => {
        const cluster = newCluster();
        cluster.apply(
          mediabotPolicy(
            'fqdn',
            `${dnsEgress('        - matchPattern: "*"\n')}  - toFQDNs:
    - matchName: "api.github.com"
    - matchPattern: "*.cilium.rocks"
`,
          ),
        );
        const leaseUntilNs = new Map<string, number>();
        for (const s of steps) {
          if (s.kind === 'advance') cluster.advance(s.s * NS_PER_S);
          else if (s.kind === 'lookup') {
            lookup(cluster, `${s.name}.`);
            if (selected.has(s.name)) leaseUntilNs.set(ipOf[s.name]!, cluster.now().elapsedNs + 30 * NS_PER_S);
          } else {
            const left = (leaseUntilNs.get(s.ip) ?? 0) - cluster.now().elapsedNs;
            const reached = get(cluster, 'http://x.test', 'mediabot', { host: 'x.test', port: 80, ip: s.ip }) === 200;
            if (reached) expect(left).toBeGreaterThan(0);
            if (left > 200 * NS_PER_MS) expect(reached).toBe(true);
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});
