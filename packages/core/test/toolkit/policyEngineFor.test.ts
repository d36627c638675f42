import { describe, expect, it } from 'vitest';
import { policyMapKeyText } from '../../src/policy/policyMap.ts';
import { computeMatrix, clusterMatrixInput, connectivityMatrix } from '../../src/toolkit/matrix.ts';
import { runtimeOf } from '../../src/cluster/cluster.ts';
import { policyEngineFor } from '../../src/toolkit/policyEngineFor.ts';
import { manifest, starWars } from './starWars.ts';

// The dry run compares two private engines; each must compute what the cluster's agents compute.
describe('policyEngineFor', () => {
  it('rebuilds the cluster policy maps from its current state, entry for entry', () => {
    const cluster = starWars();
    cluster.apply(manifest('sw_l3_l4_l7_policy.yaml'));

    const engine = policyEngineFor(runtimeOf(cluster), cluster.state);

    const withoutRevisions = (m: ReturnType<typeof cluster.inspect.policyMap>) =>
      m
        .entries()
        .map(([k, v]) => [policyMapKeyText(k), v.deny, v.authType, JSON.stringify(v.l7 ?? null), v.derivedFrom.map((r) => r.name)]);
    for (const ep of cluster.inspect.endpoints()) {
      expect(withoutRevisions(engine.policyMap(ep.identity))).toEqual(withoutRevisions(cluster.inspect.policyMap(ep.identity)));
      expect(engine.policyMap(ep.identity).ingressEnforced).toBe(cluster.inspect.policyMap(ep.identity).ingressEnforced);
    }
    const opts = { namespaces: 'all' as const, by: 'identity' as const };
    expect(
      computeMatrix(
        clusterMatrixInput(cluster, (id) => engine.policyMap(id)),
        opts,
      ),
    ).toEqual(connectivityMatrix(cluster, opts));
  });

  it('reads enable-policy as the agents do: set, and deleted back to its default', () => {
    const cluster = starWars();
    const rt = runtimeOf(cluster);
    const enforced = (engine: ReturnType<typeof policyEngineFor>) =>
      cluster.inspect.endpoints().map((ep) => engine.policyMap(ep.identity).egressEnforced);

    cluster.setConfig('enable-policy', 'always');
    expect(enforced(policyEngineFor(rt, cluster.state))).toEqual(cluster.inspect.endpoints().map(() => true));
    cluster.deleteConfig('enable-policy');
    expect(enforced(policyEngineFor(rt, cluster.state))).toEqual(cluster.inspect.endpoints().map(() => false));
  });
});
