import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../src/simulator.ts';
import { nodeHostFiles } from '../../src/node/nodeHostFiles.ts';

// A manifest of a kind the cluster has no CRD for: kubectl's REST mapper names the object as it
// is written (no namespace filled in), the file, the kind and version, and says to install the
// CRDs; the other objects of the file are still applied.
const FILES = new Map([
  [
    'pool.yaml',
    `apiVersion: cilium.io/v2alpha1
kind: CiliumLoadBalancerIPPool
metadata:
  name: blue-pool
spec:
  blocks: [{ cidr: 20.0.10.0/24 }]
---
apiVersion: v1
kind: Namespace
metadata:
  name: economy
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: hubble
  namespace: kube-system
`,
  ],
]);

describe('kubectl apply of a kind the cluster does not serve', () => {
  it('says which object has no resource mapping and applies the rest', () => {
    const sim = createSimulator({ seed: 1, mutualAuth: false }, nodeHostFiles(process.cwd()), FILES);
    const r = sim.session.run('kubectl apply -f pool.yaml -n economy');
    expect(r.stdout).toBe('namespace/economy created\n');
    expect(r.stderr).toBe(
      'error: resource mapping not found for name: "blue-pool" namespace: "" from "pool.yaml": no matches for kind "CiliumLoadBalancerIPPool" in version "cilium.io/v2alpha1"\n' +
        'ensure CRDs are installed first\n' +
        'error: resource mapping not found for name: "hubble" namespace: "kube-system" from "pool.yaml": no matches for kind "ServiceMonitor" in version "monitoring.coreos.com/v1"\n' +
        'ensure CRDs are installed first\n',
    );
    expect(r.exitCode).toBe(1);
  });
});
