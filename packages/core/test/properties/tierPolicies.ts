// Generators for ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2) objects of both tiers, as
// raw manifests over the pods of policyKinds.ts: subjects by namespace labels or pod labels, peers
// by namespaces, pods and (egress) networks, ports by number, range and name, actions Accept, Deny
// and Pass. Priorities come from a pool of three so that policies tie and rules interleave.
import fc from 'fast-check';
import { labelsArb, type PolicyDoc } from './policyKinds.ts';

const namespacesPeer = fc.constantFrom({ namespaces: {} }, { namespaces: { matchLabels: { team: 'b' } } });
const podsPeer = fc.oneof(
  labelsArb.map((l) => ({ pods: { podSelector: { matchLabels: l } } })),
  labelsArb.map((l) => ({ pods: { namespaceSelector: { matchLabels: { team: 'b' } }, podSelector: { matchLabels: { app: l.app } } } })),
);
const networksPeer = fc
  .uniqueArray(fc.constantFrom('10.244.1.200/32', '10.244.1.0/24', '8.8.8.8/32', '0.0.0.0/0'), { minLength: 1, maxLength: 2 })
  .map((networks) => ({ networks }));

const numberedPort = fc.constantFrom<Record<string, unknown>>(
  { tcp: { destinationPort: { number: 80 } } },
  { tcp: { destinationPort: { range: { start: 8000, end: 8100 } } } },
  { udp: { destinationPort: { number: 53 } } },
  { sctp: { destinationPort: { number: 8080 } } },
);
const protocols = (named: boolean) =>
  fc.option(
    fc.array(named ? fc.oneof(numberedPort, fc.constant({ destinationNamedPort: 'http' })) : numberedPort, { minLength: 1, maxLength: 2 }),
    { nil: undefined },
  );

const action = fc.constantFrom('Accept', 'Deny', 'Pass');
const name = fc.option(fc.constantFrom('allow-web', 'deny-rest', 'hand-over'), { nil: undefined });

const ingressRule = fc
  .record({ name, action, from: fc.array(fc.oneof(namespacesPeer, podsPeer), { minLength: 1, maxLength: 2 }), protocols: protocols(true) })
  .map(compact);
const egressRule = fc
  .oneof(
    fc.record({
      name,
      action,
      to: fc.array(fc.oneof(namespacesPeer, podsPeer), { minLength: 1, maxLength: 2 }),
      protocols: protocols(true),
    }),
    // A named port cannot go with address peers (the CRD's CEL rule).
    fc.record({ name, action, to: fc.array(networksPeer, { minLength: 1, maxLength: 1 }), protocols: protocols(false) }),
  )
  .map(compact);

const subject = fc.oneof(
  namespacesPeer,
  labelsArb.map((l) => ({ pods: { podSelector: { matchLabels: { app: l.app } } } })),
);

export const tierPolicy: fc.Arbitrary<PolicyDoc> = fc
  .record({
    tier: fc.constantFrom('Admin', 'Baseline'),
    priority: fc.constantFrom(1, 2, 5),
    subject,
    ingress: fc.option(fc.array(ingressRule, { minLength: 1, maxLength: 3 }), { nil: undefined }),
    egress: fc.option(fc.array(egressRule, { minLength: 1, maxLength: 3 }), { nil: undefined }),
  })
  .map(
    (spec): PolicyDoc => ({
      apiVersion: 'policy.networking.k8s.io/v1alpha2',
      kind: 'ClusterNetworkPolicy',
      metadata: { name: 'tier' },
      spec: compact(spec),
    }),
  );

/** Tier policies with distinct names (`tier0`, `tier1`, ...). */
export const tierPolicies = (min: number, max: number): fc.Arbitrary<PolicyDoc[]> =>
  fc.array(tierPolicy, { minLength: min, maxLength: max }).map((ps) => ps.map((p, i) => ({ ...p, metadata: { name: `tier${i}` } })));

function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
