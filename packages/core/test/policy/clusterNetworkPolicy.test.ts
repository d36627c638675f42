// The network-policy-api conformance cases that apply to the simulator's model, rewritten as
// simulator tests over the suite's own fixture (conformance/base/manifests.yaml: the Hogwarts
// houses as namespaces labelled conformance-house, one StatefulSet per house serving TCP 80
// (`web`) and 8080, UDP 53 (`dns`) and 5353). Each case names the upstream test it follows; the
// probes are real connections (nc), dropped or answered by the live datapath's policy maps.
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/cluster/cluster.ts';

const HOUSES = { gryffindor: 'harry-potter', slytherin: 'draco-malfoy', hufflepuff: 'cedric-diggory', ravenclaw: 'luna-lovegood' } as const;
type House = keyof typeof HOUSES;
const NS = (house: House) => `network-policy-conformance-${house}`;

function fixture(): string {
  const docs: string[] = [];
  for (const [house, pod] of Object.entries(HOUSES)) {
    docs.push(`apiVersion: v1\nkind: Namespace\nmetadata: { name: ${NS(house as House)}, labels: { conformance-house: ${house} } }`);
    for (const replica of [0, 1]) {
      docs.push(`apiVersion: v1
kind: Pod
metadata: { name: ${pod}-${replica}, namespace: ${NS(house as House)}, labels: { app: ${pod} } }
spec:
  containers:
    - name: server
      image: registry.k8s.io/e2e-test-images/agnhost:2.45
      ports:
        - { name: web, containerPort: 80, protocol: TCP }
        - { containerPort: 8080, protocol: TCP }
        - { name: dns, containerPort: 53, protocol: UDP }
        - { containerPort: 5353, protocol: UDP }`);
    }
  }
  return docs.join('\n---\n');
}

function cluster(...policies: string[]): Cluster {
  const c = Cluster.create({ seed: 5, mutualAuth: false, ciliumVersion: '1.20' });
  c.setConfig('enable-k8s-cluster-network-policy', 'true');
  c.apply(fixture());
  for (const p of policies) expect(c.apply(p).map((r) => (r.ok ? '' : r.error.message))).toEqual(['']);
  return c;
}

/** kubernetes.PokeServer: can `from` (house/replica) reach `to`'s server on the port? */
function poke(c: Cluster, from: [House, number], to: [House, number], port: number, udp = false): boolean {
  const ip = c.get('Pod', `${HOUSES[to[0]]}-${to[1]}`, NS(to[0]))!.status.podIP!;
  return c.exec(`${NS(from[0])}/${HOUSES[from[0]]}-${from[1]}`).nc({ host: ip, port, timeoutS: 1, udp }).ok;
}

const cnp = (name: string, tier: 'Admin' | 'Baseline', priority: number, subject: House, body: string) =>
  `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: { name: ${name} }
spec:
  tier: ${tier}
  priority: ${priority}
  subject: { namespaces: { matchLabels: { conformance-house: ${subject} } } }
${body}`;

const from = (house: House) => `[{ namespaces: { matchLabels: { conformance-house: ${house} } } }]`;

// conformance/base/api_integration/standard-anp-np-banp.yaml
const PASS_EXAMPLE = (action: 'Deny' | 'Pass', egressAction: 'Deny' | 'Pass' = 'Deny') =>
  cnp(
    'pass-example',
    'Admin',
    10,
    'gryffindor',
    `  ingress: [{ name: deny-all-ingress-from-slytherin, action: ${action}, from: ${from('slytherin')} }]
  egress: [{ name: deny-all-egress-to-slytherin, action: ${egressAction}, to: ${from('slytherin')} }]`,
  );
const ALLOW_SLYTHERIN_NP = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: allow-gress-from-to-slytherin-to-gryffindor, namespace: network-policy-conformance-gryffindor }
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
  ingress: [{ from: [{ namespaceSelector: { matchLabels: { conformance-house: slytherin } } }] }]
  egress: [{ to: [{ namespaceSelector: { matchLabels: { conformance-house: slytherin } } }] }]`;
const BASELINE_DEFAULT = cnp(
  'default',
  'Baseline',
  10,
  'gryffindor',
  `  ingress: [{ name: deny-all-ingress-from-slytherin, action: Deny, from: ${from('slytherin')} }]
  egress: [{ name: deny-all-egress-to-slytherin, action: Deny, to: ${from('slytherin')} }]`,
);

describe('ClusterNetworkPolicy conformance (network-policy-api conformance/tests)', () => {
  describe('CNPAdminTierIntegration: Admin, NetworkPolicy and Baseline tiers with Pass', () => {
    it('denies slytherin -> gryffindor and gryffindor -> slytherin by the Admin policy, whatever the NetworkPolicy allows', () => {
      const c = cluster(PASS_EXAMPLE('Deny'), ALLOW_SLYTHERIN_NP, BASELINE_DEFAULT);
      expect(poke(c, ['slytherin', 0], ['gryffindor', 0], 80)).toBe(false);
      expect(poke(c, ['slytherin', 1], ['gryffindor', 0], 8080)).toBe(false);
      expect(poke(c, ['gryffindor', 0], ['slytherin', 0], 80)).toBe(false);
      expect(poke(c, ['gryffindor', 1], ['slytherin', 0], 8080)).toBe(false);
    });

    it("'pass-ingress' and 'pass-egress' hand the decision to the NetworkPolicy, which allows", () => {
      const c = cluster(PASS_EXAMPLE('Pass', 'Pass'), ALLOW_SLYTHERIN_NP, BASELINE_DEFAULT);
      expect(poke(c, ['slytherin', 0], ['gryffindor', 0], 80)).toBe(true);
      expect(poke(c, ['slytherin', 1], ['gryffindor', 0], 8080)).toBe(true);
      expect(poke(c, ['gryffindor', 0], ['slytherin', 0], 80)).toBe(true);
      expect(poke(c, ['gryffindor', 1], ['slytherin', 0], 8080)).toBe(true);
    });

    it('with the NetworkPolicy deleted, a Pass reaches the Baseline policy, which denies', () => {
      const c = cluster(PASS_EXAMPLE('Pass', 'Pass'), ALLOW_SLYTHERIN_NP, BASELINE_DEFAULT);
      c.delete({ kind: 'NetworkPolicy', namespace: NS('gryffindor'), name: 'allow-gress-from-to-slytherin-to-gryffindor' });
      expect(poke(c, ['slytherin', 0], ['gryffindor', 0], 80)).toBe(false);
      expect(poke(c, ['slytherin', 1], ['gryffindor', 0], 8080)).toBe(false);
      expect(poke(c, ['gryffindor', 0], ['slytherin', 0], 80)).toBe(false);
      expect(poke(c, ['gryffindor', 1], ['slytherin', 0], 8080)).toBe(false);
      // Other houses are none of these policies' business.
      expect(poke(c, ['hufflepuff', 0], ['gryffindor', 0], 80)).toBe(true);
    });
  });

  describe('CNPAdminTierPriorityField: the lower priority number decides', () => {
    it('a Deny at priority 50 wins over a Pass at 60; moved to 40, the Pass hands over to the Baseline', () => {
      const deny = cnp('deny-at-50', 'Admin', 50, 'gryffindor', `  ingress: [{ action: Deny, from: ${from('ravenclaw')} }]`);
      const pass = (priority: number) =>
        cnp('pass', 'Admin', priority, 'gryffindor', `  ingress: [{ action: Pass, from: ${from('ravenclaw')} }]`);
      const baseline = cnp('baseline-allow', 'Baseline', 5, 'gryffindor', `  ingress: [{ action: Accept, from: ${from('ravenclaw')} }]`);
      const c = cluster(deny, pass(60), baseline);
      expect(poke(c, ['ravenclaw', 0], ['gryffindor', 1], 80)).toBe(false);
      expect(c.apply(pass(40))[0]).toMatchObject({ ok: true, verb: 'configured' });
      expect(poke(c, ['ravenclaw', 0], ['gryffindor', 1], 80)).toBe(true);
    });
  });

  describe('CNPAdminTierIngressTCP / CNPAdminTierIngressUDP: rules of one policy in list order, per port', () => {
    const policy = cnp(
      'ingress-rules',
      'Admin',
      4,
      'gryffindor',
      `  ingress:
    - { name: allow-from-hufflepuff-at-port-80, action: Accept, from: ${from('hufflepuff')}, protocols: [{ tcp: { destinationPort: { number: 80 } } }] }
    - { name: deny-from-hufflepuff-everything-else, action: Deny, from: ${from('hufflepuff')} }
    - { name: pass-from-ravenclaw-dns, action: Pass, from: ${from('ravenclaw')}, protocols: [{ udp: { destinationPort: { number: 53 } } }] }
    - { name: deny-from-ravenclaw-everything-else, action: Deny, from: ${from('ravenclaw')} }`,
    );

    it('accepts hufflepuff on TCP 80 and denies it on 8080 and UDP 5353', () => {
      const c = cluster(policy);
      expect(poke(c, ['hufflepuff', 0], ['gryffindor', 0], 80)).toBe(true);
      expect(poke(c, ['hufflepuff', 0], ['gryffindor', 0], 8080)).toBe(false);
      expect(poke(c, ['hufflepuff', 1], ['gryffindor', 1], 5353, true)).toBe(false);
    });

    it('passes ravenclaw on UDP 53 (no lower tier denies it) and denies the rest', () => {
      const c = cluster(policy);
      expect(poke(c, ['ravenclaw', 0], ['gryffindor', 0], 53, true)).toBe(true);
      expect(poke(c, ['ravenclaw', 0], ['gryffindor', 0], 5353, true)).toBe(false);
      expect(poke(c, ['ravenclaw', 0], ['gryffindor', 0], 80)).toBe(false);
    });
  });

  describe('CNPAdminTierIngressNamedPort: ports by container port name', () => {
    it('accepts slytherin on the port named web (80) and denies 8080', () => {
      const c = cluster(
        cnp(
          'named',
          'Admin',
          3,
          'gryffindor',
          `  ingress:
    - { action: Accept, from: ${from('slytherin')}, protocols: [{ destinationNamedPort: web }] }
    - { action: Deny, from: ${from('slytherin')} }`,
        ),
      );
      expect(poke(c, ['slytherin', 0], ['gryffindor', 0], 80)).toBe(true);
      expect(poke(c, ['slytherin', 0], ['gryffindor', 0], 8080)).toBe(false);
    });
  });

  describe('CNPBaselineTierIngressTCP / CNPBaselineTierEgressTCP: the Baseline tier for pods no NetworkPolicy selects', () => {
    const baseline = cnp(
      'default',
      'Baseline',
      1,
      'gryffindor',
      `  ingress:
    - { action: Accept, from: ${from('ravenclaw')}, protocols: [{ tcp: { destinationPort: { range: { start: 8000, end: 8090 } } } }] }
    - { action: Deny, from: ${from('ravenclaw')} }
  egress:
    - { action: Deny, to: ${from('hufflepuff')} }`,
    );

    it('applies its rules in order, ingress and egress', () => {
      const c = cluster(baseline);
      expect(poke(c, ['ravenclaw', 0], ['gryffindor', 0], 8080)).toBe(true);
      expect(poke(c, ['ravenclaw', 0], ['gryffindor', 0], 80)).toBe(false);
      expect(poke(c, ['gryffindor', 0], ['hufflepuff', 0], 80)).toBe(false);
      expect(poke(c, ['gryffindor', 0], ['slytherin', 0], 80)).toBe(true);
    });

    it('is overridden by a NetworkPolicy that selects the pod: the NetworkPolicy tier decides', () => {
      const np = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: allow-ravenclaw, namespace: network-policy-conformance-gryffindor }
spec:
  podSelector: {}
  ingress: [{ from: [{ namespaceSelector: { matchLabels: { conformance-house: ravenclaw } } }] }]`;
      const c = cluster(baseline, np);
      expect(poke(c, ['ravenclaw', 0], ['gryffindor', 0], 80)).toBe(true);
      // The NetworkPolicy's default deny now decides for everyone else the Baseline would have left alone.
      expect(poke(c, ['slytherin', 0], ['gryffindor', 0], 80)).toBe(false);
    });
  });
});

describe('domainNames as Cilium 1.20 translates them (pkg/policy/k8s cluster_network_policy.go)', () => {
  it('accepts egress to the names and to the DNS server that resolves them; other names are refused by the DNS proxy', () => {
    const c = Cluster.create({
      seed: 3,
      ciliumVersion: '1.20',
      mutualAuth: false,
      externalHosts: { 'api.example.org': '203.0.113.7', 'evil.example.net': '203.0.113.9' },
    });
    c.setConfig('enable-k8s-cluster-network-policy', 'true');
    const results = c.apply(`apiVersion: v1
kind: Pod
metadata: { name: client, namespace: default, labels: { app: client } }
spec: { containers: [{ name: client, image: curl }] }
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: { name: egress-names }
spec:
  tier: Admin
  priority: 1
  subject: { pods: { podSelector: { matchLabels: { app: client } } } }
  egress:
    - { name: example, action: Accept, to: [{ domainNames: ["*.example.org"] }] }
    - { name: rest, action: Deny, to: [{ networks: ["0.0.0.0/0"] }] }`);
    expect(results.every((r) => r.ok)).toBe(true);
    const curl = (url: string) => c.exec('default/client').curl({ url, connectTimeoutMs: 1000 });
    expect(curl('http://api.example.org/').kind).toBe('response');
    const evil = curl('http://evil.example.net/');
    expect(evil.kind === 'error' ? evil.code : 0).toBe(6);
    const dns = c
      .flows({ whitelist: [{ verdict: ['FORWARDED'] }] })
      .filter((f) => f.egress_allowed_by?.some((p) => p.kind === 'ClusterNetworkPolicy'));
    expect(dns.length).toBeGreaterThan(0);
  });
});
