// Cluster-wide identity properties. Each run builds a cluster (~100 ms), so runs are few.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/index.ts';
import { identityLabels, manifest, podYaml, pods, type PodSpecArb } from './arbitraries.ts';

function identitiesOf(cluster: Cluster, ps: readonly PodSpecArb[]): Map<string, number> {
  return new Map(ps.map((p) => [p.name, cluster.endpoints.byPod('default', p.name)!.identity]));
}

describe('security identity allocation', () => {
  it('gives pods the same identity exactly when their identity-relevant labels match, whatever the apply order', () => {
    fc.assert(fc.property(pods(1, 8), fc.integer({ min: 0, max: 1000 }), (ps, shuffleSeed) => {
      const shuffled = [...ps].sort((a, b) => ((a.name.charCodeAt(1) * 31 + shuffleSeed) % 17) - ((b.name.charCodeAt(1) * 31 + shuffleSeed) % 17));
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
    }), { numRuns: 15 });
  });

  it('frees the identity of a label set once its last pod is gone and identity GC has run', () => {
    fc.assert(fc.property(pods(2, 6), (ps) => {
      const cluster = Cluster.create({ seed: 9, mutualAuth: false });
      cluster.apply(manifest(ps.map((p) => podYaml(p))));
      const victim = ps[0]!;
      const id = cluster.endpoints.byPod('default', victim.name)!.identity;
      const sameSet = ps.filter((p) => identityLabels(p.labels) === identityLabels(victim.labels));
      for (const p of sameSet) cluster.delete({ kind: 'Pod', namespace: 'default', name: p.name });

      expect(cluster.identities.get(id)).toBeDefined(); // lingers until the operator's GC
      cluster.advance('16m');

      expect(cluster.identities.get(id)).toBeUndefined();
      for (const p of ps.filter((q) => !sameSet.includes(q))) expect(cluster.identities.get(cluster.endpoints.byPod('default', p.name)!.identity)).toBeDefined();
    }), { numRuns: 15 });
  });
});
