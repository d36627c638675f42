import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReservedIdentity } from '../../src/identity/reserved.ts';
import { explainPolicy } from '../../src/policy/explain.ts';
import { PolicyEngine } from '../../src/policy/policyEngine.ts';
import { referenceVerdict } from './referenceVerdict.ts';
import { cnp, deathstar, engineOf, host, knp, policies, reserved, stripRevisions, TCP, UDP, verdict, world } from './fixtures.ts';

// Entities and the host allowance, through the engine a cluster builds (reserved identities are
// known to the selector cache from the start) and through the reference evaluator.
describe('reserved identities in the policy engine', () => {
  it('knows the reserved identities before any endpoint exists, so entity selectors select them', () => {
    const engine = new PolicyEngine();

    expect(engine.cache.identities().map((i) => i.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    engine.upsertIdentity(deathstar);
    engine.apply(
      policies(
        cnp('from-world', { endpointSelector: { matchLabels: { class: 'deathstar' } }, ingress: [{ fromEntities: ['world'] }] }),
      )[0]!,
    );

    expect(engine.policyMap(deathstar.id).lookup(world.id, 'INGRESS', TCP, 80)).toMatchObject({ allowed: true, matchType: 'L3-Only' });
    expect(engine.policyMap(deathstar.id).lookup(ReservedIdentity['remote-node'], 'INGRESS', TCP, 80).allowed).toBe(false);
  });

  it('selects remote-node and kube-apiserver with fromEntities remote-node (kube-apiserver carries both labels)', () => {
    const setup = {
      policies: policies(cnp('remote', { endpointSelector: {}, ingress: [{ fromEntities: ['remote-node'] }] })),
      identities: [deathstar],
    };

    expect(verdict(setup, deathstar, reserved('remote-node'), 'INGRESS', TCP, 80).allowed).toBe(true);
    expect(verdict(setup, deathstar, reserved('kube-apiserver'), 'INGRESS', TCP, 80).allowed).toBe(true);
    expect(verdict(setup, deathstar, world, 'INGRESS', TCP, 80).allowed).toBe(false);
  });
});

describe('allow-localhost', () => {
  const isolate = policies(knp('deny', { podSelector: {}, policyTypes: ['Ingress'] }));

  it('lets the local host into an endpoint under ingress default deny, as an L3 entry', () => {
    const d = verdict({ policies: isolate, identities: [deathstar] }, deathstar, host, 'INGRESS', UDP, 53);

    expect(d).toMatchObject({ allowed: true, matchType: 'L3-Only', authType: 0, policies: [] });
  });

  it('never lets remote nodes or the host on egress through that way', () => {
    const egress = policies(knp('deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }));

    expect(verdict({ policies: egress, identities: [deathstar] }, deathstar, reserved('remote-node'), 'INGRESS', TCP, 80).allowed).toBe(
      false,
    );
    expect(verdict({ policies: egress, identities: [deathstar] }, deathstar, host, 'EGRESS', TCP, 80).allowed).toBe(false);
  });

  it('yields to a deny rule naming the host', () => {
    const deny = policies(cnp('no-host', { endpointSelector: {}, ingressDeny: [{ fromEntities: ['host'] }] }));

    expect(verdict({ policies: deny, identities: [deathstar] }, deathstar, host, 'INGRESS', TCP, 80)).toMatchObject({
      allowed: false,
      denied: true,
    });
  });

  it('can be turned off (allow-localhost=policy)', () => {
    const engine = new PolicyEngine({ allowLocalhost: false });
    engine.upsertIdentity(deathstar);
    engine.apply(isolate[0]!);

    expect(engine.policyMap(deathstar.id).lookup(host.id, 'INGRESS', TCP, 80).allowed).toBe(false);
    expect(
      referenceVerdict({
        policies: isolate,
        subject: deathstar,
        remote: host,
        direction: 'INGRESS',
        proto: TCP,
        port: 80,
        allowLocalhost: false,
      }).allowed,
    ).toBe(false);
  });

  it("is explained by policy trace as the agent's own allow", () => {
    const e = explainPolicy(engineOf({ policies: isolate, identities: [deathstar] }), {
      subject: deathstar,
      remote: host,
      direction: 'INGRESS',
      proto: TCP,
      port: 80,
    });

    expect(e.decision.allowed).toBe(true);
    expect(e.findings.map((f) => f.policy)).toContain('allow-localhost-ingress');
  });

  it('agrees with the reference for every reserved remote, direction and port', () => {
    const pols = policies(
      cnp('mix', {
        endpointSelector: {},
        ingress: [{ fromEntities: ['cluster'], toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }] }],
        ingressDeny: [{ fromEntities: ['world'] }],
        egress: [{ toEntities: ['host'] }],
      }),
    );
    const names = ['host', 'world', 'unmanaged', 'health', 'init', 'remote-node', 'kube-apiserver', 'ingress'] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...names),
        fc.constantFrom('INGRESS' as const, 'EGRESS' as const),
        fc.integer({ min: 1, max: 200 }),
        (name, direction, port) => {
          const engine = new PolicyEngine();
          engine.upsertIdentity(deathstar);
          engine.apply(pols[0]!);
          const fast = engine.policyMap(deathstar.id).lookup(ReservedIdentity[name], direction, TCP, port);
          const slow = referenceVerdict({ policies: pols, subject: deathstar, remote: reserved(name), direction, proto: TCP, port });
          expect(stripRevisions(fast)).toEqual(stripRevisions(slow));
        },
      ),
      { numRuns: 200 },
    );
  });
});
