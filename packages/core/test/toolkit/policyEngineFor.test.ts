import { describe, expect, it } from 'vitest';
import { policyMapKeyText } from '../../src/policy/policyMap.ts';
import { computeMatrix, clusterMatrixInput, connectivityMatrix } from '../../src/toolkit/matrix.ts';
import { policyEngineFor } from '../../src/toolkit/policyEngineFor.ts';
import { manifest, starWars } from './starWars.ts';

// The dry run compares two private engines; each must compute what the cluster's agents compute.
describe('policyEngineFor', () => {
  it('rebuilds the cluster policy maps from its current state, entry for entry', () => {
    const cluster = starWars();
    cluster.apply(manifest('sw_l3_l4_l7_policy.yaml'));

    const engine = policyEngineFor(cluster, cluster.state);

    const withoutRevisions = (m: ReturnType<typeof engine.policyMap>) =>
      m
        .entries()
        .map(([k, v]) => [policyMapKeyText(k), v.deny, v.authType, JSON.stringify(v.l7 ?? null), v.derivedFrom.map((r) => r.name)]);
    for (const ep of cluster.endpoints.list()) {
      expect(withoutRevisions(engine.policyMap(ep.identity))).toEqual(withoutRevisions(cluster.policy.policyMap(ep.identity)));
      expect(engine.policyMap(ep.identity).ingressEnforced).toBe(cluster.policy.policyMap(ep.identity).ingressEnforced);
    }
    const opts = { namespaces: 'all' as const, by: 'identity' as const };
    expect(
      computeMatrix(
        clusterMatrixInput(cluster, (id) => engine.policyMap(id)),
        opts,
      ),
    ).toEqual(connectivityMatrix(cluster, opts));
  });
});
