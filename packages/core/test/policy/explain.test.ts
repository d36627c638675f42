import { describe, expect, it } from 'vitest';
import { renderDirectionTrace, traceDirection } from '../../src/datapath/policyTrace.ts';
import { explainPolicy } from '../../src/policy/explain.ts';
import { cnp, deathstar, engineOf, host, knp, policies, rule1, TCP, tiefighter, xwing, world } from './fixtures.ts';

// `cilium policy trace` reads the live policy: the subject's resolved rules, the selector
// cache's selections and the subject's policy map, whose lookup is the verdict.
describe('explain', () => {
  const ps = policies(rule1);
  const spy = { ...xwing, id: 41234 };

  it('names the rule that allows a packet', () => {
    const engine = engineOf({ policies: ps, identities: [deathstar, tiefighter] });
    const e = explainPolicy(engine, { subject: deathstar, remote: tiefighter, direction: 'INGRESS', proto: TCP, port: 80 });
    expect(e.decision.allowed).toBe(true);
    expect(e.findings.map((f) => [f.path, f.outcome])).toEqual([['spec.ingress[0]', 'matched']]);
  });

  it("gives the policy map's own decision as the verdict", () => {
    const engine = engineOf({ policies: ps, identities: [deathstar, tiefighter, xwing] });
    for (const remote of [tiefighter, xwing]) {
      const e = explainPolicy(engine, { subject: deathstar, remote, direction: 'INGRESS', proto: TCP, port: 80 });
      expect(e.decision).toBe(engine.policyMap(deathstar.id).lookup(remote.id, 'INGRESS', TCP, 80));
    }
  });

  it('says which label of the source is missing when no rule matches', () => {
    const t = traceDirection(engineOf({ policies: ps, identities: [deathstar, spy] }), {
      subject: deathstar,
      remote: spy,
      direction: 'INGRESS',
      proto: TCP,
      port: 80,
    });
    expect(t.dropReason).toBe('Policy denied');
    expect(renderDirectionTrace(t)).toMatchInlineSnapshot(`
      "Tracing From: identity 41234 [k8s:class=xwing, k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=default, k8s:io.cilium.k8s.policy.cluster=default, k8s:io.cilium.k8s.policy.serviceaccount=default, k8s:io.kubernetes.pod.namespace=default, k8s:org=alliance] => To: identity 1000 [k8s:class=deathstar, k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=default, k8s:io.cilium.k8s.policy.cluster=default, k8s:io.cilium.k8s.policy.serviceaccount=default, k8s:io.kubernetes.pod.namespace=default, k8s:org=empire] Ports: [80/TCP]

      Resolving ingress policy for identity 1000:
        CiliumNetworkPolicy default/rule1 (spec) selects it, with ingress rules.
      1 rule(s) select identity 1000.
      Ingress policy is enforced with default deny: what no rule allows is dropped.
        CiliumNetworkPolicy default/rule1 spec.ingress[0] does not apply: it selects endpoints with any:org=empire,k8s:io.kubernetes.pod.namespace=default, and identity 41234 has k8s:org=alliance (needs any:org=empire).

      Final verdict: DENIED (Policy denied)"
    `);
  });

  it('tells an explicit deny from default deny, and reports L7 and authentication', () => {
    const l7 = cnp('l7', {
      endpointSelector: { matchLabels: { class: 'deathstar' } },
      ingress: [
        {
          fromEndpoints: [{ matchLabels: { org: 'empire' } }],
          authentication: { mode: 'required' },
          toPorts: [{ ports: [{ port: '80' }], rules: { http: [{ method: 'POST' }] } }],
        },
      ],
      ingressDeny: [{ fromEntities: ['world'] }],
    });
    const engine = engineOf({ policies: policies(l7), identities: [deathstar, tiefighter] });
    const denied = traceDirection(engine, { subject: deathstar, remote: world, direction: 'INGRESS', proto: TCP, port: 80 });
    expect(denied.dropReason).toBe('Policy denied by denylist');
    const allowed = traceDirection(engine, { subject: deathstar, remote: tiefighter, direction: 'INGRESS', proto: TCP, port: 80 });
    expect(allowed.authRequired).toBe(true);
    expect(allowed.l7Note).toBe(
      'The port is redirected to the L7 proxy: HTTP requests must match one of 1 rule(s) (else 403 Access denied).',
    );
  });

  it("follows the agent's enforcement mode and allow-localhost, as the datapath does", () => {
    const always = engineOf({ policies: [], identities: [deathstar, tiefighter], mode: 'always' });
    const e = explainPolicy(always, { subject: deathstar, remote: tiefighter, direction: 'EGRESS', proto: TCP, port: 80 });
    expect([e.enforced, e.defaultDeny, e.decision.allowed]).toEqual([true, true, false]);

    const isolate = policies(knp('deny', { podSelector: {}, policyTypes: ['Ingress'] }));
    const strict = engineOf({ policies: isolate, identities: [deathstar] }, { allowLocalhost: false });
    const fromHost = explainPolicy(strict, { subject: deathstar, remote: host, direction: 'INGRESS', proto: TCP, port: 80 });
    expect(fromHost.decision.allowed).toBe(false);
    expect(fromHost.findings.map((f) => f.policy)).not.toContain('allow-localhost-ingress');
  });
});
