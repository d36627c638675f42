// Invariant: for policies of every kind (CNP in two namespaces, CCNP, Kubernetes NetworkPolicy;
// endpoint, entity, CIDR and CIDR-set peers over pinned pod IPs and world IPs; port ranges, named
// ports, TCP/UDP/ANY; deny sections, authentication, HTTP rules, enableDefaultDeny), the policy
// map the cluster builds incrementally answers every packet exactly as the rule-by-rule
// reference evaluator does over the repository: verdict, deny, match type, auth type, the L7
// rules the proxy enforces and the policies the verdict cites. Every subject identity is
// checked against every identity the agent knows (reserved, CIDR, workloads of both namespaces),
// after one apply and after every step of a random sequence of incremental changes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/index.ts';
import type { PolicyDecision } from '../../src/policy/policyDecision.ts';
import { referenceVerdict } from '../policy/referenceVerdict.ts';
import { anyPolicies, anyPolicy, kindPods, kindPodYaml, namespaceYaml, policyYaml, type KindPod, type PolicyDoc } from './policyKinds.ts';
import { manifest } from './arbitraries.ts';
import { runtimeOf } from '../../src/cluster/cluster.ts';

const PACKETS: readonly [number, number][] = [
  [6, 80],
  [6, 443],
  [6, 8080],
  [6, 8050],
  [6, 9000],
  [17, 53],
  [17, 443],
  [132, 8080],
  [1, 8],
  [1, 0],
  [1, 3],
];
const DIRECTIONS = ['INGRESS', 'EGRESS'] as const;

function build(ps: readonly KindPod[], pols: readonly PolicyDoc[]): Cluster {
  const cluster = Cluster.create({ seed: 3, mutualAuth: false });
  const results = cluster.apply(manifest([namespaceYaml(), ...ps.map(kindPodYaml), ...pols.map(policyYaml)]));
  expect(results.filter((r) => !r.ok).map((r) => r.error.message)).toEqual([]);
  return cluster;
}

/** A decision without policy revisions: what both paths must agree on. */
function comparable(d: PolicyDecision): unknown {
  return { ...d, policies: d.policies.map((p) => `${p.kind}/${p.namespace ?? ''}/${p.name}@${p.revision ?? 0}`) };
}

/** Every endpoint identity's map against the reference, for every identity the agent knows. */
function expectMapsMatchReference(cluster: Cluster, packets: readonly (readonly [number, number])[], step = ''): void {
  const rules = runtimeOf(cluster).policy.repository.rules();
  const ctx = { clusterName: cluster.options.clusterName };
  const identities = runtimeOf(cluster).policy.cache.identities();
  const subjects = [...new Set(cluster.inspect.endpoints().map((e) => e.identity))];
  for (const s of subjects) {
    const subject = runtimeOf(cluster).policy.cache.identity(s)!;
    const namedPorts = runtimeOf(cluster).namedPorts.forSubject(s);
    const map = cluster.inspect.policyMap(s);
    for (const remote of identities) {
      for (const direction of DIRECTIONS) {
        for (const [proto, port] of packets) {
          const fast = map.lookup(remote.id, direction, proto, port);
          const slow = referenceVerdict({ policies: rules, subject, remote, direction, proto, port, namedPorts, ctx });
          expect(comparable(fast), `${step} ${s} ${direction} ${remote.id} ${proto}/${port}`).toEqual(comparable(slow));
        }
      }
    }
  }
}

/** One change to the cluster; the maps are updated incrementally after each. */
type Change =
  | { readonly op: 'apply'; readonly doc: PolicyDoc }
  | { readonly op: 'delete'; readonly name: string }
  | { readonly op: 'grow'; readonly name: string }
  | { readonly op: 'pod'; readonly pod: number }
  | { readonly op: 'unpod'; readonly pod: number }
  | { readonly op: 'label'; readonly pod: number; readonly app: string }
  | { readonly op: 'advance' };

const NAMES = ['pol0', 'pol1'] as const;
const changeArb: fc.Arbitrary<Change> = fc.oneof(
  {
    arbitrary: fc
      .tuple(fc.constantFrom(...NAMES), anyPolicy)
      .map(([name, d]): Change => ({ op: 'apply', doc: { ...d, metadata: { ...d.metadata, name } } })),
    weight: 5,
  },
  { arbitrary: fc.constantFrom(...NAMES).map((name): Change => ({ op: 'delete', name })), weight: 2 },
  { arbitrary: fc.constantFrom(...NAMES).map((name): Change => ({ op: 'grow', name })), weight: 3 },
  { arbitrary: fc.nat().map((pod): Change => ({ op: 'pod', pod })), weight: 2 },
  { arbitrary: fc.nat().map((pod): Change => ({ op: 'unpod', pod })), weight: 1 },
  {
    arbitrary: fc.tuple(fc.nat(), fc.constantFrom('web', 'api', 'db')).map(([pod, app]): Change => ({ op: 'label', pod, app })),
    weight: 2,
  },
  { arbitrary: fc.constant<Change>({ op: 'advance' }), weight: 1 },
);

/**
 * The policy with one more ingress rule: a new revision of the same object, so most of its map
 * entries keep their keys and change their values (the revision they cite, merged peers).
 */
function grow(doc: PolicyDoc): PolicyDoc {
  const spec = doc['spec'] as Record<string, unknown> | undefined;
  if (doc.kind === 'NetworkPolicy') {
    return {
      ...doc,
      spec: {
        ...spec,
        ingress: [
          ...((spec!['ingress'] as unknown[] | undefined) ?? []),
          { from: [{ ipBlock: { cidr: '192.0.2.0/24' } }], ports: [{ port: 80 }] },
        ],
      },
    };
  }
  const rule = { fromEntities: ['host', 'world'], toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }] };
  if (spec === undefined) {
    const [first, ...rest] = doc['specs'] as Record<string, unknown>[];
    return { ...doc, specs: [{ ...first, ingress: [...((first!['ingress'] as unknown[] | undefined) ?? []), rule] }, ...rest] };
  }
  return { ...doc, spec: { ...spec, ingress: [...((spec['ingress'] as unknown[] | undefined) ?? []), rule] } };
}

describe('policy map verdicts for policies of every kind', () => {
  it('agree with the reference evaluator for every subject, known identity, direction, protocol and port', () => {
    fc.assert(
      fc.property(kindPods(1, 5), anyPolicies(1, 4), (ps, pols) => {
        const cluster = build(ps, pols);
        expectMapsMatchReference(cluster, PACKETS);
      }),
      { numRuns: 30 },
    );
  });

  it('keep agreeing with the reference after every incremental change: policies applied, replaced and deleted, pods added, relabelled and removed, GC', () => {
    fc.assert(
      fc.property(kindPods(3, 5), fc.array(changeArb, { minLength: 1, maxLength: 8 }), (ps, changes) => {
        const cluster = Cluster.create({ seed: 17, mutualAuth: false });
        cluster.apply(manifest([namespaceYaml(), ...ps.map(kindPodYaml)]));
        const applied = new Map<string, PolicyDoc>();
        const present = new Set(ps.keys());
        for (const c of changes) {
          if (c.op === 'apply') {
            const old = applied.get(c.doc.metadata.name);
            // A name holds one object at a time, so replacing one of another kind or namespace deletes it first.
            if (old !== undefined && (old.kind !== c.doc.kind || old.metadata.namespace !== c.doc.metadata.namespace))
              cluster.delete(policyYaml(old));
            expect(cluster.apply(policyYaml(c.doc)).every((r) => r.ok)).toBe(true);
            applied.set(c.doc.metadata.name, c.doc);
          } else if (c.op === 'grow') {
            const old = applied.get(c.name);
            if (old === undefined) continue;
            const grown = grow(old);
            expect(cluster.apply(policyYaml(grown)).every((r) => r.ok)).toBe(true);
            applied.set(c.name, grown);
          } else if (c.op === 'delete') {
            const old = applied.get(c.name);
            if (old !== undefined) cluster.delete(policyYaml(old));
            applied.delete(c.name);
          } else if (c.op === 'advance') {
            cluster.advance('16m');
          } else {
            const i = c.pod % ps.length;
            const p = ps[i]!;
            if (c.op === 'pod' && !present.has(i)) {
              expect(cluster.apply(kindPodYaml(p)).every((r) => r.ok)).toBe(true);
              present.add(i);
            } else if (c.op === 'unpod' && present.has(i)) {
              cluster.delete({ kind: 'Pod', namespace: p.namespace, name: p.name });
              present.delete(i);
            } else if (c.op === 'label' && present.has(i)) {
              cluster.label({ kind: 'Pod', namespace: p.namespace, name: p.name }, { app: c.app }, true);
            }
          }
          expectMapsMatchReference(
            cluster,
            [
              [6, 80],
              [17, 53],
              [6, 8080],
            ],
            JSON.stringify(c).slice(0, 60),
          );
        }
      }),
      { numRuns: 25 },
    );
  });

  it('drops, with a deny verdict, every packet a clusterwide deny-all covers, whatever policies of other kinds allow', () => {
    const denyAll: PolicyDoc = {
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumClusterwideNetworkPolicy',
      metadata: { name: 'deny-all' },
      spec: { endpointSelector: {}, ingressDeny: [{ fromEntities: ['all'] }], egressDeny: [{ toEntities: ['all'] }] },
    };
    fc.assert(
      fc.property(kindPods(1, 4), anyPolicies(0, 3), (ps, pols) => {
        const cluster = build(ps, [...pols, denyAll]);
        for (const p of ps) {
          const map = cluster.inspect.policyMap(cluster.inspect.endpoint(p.namespace, p.name)!.identity);
          for (const remote of runtimeOf(cluster).policy.cache.identities()) {
            for (const direction of DIRECTIONS) {
              for (const [proto, port] of PACKETS)
                expect(map.lookup(remote.id, direction, proto, port)).toMatchObject({ allowed: false, denied: true });
            }
          }
        }
      }),
      { numRuns: 15 },
    );
  });
});

/** Does a generated selector (policyKinds.ts forms only) select the pod? Independent of the parser. */
function selects(sel: Record<string, unknown>, p: KindPod): boolean {
  const labels = (sel['matchLabels'] ?? {}) as Record<string, string>;
  const exprs = (sel['matchExpressions'] ?? []) as { key: string; operator: 'NotIn'; values: string[] }[];
  return (
    Object.entries(labels).every(([k, v]) => (k === 'k8s:io.kubernetes.pod.namespace' ? p.namespace === v : p.labels[k] === v)) &&
    exprs.every((e) => !e.values.includes(p.labels[e.key] ?? ''))
  );
}

/** Per rule of the policy and direction: does it select the pod with a section of that direction, and does that section default-deny? */
function enforcementOf(doc: PolicyDoc, p: KindPod, dir: 'ingress' | 'egress'): { enforced: boolean; defaultDeny: boolean }[] {
  if (doc.kind === 'NetworkPolicy') {
    const spec = doc['spec'] as Record<string, unknown>;
    const selected = doc.metadata.namespace === p.namespace && selects(spec['podSelector'] as Record<string, unknown>, p);
    const types = spec['policyTypes'] as string[] | undefined;
    const has =
      types === undefined ? dir === 'ingress' || spec['egress'] !== undefined : types.includes(dir === 'ingress' ? 'Ingress' : 'Egress');
    return [{ enforced: selected && has, defaultDeny: selected && has }];
  }
  const rules = (doc['specs'] ?? [doc['spec']]) as Record<string, unknown>[];
  return rules.map((spec) => {
    const sel = spec['endpointSelector'] as Record<string, unknown>;
    // A CNP's endpointSelector always applies in the policy's namespace: Cilium overwrites a
    // namespace match naming another one (ParseToCiliumRule, "illegal namespace match").
    const selected =
      doc.kind === 'CiliumClusterwideNetworkPolicy'
        ? selects(sel, p)
        : doc.metadata.namespace === p.namespace &&
          selects(
            { ...sel, matchLabels: { ...(sel['matchLabels'] as object | undefined), 'k8s:io.kubernetes.pod.namespace': p.namespace } },
            p,
          );
    const has = spec[dir] !== undefined || spec[`${dir}Deny`] !== undefined;
    const optOut = (spec['enableDefaultDeny'] as Record<string, boolean> | undefined)?.[dir] === false;
    return { enforced: selected && has, defaultDeny: selected && has && !optOut };
  });
}

describe('policy enforcement for policies of every kind', () => {
  it('enforces a direction only on pods some policy selects with a section of that direction, default-deny unless every such policy opts out', () => {
    fc.assert(
      fc.property(kindPods(1, 5), anyPolicies(0, 4), (ps, pols) => {
        const cluster = build(ps, pols);
        for (const p of ps) {
          const id = cluster.inspect.endpoint(p.namespace, p.name)!.identity;
          const map = cluster.inspect.policyMap(id);
          for (const dir of ['ingress', 'egress'] as const) {
            const per = pols.flatMap((d) => enforcementOf(d, p, dir));
            const enforced = per.some((e) => e.enforced);
            const defaultDeny = per.some((e) => e.defaultDeny);
            expect(dir === 'ingress' ? map.ingressEnforced : map.egressEnforced, `${p.name} ${dir} enforced`).toBe(enforced);
            // Without default deny, the agent adds an allow-all entry (identity 0, any protocol) that cites no
            // policy; a deny of everything (`toEntities: [all]`) takes that key, and deny wins.
            const allowAll = map.entries().find(([k]) => k.direction === dir.toUpperCase() && k.identity === 0 && k.proto === 0);
            const heldByDeny = allowAll?.[1].deny && allowAll[1].derivedFrom.length > 0;
            if (enforced && !defaultDeny)
              expect(allowAll !== undefined && (!allowAll[1].deny || heldByDeny), `${p.name} ${dir} allow-all`).toBe(true);
            if (defaultDeny)
              expect(allowAll === undefined || allowAll[1].derivedFrom.length > 0, `${p.name} ${dir} no default allow`).toBe(true);
            if (!enforced)
              expect(map.lookup(2, dir === 'ingress' ? 'INGRESS' : 'EGRESS', 6, 80)).toMatchObject({ allowed: true, matchType: 'all' });
          }
        }
      }),
      { numRuns: 30 },
    );
  });
});
