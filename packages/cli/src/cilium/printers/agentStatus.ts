import { tabwriteText as tabwrite } from '@cilium-sim/core';

/**
 * `cilium-dbg status` in an agent pod: the agent's own report on its node (cilium-dbg's
 * FormatStatusResponse, tabwriter minwidth 2, padding 3), not cilium-cli's box. The lines are
 * those of a Cilium 1.16 agent on a kind node; the simulator fills in what it models (the
 * version, kube-proxy replacement, IPAM, the proxy, Hubble's ring, encryption, node health).
 */
export interface AgentStatusReport {
  /** The agent's release, `1.16.0`. */
  readonly release: string;
  readonly nodeIp: string;
  readonly kubeProxyReplacement: boolean;
  /** The node's pod CIDR and how many of its addresses are taken (endpoints, router, health). */
  readonly ipam: { readonly cidr: string; readonly allocated: number };
  /** The node's cilium_host address, where the proxy listens. */
  readonly routerIp: string;
  readonly proxyRedirects: number;
  readonly envoy: 'external' | 'embedded';
  readonly hubble: { readonly current: number; readonly max: number; readonly flowsPerSecond: number };
  readonly encryption: 'Disabled' | 'Wireguard' | 'IPsec';
  readonly nodes: { readonly reachable: number; readonly total: number };
  /** When the health checks last ran, RFC 3339. */
  readonly healthCheckedAt: string;
}

/** The Kubernetes API groups a 1.16 agent watches, as it lists them. */
const KUBERNETES_APIS = [
  'EndpointSliceOrEndpoint',
  'cilium/v2::CiliumClusterwideNetworkPolicy',
  'cilium/v2::CiliumEndpoint',
  'cilium/v2::CiliumNetworkPolicy',
  'cilium/v2::CiliumNode',
  'cilium/v2alpha1::CiliumCIDRGroup',
  'core/v1::Namespace',
  'core/v1::Pods',
  'core/v1::Service',
  'networking.k8s.io/v1::NetworkPolicy',
];

export function formatAgentStatus(r: AgentStatusReport): string {
  const size = 2 ** (32 - Number(r.ipam.cidr.split('/')[1] ?? 24)) - 2;
  const flows = r.hubble.max === 0 ? 0 : (100 * r.hubble.current) / r.hubble.max;
  const lines = [
    'KVStore:\tOk\tDisabled',
    'Kubernetes:\tOk\t1.29 (v1.29.2) [linux/amd64]',
    `Kubernetes APIs:\t[${KUBERNETES_APIS.map((a) => JSON.stringify(a)).join(', ')}]`,
    r.kubeProxyReplacement ? `KubeProxyReplacement:\tTrue\t[eth0   ${r.nodeIp} (Direct Routing)]` : 'KubeProxyReplacement:\tFalse',
    'Host firewall:\tDisabled',
    'SRv6:\tDisabled',
    'CNI Chaining:\tnone',
    'CNI Config file:\tsuccessfully wrote CNI configuration file to /host/etc/cni/net.d/05-cilium.conflist',
    `Cilium:\tOk   ${r.release} (v${r.release})`,
    'NodeMonitor:\tListening for events on 8 CPUs with 64x4096 of shared memory',
    'Cilium health daemon:\tOk   ',
    `IPAM:\tIPv4: ${r.ipam.allocated}/${size} allocated from ${r.ipam.cidr}, `,
    'IPv4 BIG TCP:\tDisabled',
    'IPv6 BIG TCP:\tDisabled',
    'BandwidthManager:\tDisabled',
    'Routing:\tNetwork: Tunnel [vxlan]   Host: Legacy',
    'Attach Mode:\tTCX',
    'Device Mode:\tveth',
    'Masquerading:\tIPTables [IPv4: Enabled, IPv6: Disabled]',
    'Controller Status:\t28/28 healthy',
    `Proxy Status:\tOK, ip ${r.routerIp}, ${r.proxyRedirects} redirects active on ports 10000-20000, Envoy: ${r.envoy}`,
    'Global Identity Range:\tmin 256, max 65535',
    `Hubble:\tOk\tCurrent/Max Flows: ${r.hubble.current}/${r.hubble.max} (${flows.toFixed(2)}%), Flows/s: ${r.hubble.flowsPerSecond.toFixed(2)}   Metrics: Disabled`,
    `Encryption:\t${r.encryption}\t`,
    `Cluster health:\t${r.nodes.reachable}/${r.nodes.total} reachable\t(${r.healthCheckedAt})`,
    'Modules Health:\tStopped(0) Degraded(0) OK(11)',
  ];
  return tabwrite(`${lines.join('\n')}\n`, { minWidth: 2, padding: 3 });
}
