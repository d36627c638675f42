import { describe, expect, it } from 'vitest';
import { explain, renderExplanation } from '../../src/policy/explain.ts';
import { cnp, deathstar, policies, rule1, TCP, tiefighter, xwing, world } from './fixtures.ts';

describe('explain', () => {
  const ps = policies(rule1);

  it('names the rule that allows a packet', () => {
    const e = explain({ policies: ps, subject: deathstar, remote: tiefighter, direction: 'INGRESS', proto: TCP, port: 80 });
    expect(e.decision.allowed).toBe(true);
    expect(e.findings.map((f) => [f.path, f.outcome])).toEqual([['spec.ingress[0]', 'matched']]);
  });

  it('says which label of the source is missing when no rule matches', () => {
    const e = explain({ policies: ps, subject: deathstar, remote: { ...xwing, id: 41234 }, direction: 'INGRESS', proto: TCP, port: 80 });
    expect(e.dropReason).toBe('Policy denied');
    expect(renderExplanation(e)).toMatchInlineSnapshot(`
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
    const denied = explain({ policies: policies(l7), subject: deathstar, remote: world, direction: 'INGRESS', proto: TCP, port: 80 });
    expect(denied.dropReason).toBe('Policy denied by denylist');
    const allowed = explain({ policies: policies(l7), subject: deathstar, remote: tiefighter, direction: 'INGRESS', proto: TCP, port: 80 });
    expect(allowed.authRequired).toBe(true);
    expect(allowed.l7Note).toBe(
      'The port is redirected to the L7 proxy: HTTP requests must match one of 1 rule(s) (else 403 Access denied).',
    );
  });
});
