import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PolicyEngine } from '../../src/policy/policyEngine.ts';
import { ccnp, cnp, deathstar, policies, rule1, TCP, tiefighter, xwing, pod } from './fixtures.ts';

describe('PolicyEngine', () => {
  it('updates a map incrementally when a matching identity appears and disappears', () => {
    const engine = new PolicyEngine();
    engine.upsertIdentity(deathstar);
    engine.apply(policies(rule1)[0]!);
    const map = engine.policyMap(deathstar.id);
    expect(map.lookup(tiefighter.id, 'INGRESS', TCP, 80).allowed).toBe(false);

    engine.upsertIdentity(tiefighter);
    expect(map.lookup(tiefighter.id, 'INGRESS', TCP, 80).allowed).toBe(true);
    engine.removeIdentity(tiefighter.id);
    expect(map.lookup(tiefighter.id, 'INGRESS', TCP, 80).allowed).toBe(false);
  });

  it('regenerates only the identities a changed policy selects', () => {
    const engine = new PolicyEngine();
    for (const i of [deathstar, tiefighter, xwing]) engine.upsertIdentity(i);
    engine.policyMap(deathstar.id);
    engine.policyMap(xwing.id);
    expect(engine.apply(policies(rule1)[0]!)).toEqual([deathstar.id]);
    expect(engine.delete({ kind: 'CiliumNetworkPolicy', namespace: 'default', name: 'rule1' })).toEqual([deathstar.id]);
    expect(engine.policyMap(deathstar.id).lookup(xwing.id, 'INGRESS', TCP, 80)).toMatchObject({ allowed: true, matchType: 'all' });
  });

  it('looks only at the policy namespace when a namespaced policy changes, and everywhere for a clusterwide one', () => {
    const engine = new PolicyEngine();
    const web = [pod(3000, { app: 'web' }, 'ns-a'), pod(3001, { app: 'web' }, 'ns-b')];
    for (const i of web) {
      engine.upsertIdentity(i);
      engine.policyMap(i.id);
    }
    const spec = { endpointSelector: { matchLabels: { app: 'web' } }, ingress: [{}] };
    expect(engine.apply(policies(cnp('web', spec, 'ns-a'))[0]!)).toEqual([3000]);
    expect(engine.policyMap(3000).ingressEnforced).toBe(true);
    expect(engine.policyMap(3001).ingressEnforced).toBe(false);
    expect(engine.apply(policies(ccnp('web-all', spec))[0]!)).toEqual([3000, 3001]);
    expect(engine.policyMap(3001).ingressEnforced).toBe(true);
  });

  it('keeps incrementally maintained maps equal to maps built from scratch', () => {
    const candidates = [0, 1, 2, 3, 4, 5].map((i) =>
      pod(2000 + i, { app: i % 2 === 0 ? 'a' : 'b', org: i < 3 ? 'x' : 'y' }, i % 3 === 0 ? 'ns1' : 'default'),
    );
    const pols = policies(
      rule1,
      cnp('a-from-b', {
        endpointSelector: { matchLabels: { app: 'a' } },
        ingress: [
          { fromEndpoints: [{ matchLabels: { app: 'b' } }], toPorts: [{ ports: [{ port: '80' }], rules: { http: [{ method: 'GET' }] } }] },
        ],
      }),
      cnp('deny-y', {
        endpointSelector: {},
        egressDeny: [{ toEndpoints: [{ matchLabels: { org: 'y' } }] }],
        egress: [{ toEntities: ['cluster'] }],
      }),
    );
    const step = fc.oneof(
      fc.record({ op: fc.constant('add' as const), i: fc.nat(5) }),
      fc.record({ op: fc.constant('remove' as const), i: fc.nat(5) }),
      fc.record({ op: fc.constant('apply' as const), i: fc.nat(2) }),
      fc.record({ op: fc.constant('delete' as const), i: fc.nat(2) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 20 }), (steps) => {
        const engine = new PolicyEngine();
        const live = new Set<number>();
        const applied = new Set<number>();
        engine.upsertIdentity(deathstar);
        engine.policyMap(deathstar.id);
        for (const s of steps) {
          const id = candidates[s.i]!;
          if (s.op === 'add') [engine.upsertIdentity(id), live.add(s.i), engine.policyMap(id.id)];
          if (s.op === 'remove' && live.delete(s.i)) engine.removeIdentity(id.id);
          if (s.op === 'apply') [engine.apply(pols[s.i]!), applied.add(s.i)];
          if (s.op === 'delete' && applied.delete(s.i)) engine.delete(pols[s.i]!.source);
        }
        const fresh = new PolicyEngine();
        fresh.upsertIdentity(deathstar);
        for (const i of live) fresh.upsertIdentity(candidates[i]!);
        for (const i of applied) fresh.apply(pols[i]!);
        for (const subject of [deathstar.id, ...[...live].map((i) => candidates[i]!.id)]) {
          const strip = (m: ReturnType<PolicyEngine['policyMap']>) =>
            m.entries().map(([k, v]) => [k, { ...v, derivedFrom: v.derivedFrom.map((r) => r.name) }]);
          expect(strip(engine.policyMap(subject))).toEqual(strip(fresh.policyMap(subject)));
        }
      }),
    );
  });
});
