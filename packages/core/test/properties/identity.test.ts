// Invariant: a pod's security identity is a function of its identity-relevant labels (app, tier,
// namespace), whatever the apply order, the labels the filter drops (pod-template-hash, ...),
// and the relabelling history; an identity is freed once its last pod is gone and GC has run.
// Each run builds a cluster (~50 ms), so runs are few.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/index.ts';
import { identityLabels, manifest, podYaml, pods, type PodSpecArb } from './arbitraries.ts';
import { kindPods, kindPodYaml, namespaceYaml } from './policyKinds.ts';

function identitiesOf(cluster: Cluster, ps: readonly PodSpecArb[]): Map<string, number> {
  return new Map(ps.map((p) => [p.name, cluster.inspect.endpoint('default', p.name)!.identity]));
}

describe('security identity allocation', () => {
  it('gives pods the same identity exactly when their identity-relevant labels match, whatever the apply order', () => {
    fc.assert(
      fc.property(pods(1, 8), fc.integer({ min: 0, max: 1000 }), (ps, shuffleSeed) => {
        const shuffled = [...ps].sort(
          (a, b) => ((a.name.charCodeAt(1) * 31 + shuffleSeed) % 17) - ((b.name.charCodeAt(1) * 31 + shuffleSeed) % 17),
        );
        for (const order of [ps, shuffled]) {
          const cluster = Cluster.create({ seed: 5, mutualAuth: false });
          cluster.apply(manifest(order.map((p) => podYaml(p))));
          const ids = identitiesOf(cluster, ps);
          for (const a of ps) {
            for (const b of ps) {
              expect(ids.get(a.name) === ids.get(b.name)).toBe(identityLabels(a.labels) === identityLabels(b.labels));
            }
          }
        }
      }),
      { numRuns: 15 },
    );
  });

  it('frees the identity of a label set once its last pod is gone and identity GC has run', () => {
    fc.assert(
      fc.property(pods(2, 6), (ps) => {
        const cluster = Cluster.create({ seed: 9, mutualAuth: false });
        cluster.apply(manifest(ps.map((p) => podYaml(p))));
        const victim = ps[0]!;
        const id = cluster.inspect.endpoint('default', victim.name)!.identity;
        const sameSet = ps.filter((p) => identityLabels(p.labels) === identityLabels(victim.labels));
        for (const p of sameSet) cluster.delete({ kind: 'Pod', namespace: 'default', name: p.name });

        expect(cluster.inspect.identity(id)).toBeDefined(); // lingers until the operator's GC
        cluster.advance('16m');

        expect(cluster.inspect.identity(id)).toBeUndefined();
        for (const p of ps.filter((q) => !sameSet.includes(q)))
          expect(cluster.inspect.identity(cluster.inspect.endpoint('default', p.name)!.identity)).toBeDefined();
      }),
      { numRuns: 15 },
    );
  });

  it('keeps the identity a function of namespace and identity-relevant labels through random relabelling, in two namespaces', () => {
    const change = fc.record({
      pod: fc.nat(),
      key: fc.constantFrom('app', 'tier', 'pod-template-hash', 'io.kubernetes.container.name'),
      value: fc.constantFrom('web', 'api', 'front', 'x7f9', null),
    });
    fc.assert(
      fc.property(kindPods(2, 6), fc.array(change, { maxLength: 8 }), (ps, changes) => {
        const cluster = Cluster.create({ seed: 15, mutualAuth: false });
        cluster.apply(manifest([namespaceYaml(), ...ps.map(kindPodYaml)]));
        const labels = new Map(ps.map((p) => [p.name, { ...p.labels } as Record<string, string>]));
        for (const c of changes) {
          const p = ps[c.pod % ps.length]!;

          expect(cluster.label({ kind: 'Pod', namespace: p.namespace, name: p.name }, { [c.key]: c.value }, true).ok).toBe(true);

          const l = labels.get(p.name)!;
          if (c.value === null) delete l[c.key];
          else l[c.key] = c.value;
        }
        const key = (name: string): string => `${ps.find((p) => p.name === name)!.namespace} ${identityLabels(labels.get(name)!)}`;
        const id = (name: string): number => {
          const p = ps.find((q) => q.name === name)!;
          return cluster.inspect.endpoint(p.namespace, p.name)!.identity;
        };
        for (const a of ps) {
          for (const b of ps) expect(id(a.name) === id(b.name), `${a.name} ${b.name}`).toBe(key(a.name) === key(b.name));
        }
      }),
      { numRuns: 40 },
    );
  });
});
