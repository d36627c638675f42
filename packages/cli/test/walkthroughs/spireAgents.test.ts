import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../src/simulator.ts';
import { nodeHostFiles } from '../../src/node/nodeHostFiles.ts';

// `spire-server agent list` as the mutual-authentication lab shows it: one agent per kind node,
// its ID carrying the cluster name (kind-kind) and the node's UID, and each expiring an hour after
// its own attestation, when its pod came up.
const AGENT_LIST = 'kubectl exec -n cilium-spire spire-server-0 -c spire-server -- /opt/spire/bin/spire-server agent list';

describe('spire-server agent list', () => {
  it("lists the three nodes' agents under kind-kind, each with its own expiry", () => {
    const s = createSimulator({ seed: 1 }, nodeHostFiles(process.cwd())).session;

    const list = s.run(AGENT_LIST).stdout;

    expect(list).toMatchInlineSnapshot(`
      "Found 3 attested agents:

      SPIFFE ID         : spiffe://spiffe.cilium/spire/agent/k8s_psat/kind-kind/5e1996c7-c5dd-4f72-baab-02144df27d30
      Attestation type  : k8s_psat
      Expiration time   : 2024-07-04 18:48:58 +0000 UTC
      Serial number     : 138804236497055969951325854706740917109
      Can re-attest     : true

      SPIFFE ID         : spiffe://spiffe.cilium/spire/agent/k8s_psat/kind-kind/c88fc756-1eb2-4062-b7bd-260e13d81a11
      Attestation type  : k8s_psat
      Expiration time   : 2024-07-04 18:48:57 +0000 UTC
      Serial number     : 18030820022665861714890737521507471752
      Can re-attest     : true

      SPIFFE ID         : spiffe://spiffe.cilium/spire/agent/k8s_psat/kind-kind/f278435e-ceec-4839-9426-b6a2265a2925
      Attestation type  : k8s_psat
      Expiration time   : 2024-07-04 18:48:38 +0000 UTC
      Serial number     : 134524588962626197053687671946283855339
      Can re-attest     : true

      "
    `);
    const expiries = [...list.matchAll(/^Expiration time {3}: (.+)$/gm)].map((m) => m[1]);
    expect(new Set(expiries).size).toBe(3);
  });

  it('names the agents after the cluster name the cluster options give', () => {
    const s = createSimulator({ seed: 1, clusterName: 'lab' }, nodeHostFiles(process.cwd())).session;

    expect(s.run(AGENT_LIST).stdout.match(/k8s_psat\/lab\/[0-9a-f-]{36}$/gm)).toHaveLength(3);
  });

  it('renews each agent at half its lifetime, so the expiries move on from there', () => {
    const s = createSimulator({ seed: 1 }, nodeHostFiles(process.cwd())).session;
    const expiries = (): string[] => [...s.run(AGENT_LIST).stdout.matchAll(/^Expiration time {3}: (.+)$/gm)].map((m) => m[1]!);
    const before = expiries();

    s.run('sleep 25m');

    expect(expiries().every((e, i) => e !== before[i])).toBe(true);
  });
});
