import { describe, expect, it } from 'vitest';
import { formatCiliumStatus } from '../../../src/cilium/printers/status.ts';
import { formatAgentEncryptStatus, formatClusterEncryptStatus } from '../../../src/cilium/printers/encryptStatus.ts';

describe('formatCiliumStatus (cilium status)', () => {
  it('aligns the logo block and the workload block separately', () => {
    const out = formatCiliumStatus({
      summary: { cilium: 'OK', operator: 'OK', envoyDaemonSet: 'OK', hubbleRelay: 'disabled', clusterMesh: 'disabled' },
      workloads: [
        { kind: 'Deployment', name: 'cilium-operator', desired: 1, ready: 1, available: 1, unavailable: 0 },
        { kind: 'DaemonSet', name: 'cilium', desired: 3, ready: 3, available: 3, unavailable: 0 },
        { kind: 'DaemonSet', name: 'cilium-envoy', desired: 3, ready: 3, available: 3, unavailable: 0 },
      ],
      containers: [
        { name: 'cilium-operator', phases: { Running: 1 } },
        { name: 'cilium', phases: { Running: 3 } },
      ],
      clusterPods: { managed: 7, total: 7 },
      helmChartVersion: '1.16.0',
      images: [{ name: 'cilium', image: 'quay.io/cilium/cilium:v1.16.0', count: 3 }],
    });
    expect(out).toMatchInlineSnapshot(`
      "    /¯¯\\
       /¯¯\\__/¯¯\\    Cilium:             OK
       \\__/¯¯\\__/    Operator:           OK
       /¯¯\\__/¯¯\\    Envoy DaemonSet:    OK
       \\__/¯¯\\__/    Hubble Relay:       disabled
          \\__/       ClusterMesh:        disabled

      DaemonSet              cilium             Desired: 3, Ready: 3/3, Available: 3/3
      DaemonSet              cilium-envoy       Desired: 3, Ready: 3/3, Available: 3/3
      Deployment             cilium-operator    Desired: 1, Ready: 1/1, Available: 1/1
      Containers:            cilium             Running: 3
                             cilium-operator    Running: 1
      Cluster Pods:          7/7 managed by Cilium
      Helm chart version:    1.16.0
      Image versions         cilium    quay.io/cilium/cilium:v1.16.0: 3
      "
    `);
  });
});

describe('encrypt status', () => {
  it('sums modes over the nodes on the host, one mode in the agent', () => {
    expect(formatClusterEncryptStatus(['Disabled', 'Disabled', 'Disabled'])).toBe('Encryption: Disabled (3/3 nodes)\n\n');
    expect(formatAgentEncryptStatus('Wireguard')).toBe('Encryption: Wireguard\n');
  });
});
