// The policy-tiers walkthrough: a platform team's Admin guardrails, a namespace owner's CNP and a
// Baseline default deny, each layer pinned by the matrix after it, and the trace of a flow the
// Admin tier passes down and the Baseline denies.
import { describe, expect, it } from 'vitest';
import { outputsOf, runSteps } from './transcript.ts';

const MATRIX = 'cilium-sim matrix -n monitoring -n shop -n payments --port 8080/TCP';

/** The Combined table of a matrix, its rows only: who reaches whom on 8080 once both sides have spoken. */
function combined(matrix: string): string {
  return matrix
    .slice(matrix.indexOf('Combined:'))
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('|  '))
    .join('\n');
}

describe('scenario policy-tiers', () => {
  const { steps, ok } = runSteps('policy-tiers');
  const matrices = outputsOf(steps, MATRIX).map(combined);

  it('runs the whole walkthrough', () => {
    expect(ok).toBe(true);
    expect(matrices).toHaveLength(4);
  });

  it('lets everyone reach everyone before any policy', () => {
    expect(matrices[0]).toMatchInlineSnapshot(`
      "| monitoring/prometheus | #                     | .            | .               | .            | .             |
      | payments/api          | .                     | #            | .               | .            | .             |
      | payments/worker       | .                     | .            | #               | .            | .             |
      | shop/backend          | .                     | .            | .               | #            | .             |
      | shop/frontend         | .                     | .            | .               | .            | #             |"
    `);
  });

  it('closes payments to other namespaces but keeps monitoring in, after the Admin guardrails', () => {
    expect(matrices[1]).toMatchInlineSnapshot(`
      "| monitoring/prometheus | #                     | .            | .               | .            | .             |
      | payments/api          | .                     | #            | .               | .            | .             |
      | payments/worker       | .                     | .            | #               | .            | .             |
      | shop/backend          | .                     | X            | X               | #            | .             |
      | shop/frontend         | .                     | X            | X               | .            | #             |"
    `);
    expect(outputsOf(steps, 'kubectl exec -n shop frontend -- curl -s --connect-timeout 2 http://api.payments:8080/')).toEqual([
      'command terminated with exit code 28',
    ]);
    expect(outputsOf(steps, 'kubectl exec -n monitoring prometheus --')).toEqual(['200']);
  });

  it('lets the shop team close its backend, under the guardrails, after its CiliumNetworkPolicy', () => {
    expect(matrices[2]).toMatchInlineSnapshot(`
      "| monitoring/prometheus | #                     | .            | .               | .            | .             |
      | payments/api          | .                     | #            | .               | X            | .             |
      | payments/worker       | .                     | .            | #               | X            | .             |
      | shop/backend          | .                     | X            | X               | #            | .             |
      | shop/frontend         | .                     | X            | X               | .            | #             |"
    `);
    const trace = outputsOf(steps, 'cilium policy trace --src-k8s-pod monitoring:prometheus')[0]!;
    expect(trace).toContain("  Admin 'sec-guardrail' rule 'allow-monitoring': Accept\n\nFinal verdict: ALLOWED");
  });

  it('denies what no owner allows and the Admin tier passes down, after the Baseline default deny', () => {
    expect(matrices[3]).toMatchInlineSnapshot(`
      "| monitoring/prometheus | #                     | .            | .               | .            | .             |
      | payments/api          | X                     | #            | X               | X            | X             |
      | payments/worker       | X                     | X            | #               | X            | X             |
      | shop/backend          | X                     | X            | X               | #            | X             |
      | shop/frontend         | X                     | X            | X               | .            | #             |"
    `);
    const trace = outputsOf(steps, 'cilium policy trace --src-k8s-pod payments:worker')[0]!;
    expect(trace.split('\n').slice(-4).join('\n')).toMatch(
      /^Walking the policy tiers \(Admin, NetworkPolicy, Baseline\):\n {2}Admin 'payments-lockdown' rule 'delegate-the-rest': Pass -> NetworkPolicy tier: no rule selects identity \d+ for ingress -> Baseline 'default-deny' rule 'deny-all-pods': Deny\n\nFinal verdict: DENIED \(Policy denied by denylist\)$/,
    );
  });

  it('names the deciding ClusterNetworkPolicy in Hubble', () => {
    const drops = outputsOf(steps, 'hubble observe --verdict DROPPED --to-namespace payments --print-policy-names')[0]!;
    expect(drops).toContain('payments/worker');
    expect(drops).toMatch(
      /payments\/worker:\d+ \(ID:\d+\) <> payments\/api:8080 \(ID:\d+\) policy-verdict:L3-Only INGRESS DENIED BY default-deny \(ClusterNetworkPolicy\)/,
    );
    expect(drops).toMatch(
      /shop\/frontend:\d+ \(ID:\d+\) <> payments\/api:8080 \(ID:\d+\) policy-verdict:L3-Only INGRESS DENIED BY payments-lockdown \(ClusterNetworkPolicy\)/,
    );
    const json = JSON.parse(outputsOf(steps, 'hubble observe --type policy-verdict --to-namespace payments --last 1 -o json')[0]!);
    expect(json.flow.ingress_denied_by).toEqual([
      {
        name: 'default-deny',
        labels: ['k8s:io.cilium.k8s.policy.derived-from=ClusterNetworkPolicy', 'k8s:io.cilium.k8s.policy.name=default-deny'],
        revision: expect.any(String),
        kind: 'ClusterNetworkPolicy',
      },
    ]);
  });
});
