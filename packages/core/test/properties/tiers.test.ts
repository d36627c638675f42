// Invariants of the policy tiers (ClusterNetworkPolicy Admin and Baseline around CNP, CCNP and
// NetworkPolicy), over random policies of every kind applied to a real cluster with
// enable-k8s-cluster-network-policy on: the policy map the cluster builds (incrementally, after
// every change) answers every packet as the tier-by-tier reference evaluator does; an Admin Deny
// wins over anything the NetworkPolicy tier allows; a Pass never decides by itself (an Admin Pass
// of everything leaves the verdicts of the tiers below it); and with the switch off, or with no
// ClusterNetworkPolicy, every verdict is what it was without them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/index.ts';
import { runtimeOf } from '../../src/cluster/cluster.ts';
import type { PolicyDecision } from '../../src/policy/policyDecision.ts';
import { referenceTierVerdict } from '../policy/referenceTiers.ts';
import { manifest } from './arbitraries.ts';
import { anyPolicies, kindPods, kindPodYaml, namespaceYaml, policyYaml, type KindPod, type PolicyDoc } from './policyKinds.ts';
import { tierPolicies, tierPolicy } from './tierPolicies.ts';

const PACKETS: readonly [number, number][] = [
  [6, 80],
  [6, 443],
  [6, 8080],
  [6, 8050],
  [17, 53],
  [132, 8080],
  [1, 8],
];
const DIRECTIONS = ['INGRESS', 'EGRESS'] as const;

function build(ps: readonly KindPod[], pols: readonly PolicyDoc[], tiers = true): Cluster {
  const cluster = Cluster.create({ seed: 3, mutualAuth: false, ciliumVersion: '1.20' });
  if (tiers) cluster.setConfig('enable-k8s-cluster-network-policy', 'true');
  const results = cluster.apply(manifest([namespaceYaml(), ...ps.map(kindPodYaml), ...pols.map(policyYaml)]));
  expect(results.filter((r) => !r.ok).map((r) => r.error.message)).toEqual([]);
  return cluster;
}

function comparable(d: PolicyDecision): unknown {
  return { ...d, policies: d.policies.map((p) => `${p.kind}/${p.namespace ?? ''}/${p.name}@${p.revision ?? 0}`) };
}

/** Every (subject, remote identity, direction, packet) the cluster's maps answer, with the answer. */
function* verdicts(cluster: Cluster, packets = PACKETS): Generator<[string, PolicyDecision, { subject: number; remote: number }]> {
  const rt = runtimeOf(cluster);
  for (const s of [...new Set(cluster.inspect.endpoints().map((e) => e.identity))].sort((a, b) => a - b)) {
    const map = cluster.inspect.policyMap(s);
    for (const remote of rt.policy.cache.identities()) {
      for (const direction of DIRECTIONS) {
        for (const [proto, port] of packets)
          yield [
            `${s} ${direction} ${remote.id} ${proto}/${port}`,
            map.lookup(remote.id, direction, proto, port),
            { subject: s, remote: remote.id },
          ];
      }
    }
  }
}

function expectMapsMatchReference(cluster: Cluster, step = ''): void {
  const rt = runtimeOf(cluster);
  const policies = rt.policy.repository.rules();
  const ctx = { clusterName: cluster.options.clusterName };
  const tiers = rt.config.get('enable-k8s-cluster-network-policy');
  for (const [what, fast] of verdicts(cluster)) {
    const [s, direction, r, packet] = what.split(' ') as [string, 'INGRESS' | 'EGRESS', string, string];
    const [proto, port] = packet.split('/').map(Number) as [number, number];
    const subject = rt.policy.cache.identity(Number(s))!;
    const remote = rt.policy.cache.identity(Number(r))!;
    const namedPorts = rt.namedPorts.forSubject(subject.id);
    const slow = referenceTierVerdict({ policies, subject, remote, direction, proto, port, namedPorts, ctx, tiers });
    expect(comparable(fast), `${step} ${what}`).toEqual(comparable(slow));
  }
}

/** Workload identities only: the tiers select pods, never reserved identities such as host or world. */
function isWorkload(cluster: Cluster, id: number): boolean {
  return cluster.inspect.endpoints().some((e) => e.identity === id);
}

const denyEverything: PolicyDoc = {
  apiVersion: 'policy.networking.k8s.io/v1alpha2',
  kind: 'ClusterNetworkPolicy',
  metadata: { name: 'admin-deny' },
  spec: {
    tier: 'Admin',
    priority: 0,
    subject: { namespaces: {} },
    ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }],
    egress: [{ action: 'Deny', to: [{ namespaces: {} }] }],
  },
};

const passEverything: PolicyDoc = {
  ...denyEverything,
  metadata: { name: 'admin-pass' },
  spec: {
    ...(denyEverything['spec'] as object),
    ingress: [{ action: 'Pass', from: [{ namespaces: {} }] }],
    egress: [{ action: 'Pass', to: [{ namespaces: {} }, { networks: ['0.0.0.0/0'] }] }],
  },
};

describe('policy tiers in the policy maps', () => {
  it('agree with the tier-by-tier reference evaluator for every subject, known identity, direction and packet', () => {
    fc.assert(
      fc.property(kindPods(1, 4), anyPolicies(0, 3), tierPolicies(1, 3), (ps, pols, tiers) => {
        expectMapsMatchReference(build(ps, [...pols, ...tiers]));
      }),
      { numRuns: 30 },
    );
  });

  it('keep agreeing after every change: tier policies applied, replaced and deleted, pods relabelled, the switch turned off and on', () => {
    type Change =
      | { op: 'apply'; doc: PolicyDoc }
      | { op: 'delete'; name: string }
      | { op: 'label'; pod: number; app: string }
      | { op: 'switch' };
    const change: fc.Arbitrary<Change> = fc.oneof(
      fc
        .tuple(fc.constantFrom('tier0', 'tier1'), tierPolicy)
        .map(([name, d]): Change => ({ op: 'apply', doc: { ...d, metadata: { name } } })),
      fc.constantFrom('tier0', 'tier1').map((name): Change => ({ op: 'delete', name })),
      fc.tuple(fc.nat(), fc.constantFrom('web', 'api', 'db')).map(([pod, app]): Change => ({ op: 'label', pod, app })),
      fc.constant<Change>({ op: 'switch' }),
    );
    fc.assert(
      fc.property(kindPods(2, 4), anyPolicies(0, 2), fc.array(change, { minLength: 1, maxLength: 6 }), (ps, pols, changes) => {
        const cluster = build(ps, pols);
        let on = true;
        for (const c of changes) {
          if (c.op === 'apply') expect(cluster.apply(policyYaml(c.doc)).every((r) => r.ok)).toBe(true);
          else if (c.op === 'delete') cluster.delete({ kind: 'ClusterNetworkPolicy', name: c.name });
          else if (c.op === 'switch') cluster.setConfig('enable-k8s-cluster-network-policy', String((on = !on)));
          else {
            const p = ps[c.pod % ps.length]!;
            cluster.label({ kind: 'Pod', namespace: p.namespace, name: p.name }, { app: c.app }, true);
          }
          expectMapsMatchReference(cluster, JSON.stringify(c).slice(0, 60));
        }
      }),
      { numRuns: 20 },
    );
  });

  it('an Admin Deny wins over whatever the NetworkPolicy and Baseline tiers allow', () => {
    fc.assert(
      fc.property(kindPods(1, 4), anyPolicies(0, 3), tierPolicies(0, 2), (ps, pols, tiers) => {
        const cluster = build(ps, [...pols, ...tiers, denyEverything]);
        for (const [what, d, { remote }] of verdicts(cluster)) {
          if (!isWorkload(cluster, remote)) continue;
          expect(d, what).toMatchObject({ allowed: false, denied: true, tier: { tier: 'Admin', action: 'Deny' } });
        }
      }),
      { numRuns: 15 },
    );
  });

  it('a Pass never decides: an Admin Pass of everything first leaves the verdicts of the tiers below it', () => {
    fc.assert(
      fc.property(kindPods(1, 4), anyPolicies(0, 3), tierPolicies(0, 3), (ps, pols, tiers) => {
        const below = tiers.filter((t) => (t['spec'] as { tier: string }).tier === 'Baseline');
        // Between pods (what the Pass covers), by packet, without the revisions the extra policies shift.
        const between = (cluster: Cluster) =>
          new Map(
            [...verdicts(cluster)]
              .filter(([, , { remote }]) => isWorkload(cluster, remote))
              .map(([what, d]) => [
                what,
                { ...d, policies: d.policies.map((p) => `${p.kind}/${p.namespace ?? ''}/${p.name}`), tier: undefined },
              ]),
          );
        expect(between(build(ps, [...pols, ...tiers, passEverything]))).toEqual(between(build(ps, [...pols, ...below])));
      }),
      { numRuns: 10 },
    );
  });

  it('with the switch off, ClusterNetworkPolicies change no verdict', () => {
    fc.assert(
      fc.property(kindPods(1, 4), anyPolicies(0, 3), tierPolicies(1, 3), (ps, pols, tiers) => {
        const none = new Map([...verdicts(build(ps, pols, false))].map(([w, d]) => [w, comparable(d)]));
        // The agent still allocates an identity for each CIDR the held policies name; it gets no verdict of its own.
        const off = [...verdicts(build(ps, [...pols, ...tiers], false))]
          .filter(([w]) => none.has(w))
          .map(([w, d]) => [w, comparable(d)] as const);
        expect(new Map(off)).toEqual(none);
      }),
      { numRuns: 10 },
    );
  });
});
