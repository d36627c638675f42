// Invariant: `cilium policy trace` explains the decision the datapath makes. For policies of every
// kind, every subject endpoint and every identity the agent knows, the explanation's verdict is
// the subject's policy map lookup itself, agrees with the rule-by-rule reference evaluator, every
// policy the decision cites has a rule the explanation reports as matching (an entry cites every
// rule on its key, deny or allow), and a denial by a deny rule names a matching deny rule.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runtimeOf } from '../../src/cluster/cluster.ts';
import { Cluster } from '../../src/index.ts';
import { explainPolicy } from '../../src/policy/explain.ts';
import { referenceVerdict } from '../policy/referenceVerdict.ts';
import { manifest } from './arbitraries.ts';
import { anyPolicies, kindPods, kindPodYaml, namespaceYaml, policyYaml } from './policyKinds.ts';

const PACKETS: readonly [number, number][] = [
  [6, 80],
  [6, 8080],
  [6, 9000],
  [17, 53],
];
const DIRECTIONS = ['INGRESS', 'EGRESS'] as const;

describe('policy trace explanations', () => {
  it("give the policy map's decision, the reference's verdict and a matching rule for each cited policy", () => {
    fc.assert(
      fc.property(kindPods(1, 4), anyPolicies(1, 4), (ps, pols) => {
        const cluster = Cluster.create({ seed: 3, mutualAuth: false });
        cluster.apply(manifest([namespaceYaml(), ...ps.map(kindPodYaml), ...pols.map(policyYaml)]));
        const rt = runtimeOf(cluster);
        const rules = rt.policy.repository.rules();
        const ctx = { clusterName: cluster.options.clusterName };
        for (const s of new Set(rt.endpoints.list().map((e) => e.identity))) {
          const subject = rt.policy.cache.identity(s)!;
          const namedPorts = rt.namedPorts.forSubject(s);
          for (const remote of rt.policy.cache.identities()) {
            for (const direction of DIRECTIONS) {
              for (const [proto, port] of PACKETS) {
                const e = explainPolicy(rt.policy, { subject, remote, direction, proto, port });
                const at = `${s} ${direction} ${remote.id} ${proto}/${port}`;
                expect(e.decision, at).toBe(rt.policy.policyMap(s).lookup(remote.id, direction, proto, port));
                const ref = referenceVerdict({ policies: rules, subject, remote, direction, proto, port, namedPorts, ctx });
                expect([e.decision.allowed, e.decision.denied], at).toEqual([ref.allowed, ref.denied]);
                const matched = e.findings.filter((f) => f.outcome === 'matched');
                if (e.decision.denied)
                  expect(
                    matched.some((f) => f.deny),
                    `${at} names no matching deny rule`,
                  ).toBe(true);
                const names = new Set(matched.map((f) => f.policy));
                for (const p of e.decision.policies)
                  expect(
                    names.has(`${p.kind} ${p.namespace === undefined ? '' : `${p.namespace}/`}${p.name}`),
                    `${at} cites ${p.name}`,
                  ).toBe(true);
              }
            }
          }
        }
      }),
      { numRuns: 20 },
    );
  });
});
