import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScript } from '../../src/shell/script.ts';
import { createSimulator } from '../../src/simulator.ts';
import { nodeHostFiles } from '../../src/node/nodeHostFiles.ts';
import { ci, POLICY_REPO } from './ciRun.ts';

// `cilium-sim replay`: from the shell on an export, and inside a session on the flows it recorded.
const FIXTURES = resolve(import.meta.dirname, '../../../core/test/toolkit/fixtures');

describe('cilium-sim replay', () => {
  it('lists the flows of an export a candidate would flip, and the deciding policy: exit 1', () => {
    const r = ci('replay', ['hubble-export.jsonl', '--with', 'shop-policies.yaml'], FIXTURES);

    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      [
        'Replayed 6 flows (4 connections) from hubble-export.jsonl: rebuilt 2 namespaces, 3 pods, 1 outside name.',
        'ciliumnetworkpolicy.cilium.io/backend created',
        'ciliumnetworkpolicy.cilium.io/frontend created',
        '',
        'Flows whose verdict would change:',
        '  monitoring/prometheus -> shop/backend TCP/9090 1 connection: FORWARDED -> DROPPED (recorded FORWARDED), decided by CiliumNetworkPolicy shop/backend: ingress default deny, no rule allows it',
        '',
      ].join('\n'),
    );
  });

  it('reads the export from standard input, and exits 0 when nothing would change', () => {
    const r = ci('replay', ['-', '--with', 'shop-policies.yaml'], FIXTURES, { stdin: '' });

    expect(r.code).toBe(0);
    expect(r.out).toContain('Flows whose verdict would change:\n  (none)\n');
  });

  it("exits 2 for an export line that is not Hubble's JSON, naming the line", () => {
    const r = ci('replay', ['-', '--with', 'shop-policies.yaml'], FIXTURES, { stdin: '{"flow":{"verdict":"FORWARDED"}}\n{oops\n' });

    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^-:2: not a JSON object: /);
  });

  it("judges a session's recorded flows against a directory of policies, as a dry run", () => {
    const sim = createSimulator({ seed: 1 }, nodeHostFiles(POLICY_REPO));
    const script = [
      'kubectl apply -f apps/star-wars.yaml',
      'kubectl exec xwing -- curl -s -XPOST deathstar.default.svc.cluster.local/v1/request-landing',
      'kubectl exec tiefighter -- curl -s -XPOST deathstar.default.svc.cluster.local/v1/request-landing',
      'cilium-sim replay --with policies',
      'kubectl get cnp',
    ].join('\n');

    const out = runScript(script, sim.session, { name: 'replay.sh' }).transcript;

    expect(out).toContain(
      [
        '$ cilium-sim replay --with policies',
        'ciliumnetworkpolicy.cilium.io/client-egress created (server dry run)',
        'ciliumnetworkpolicy.cilium.io/deathstar-landing created (server dry run)',
        'ciliumnetworkpolicy.cilium.io/web-ingress created (server dry run)',
        '',
        'Flows whose verdict would change:',
        '  default/xwing -> default/deathstar TCP/80 1 connection: FORWARDED -> DROPPED (recorded FORWARDED), decided by CiliumNetworkPolicy default/deathstar-landing: ingress default deny, no rule allows it',
        '$ kubectl get cnp',
      ].join('\n'),
    );
    // A dry run: nothing was applied.
    expect(out).toContain('$ kubectl get cnp\nNo resources found in default namespace.');
  });

  it('gives the same verdict changes for kubectl apply --dry-run=server -f DIR, and kubectl applies and deletes a directory as its files', () => {
    const sim = createSimulator({ seed: 1 }, nodeHostFiles(POLICY_REPO));
    const script = [
      'kubectl apply -f apps/star-wars.yaml',
      'kubectl exec xwing -- curl -s -XPOST deathstar.default.svc.cluster.local/v1/request-landing',
      'kubectl apply --dry-run=server -f policies/',
      'kubectl apply -f policies',
      'kubectl delete -f policies/',
    ].join('\n');

    const out = runScript(script, sim.session, { name: 'dry-run.sh' }).transcript;

    expect(out).toContain(
      [
        'Observed traffic whose verdict would change:',
        '  default/xwing -> default/deathstar TCP/80 1 connection: FORWARDED -> DROPPED (recorded FORWARDED), decided by CiliumNetworkPolicy default/deathstar-landing: ingress default deny, no rule allows it',
        '$ kubectl apply -f policies',
        'ciliumnetworkpolicy.cilium.io/client-egress created',
        'ciliumnetworkpolicy.cilium.io/deathstar-landing created',
        'ciliumnetworkpolicy.cilium.io/web-ingress created',
        '$ kubectl delete -f policies/',
        'ciliumnetworkpolicy.cilium.io "client-egress" deleted',
        'ciliumnetworkpolicy.cilium.io "deathstar-landing" deleted',
        'ciliumnetworkpolicy.cilium.io "web-ingress" deleted',
      ].join('\n'),
    );
  });
});
