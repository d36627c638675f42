import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../src/simulator.ts';
import { nodeHostFiles } from '../../src/node/nodeHostFiles.ts';

// The cilium commands as a session runs them: cilium-cli on the host, the agent's CLI in its pod.
function session(options: { encryption?: 'disabled' | 'wireguard' } = {}) {
  return createSimulator({ seed: 1, ...options }, nodeHostFiles(process.cwd())).session;
}

const IN_AGENT = 'kubectl -n kube-system exec ds/cilium -c cilium-agent --';

describe('cilium encryption status (cilium-cli)', () => {
  it('sums up every agent, per node on request, or as JSON', () => {
    const s = session({ encryption: 'wireguard' });

    expect(s.run('cilium encryption status').stdout).toBe('Encryption: Wireguard (3/3 nodes)\n\n');
    expect(s.run('cilium encryption status --node kind-worker').stdout).toBe('Encryption: Wireguard (1/1 nodes)\n\n');
    expect(s.run('cilium encryption status --per-node-details').stdout).toMatch(/^Node: kind-control-plane\nEncryption: Wireguard\n/);
    expect(JSON.parse(s.run('cilium encryption status -o json').stdout)).toMatchObject({
      'total-node-count': 3,
      'enc-wireguard-node-count': 3,
      'enc-disabled-node-count': 0,
    });
    expect(s.run('cilium encryption status --node nowhere')).toMatchObject({ exitCode: 1 });
  });
});

describe('cilium-dbg status in an agent pod', () => {
  it("prints the agent's own report, not cilium-cli's box", () => {
    const s = session();
    s.run('kubectl apply -f https://raw.githubusercontent.com/cilium/cilium/HEAD/examples/minikube/http-sw-app.yaml');

    const report = s.run(`${IN_AGENT} cilium-dbg status`).stdout;

    expect(report).toMatchInlineSnapshot(`
      "KVStore:                 Ok   Disabled
      Kubernetes:              Ok   1.29 (v1.29.2) [linux/amd64]
      Kubernetes APIs:         ["EndpointSliceOrEndpoint", "cilium/v2::CiliumClusterwideNetworkPolicy", "cilium/v2::CiliumEndpoint", "cilium/v2::CiliumNetworkPolicy", "cilium/v2::CiliumNode", "cilium/v2alpha1::CiliumCIDRGroup", "core/v1::Namespace", "core/v1::Pods", "core/v1::Service", "networking.k8s.io/v1::NetworkPolicy"]
      KubeProxyReplacement:    True   [eth0   172.18.0.2 (Direct Routing)]
      Host firewall:           Disabled
      SRv6:                    Disabled
      CNI Chaining:            none
      CNI Config file:         successfully wrote CNI configuration file to /host/etc/cni/net.d/05-cilium.conflist
      Cilium:                  Ok   1.16.0 (v1.16.0)
      NodeMonitor:             Listening for events on 8 CPUs with 64x4096 of shared memory
      Cilium health daemon:    Ok   
      IPAM:                    IPv4: 4/254 allocated from 10.244.0.0/24, 
      IPv4 BIG TCP:            Disabled
      IPv6 BIG TCP:            Disabled
      BandwidthManager:        Disabled
      Routing:                 Network: Tunnel [vxlan]   Host: Legacy
      Attach Mode:             TCX
      Device Mode:             veth
      Masquerading:            IPTables [IPv4: Enabled, IPv6: Disabled]
      Controller Status:       28/28 healthy
      Proxy Status:            OK, ip 10.244.0.1, 0 redirects active on ports 10000-20000, Envoy: external
      Global Identity Range:   min 256, max 65535
      Hubble:                  Ok              Current/Max Flows: 0/4095 (0.00%), Flows/s: 0.00   Metrics: Disabled
      Encryption:              Disabled        
      Cluster health:          3/3 reachable   (2024-07-04T17:58:00Z)
      Modules Health:          Stopped(0) Degraded(0) OK(11)
      "
    `);
    expect(report).not.toContain('/¯¯\\');
  });
});

describe('commands of the real tools the simulator leaves out', () => {
  it.each([
    [
      'cilium install --version 1.16.0',
      'Error: "cilium install" is not modelled by cilium-sim; the simulated cluster comes with Cilium installed; pick its version with cilium-sim --cilium-version\n',
    ],
    [
      'cilium connectivity test',
      'Error: "cilium connectivity test" is not modelled by cilium-sim; send traffic with kubectl exec POD -- curl ..., and read the verdicts with hubble observe\n',
    ],
    ['cilium clustermesh status', 'Error: "cilium clustermesh status" is not modelled by cilium-sim; the simulator runs one cluster\n'],
    [
      'cilium upgrade',
      'Error: "cilium upgrade" is not modelled by cilium-sim; pick the Cilium version with cilium-sim --cilium-version, and change options with cilium config set\n',
    ],
    [
      `${IN_AGENT} cilium-dbg bpf auth list`,
      'Error: "cilium-dbg bpf auth" is not modelled by cilium-sim\ncommand terminated with exit code 1\n',
    ],
  ])('%s says it is not modelled, exit 1', (command, stderr) => {
    const r = session().run(command);

    expect(r).toMatchObject({ stdout: '', stderr, exitCode: 1 });
  });

  it('still calls a command no version of the tool has unknown', () => {
    expect(session().run('cilium frobnicate').stderr).toBe(
      'Error: unknown command "frobnicate" for "cilium"\nRun \'cilium --help\' for usage.\n',
    );
  });
});

describe('cilium version', () => {
  it('leaves the running version out with --client', () => {
    expect(session().run('cilium version --client').stdout).toBe(
      'cilium-cli: v0.16.13 compiled with go1.22.5 on linux/amd64\ncilium image (default): v1.16.0\ncilium image (stable): v1.16.0\n',
    );
  });
});
