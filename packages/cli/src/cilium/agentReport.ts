import { behaviourIn, type Cluster } from '@cilium-sim/core';
import type { AgentStatusReport } from './printers/agentStatus.ts';

/**
 * What the agent on `node` reports about itself (`cilium-dbg status` in its pod), read from the
 * cluster: its version, kube-proxy replacement, the node's pod CIDR and the addresses taken
 * (its endpoints, cilium_host and the health endpoint), the proxy redirects of its endpoints,
 * its Hubble ring, encryption, and the nodes it reaches.
 */
export function agentReport(cluster: Cluster, node: string): AgentStatusReport {
  const version = cluster.options.ciliumVersion;
  const info = cluster.inspect.node(node);
  const cidr = cluster.get('Node', node)?.spec.podCIDR ?? '10.244.0.0/24';
  const endpoints = cluster.inspect.endpoints().filter((e) => e.nodeName === node);
  const flows = cluster.flows({ whitelist: [{ nodeName: [node] }] });
  const capacity = cluster.inspect.hubbleStatus().capacityPerNode;
  const spanS = flows.length < 2 ? 1 : Math.max(1, (flowNs(flows.at(-1)!) - flowNs(flows[0]!)) / 1e9);
  const nodes = cluster.inspect.nodes().length;
  const encryption = cluster.options.encryption;
  return {
    release: version.release,
    nodeIp: info?.ip ?? '',
    kubeProxyReplacement: cluster.inspect.config()['kube-proxy-replacement'] === 'true',
    ipam: { cidr, allocated: endpoints.length + 2 },
    routerIp: routerIp(cidr),
    proxyRedirects: endpoints.reduce((n, ep) => n + redirects(cluster, ep.identity), 0),
    envoy: behaviourIn(version, 'envoy-daemonset') ? 'external' : 'embedded',
    hubble: { current: Math.min(flows.length, capacity), max: capacity, flowsPerSecond: flows.length / spanS },
    encryption: encryption === 'wireguard' ? 'Wireguard' : encryption === 'ipsec' ? 'IPsec' : 'Disabled',
    nodes: { reachable: nodes, total: nodes },
    healthCheckedAt: new Date(cluster.now().epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

/** cilium_host takes the first address of the node's pod CIDR. */
function routerIp(cidr: string): string {
  const octets = (cidr.split('/')[0] ?? '').split('.').map(Number);
  octets[3] = (octets[3] ?? 0) + 1;
  return octets.join('.');
}

/** One proxy redirect per port and direction the identity's policy sends to the L7 proxy. */
function redirects(cluster: Cluster, identity: number): number {
  const ports = new Set<string>();
  for (const [key, entry] of cluster.inspect.policyMap(identity).entries()) {
    if (entry.l7 !== undefined) ports.add(`${key.direction}/${key.proto}/${key.port}`);
  }
  return ports.size;
}

function flowNs(f: { readonly time?: string }): number {
  return f.time === undefined ? 0 : Date.parse(f.time) * 1e6;
}
