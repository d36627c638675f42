// Property tests: random policies (CNP, CCNP, NetworkPolicy as plain objects, parsed for real),
// random identities and random packets. The fast path (PolicyEngine: repository, selector
// cache, resolution, policy map lookup) must agree with the rule-by-rule reference evaluator.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../src/policy/resolve.ts';
import { ruleSelects } from '../../src/policy/enforcement.ts';
import { toRuleList } from './referenceVerdict.ts';
import type { Direction } from '../../src/policy/direction.ts';
import { ccnp, cidrIdentity, cnp, fastVerdict, host, knp, pod, policies, stripRevisions, world } from './fixtures.ts';
import { referenceVerdict } from './referenceVerdict.ts';
import type { IdentityInfo } from '../../src/policy/peerSelector.ts';

const labelsArb = fc.record({ app: fc.constantFrom('a', 'b'), org: fc.constantFrom('x', 'y') }, { requiredKeys: [] });
const selectorArb = fc.oneof(
  fc.record({ matchLabels: labelsArb }),
  fc.record({ matchExpressions: fc.constant([{ key: 'app', operator: 'NotIn', values: ['a'] }]) }),
  fc.record({ matchLabels: fc.record({ 'k8s:io.kubernetes.pod.namespace': fc.constantFrom('ns1', 'ns2') }) }),
);
const portArb = fc.constantFrom<Record<string, unknown>>(
  { port: '80' },
  { port: '80', endPort: 90 },
  { port: '0' },
  { port: '443' },
  { port: 'http' },
  {},
);
const protoArb = fc.constantFrom<Record<string, unknown>>({}, { protocol: 'TCP' }, { protocol: 'UDP' }, { protocol: 'ANY' });
/** Cilium refuses HTTP rules on UDP and on port 0 (every port); such a port becomes TCP/80. */
const l7Port = (p: Record<string, unknown>): Record<string, unknown> => ({
  ...p,
  ...(p['port'] === undefined || p['port'] === '0' ? { port: '80' } : {}),
  ...(p['protocol'] === 'UDP' ? { protocol: 'TCP' } : {}),
});

function ruleArb(dir: 'from' | 'to', deny: boolean): fc.Arbitrary<Record<string, unknown>> {
  const peer = fc.oneof(
    fc.constant({}),
    fc.record({ [`${dir}Endpoints`]: fc.array(selectorArb, { maxLength: 2 }) }),
    fc.record({ [`${dir}Entities`]: fc.array(fc.constantFrom('world', 'cluster', 'all', 'host'), { minLength: 1, maxLength: 2 }) }),
    fc.record({ [`${dir}CIDRSet`]: fc.constant([{ cidr: '10.0.0.0/8', except: ['10.0.0.0/24'] }]) }),
  );
  const toPorts = fc.array(
    fc
      .record(
        {
          ports: fc.array(
            fc.tuple(portArb, protoArb).map(([a, b]) => ({ ...a, ...b })),
            { minLength: 1, maxLength: 2 },
          ),
          ...(deny ? {} : { rules: fc.constant({ http: [{ method: 'GET' }] }) }),
        },
        { requiredKeys: ['ports'] },
      )
      .map((pr) => (pr.rules === undefined ? pr : { ...pr, ports: pr.ports.map(l7Port) })),
    { minLength: 1, maxLength: 2 },
  );
  const extra = deny
    ? fc.record({ toPorts }, { requiredKeys: [] })
    : fc.record({ toPorts, authentication: fc.record({ mode: fc.constantFrom('required', 'disabled') }) }, { requiredKeys: [] });
  return fc.tuple(peer, extra).map(([a, b]) => ({ ...a, ...b }));
}

const sectionsArb = (allowOnly: boolean) =>
  fc.record(
    {
      ingress: fc.array(ruleArb('from', false), { maxLength: 2 }),
      egress: fc.array(ruleArb('to', false), { maxLength: 2 }),
      ...(allowOnly
        ? {}
        : { ingressDeny: fc.array(ruleArb('from', true), { maxLength: 1 }), egressDeny: fc.array(ruleArb('to', true), { maxLength: 1 }) }),
      enableDefaultDeny: fc.record({ ingress: fc.boolean(), egress: fc.boolean() }, { requiredKeys: [] }),
    },
    { requiredKeys: [] },
  );

const knpArb = fc.record({
  podSelector: fc.record({ matchLabels: labelsArb }),
  policyTypes: fc.constantFrom(['Ingress'], ['Egress'], ['Ingress', 'Egress']),
  ingress: fc.array(
    fc.record(
      {
        from: fc.array(
          fc.oneof(
            fc.record({ podSelector: fc.record({ matchLabels: labelsArb }) }),
            fc.record({ namespaceSelector: fc.constant({}) }),
            fc.constant({ ipBlock: { cidr: '10.0.0.0/8' } }),
          ),
          { maxLength: 2 },
        ),
        ports: fc.constant([{ port: 80 }]),
      },
      { requiredKeys: [] },
    ),
    { maxLength: 2 },
  ),
});

const policyArb = (allowOnly: boolean) =>
  fc.oneof(
    fc
      .tuple(selectorArb, sectionsArb(allowOnly), fc.constantFrom('ns1', 'ns2'))
      .map(([sel, s, ns]) => cnp('p', { endpointSelector: sel, ...s }, ns)),
    fc.tuple(selectorArb, sectionsArb(allowOnly)).map(([sel, s]) => ccnp('c', { endpointSelector: sel, ...s })),
    ...(allowOnly ? [] : [fc.tuple(knpArb, fc.constantFrom('ns1', 'ns2')).map(([spec, ns]) => knp('k', spec, ns))]),
  );
/** Distinct names, as the repository keys policies by name. */
const policySetArb = (allowOnly: boolean, prefix: string) =>
  fc
    .array(policyArb(allowOnly), { maxLength: 4 })
    .map((ps) => ps.map((p, i) => ({ ...p, metadata: { ...(p['metadata'] as object), name: `${prefix}${i}` } })));

const podsArb = fc
  .array(fc.tuple(labelsArb, fc.constantFrom('ns1', 'ns2')), { minLength: 1, maxLength: 4 })
  .map((ps) => ps.map(([l, ns], i) => pod(1000 + i, l, ns)));
const outside = [
  world,
  host,
  cidrIdentity(16777217, '10.0.0.5/32'),
  cidrIdentity(16777218, '10.9.0.0/16'),
  cidrIdentity(16777219, '8.8.8.8/32'),
];
const packetArb = fc.record({
  direction: fc.constantFrom<Direction>('INGRESS', 'EGRESS'),
  proto: fc.constantFrom(6, 17, 132),
  port: fc.constantFrom(0, 80, 85, 90, 443, 8080),
  subjectIndex: fc.nat(),
  remoteIndex: fc.nat(),
});
const namedPorts = {
  ingress: new Map([['http', [{ port: 8080, protocol: 'TCP' as const }]]]),
  egress: new Map([['http', [{ port: 80, protocol: 'TCP' as const }]]]),
};

function pick<T>(xs: readonly T[], i: number): T {
  return xs[i % xs.length] as T;
}

describe('policy map fast path', () => {
  it('gives the same decision as the rule-by-rule reference evaluator', () => {
    fc.assert(
      fc.property(
        policySetArb(false, 'p'),
        podsArb,
        packetArb,
        fc.constantFrom('default', 'always', 'never' as const),
        (objs, pods, pkt, mode) => {
          const ps = policies(...objs);
          const identities: IdentityInfo[] = [...pods, ...outside];
          const subject = pick(pods, pkt.subjectIndex);
          const remote = pick(identities, pkt.remoteIndex);
          const s = { policies: ps, identities, mode, namedPorts };
          const fast = fastVerdict(s, subject, remote, pkt.direction, pkt.proto, pkt.port);
          const ref = referenceVerdict({
            policies: ps,
            subject,
            remote,
            direction: pkt.direction,
            proto: pkt.proto,
            port: pkt.port,
            mode,
            namedPorts,
          });
          expect(stripRevisions(fast)).toEqual(stripRevisions(ref));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('always drops what a matching deny rule denies, whatever else allows it', () => {
    const denyAllIngress = ccnp('deny-everything', { endpointSelector: {}, ingressDeny: [{ fromEntities: ['all'] }] });
    fc.assert(
      fc.property(policySetArb(false, 'p'), podsArb, packetArb, (objs, pods, pkt) => {
        const identities = [...pods, ...outside];
        const d = fastVerdict(
          { policies: policies(...objs, denyAllIngress), identities, namedPorts },
          pick(pods, pkt.subjectIndex),
          pick(identities, pkt.remoteIndex),
          'INGRESS',
          pkt.proto,
          pkt.port,
        );
        expect(d).toMatchObject({ allowed: false, denied: true });
      }),
    );
  });

  it('allows everything, in both directions, to an endpoint no policy selects', () => {
    fc.assert(
      fc.property(policySetArb(false, 'p'), podsArb, packetArb, (objs, pods, pkt) => {
        const loner = pick(pods, pkt.subjectIndex);
        const ps = policies(...objs);
        fc.pre(!toRuleList(ps).some((r) => ruleSelects(r.rule, loner)));
        const identities = [...pods, ...outside];
        const d = fastVerdict(
          { policies: ps, identities, namedPorts },
          loner,
          pick(identities, pkt.remoteIndex),
          pkt.direction,
          pkt.proto,
          pkt.port,
        );
        expect(d).toMatchObject({ allowed: true, matchType: 'all' });
      }),
    );
  });

  it('never turns an allowed packet into a drop by adding allow rules once the direction is default-deny', () => {
    fc.assert(
      fc.property(policySetArb(false, 'p'), policySetArb(true, 'extra'), podsArb, packetArb, (base, extra, pods, pkt) => {
        const identities = [...pods, ...outside];
        const subject = pick(pods, pkt.subjectIndex);
        const remote = pick(identities, pkt.remoteIndex);
        const before = policies(...base);
        const e = resolvePolicy(subject, toRuleList(before)).enforcement;
        const enforced = pkt.direction === 'INGRESS' ? e.ingress.defaultDeny : e.egress.defaultDeny;
        const was = fastVerdict({ policies: before, identities, namedPorts }, subject, remote, pkt.direction, pkt.proto, pkt.port);
        fc.pre(enforced && was.allowed);
        const now = fastVerdict(
          { policies: [...before, ...policies(...extra)], identities, namedPorts },
          subject,
          remote,
          pkt.direction,
          pkt.proto,
          pkt.port,
        );
        expect(now.allowed).toBe(true);
      }),
    );
  });
});
