import { cidrContains, intToIp, ipToInt } from '../ipv4.ts';
import type { Rng } from '../sim/rng.ts';
import type { Node, Pod, Service } from './builtinObjects.ts';

/**
 * Address plan of the simulated kind cluster:
 * - node i (0 = control plane) owns pod CIDR 10.244.i.0/24 and has InternalIP 172.18.0.(i+2),
 *   as kind's docker network hands them out;
 * - .0, .1 (Cilium's router address, cilium_host) and .255 of a pod CIDR never go to pods;
 * - Service ClusterIPs come from 10.96.0.0/12; 10.96.0.1 is `kubernetes`, 10.96.0.10 `kube-dns`.
 */
export const SERVICE_CIDR = '10.96.0.0/12';
/** Every node's pod CIDR lies in this cluster-pool range; nodes' InternalIPs in kind's docker network. */
export const POD_CIDR = '10.244.0.0/16';
export const NODE_NETWORK = '172.18.0.0/16';
export const KUBERNETES_SERVICE_IP = '10.96.0.1';
export const KUBE_DNS_SERVICE_IP = '10.96.0.10';
export const NODE_PORT_MIN = 30000;
export const NODE_PORT_MAX = 32767;

const SERVICE_BASE = ipToInt('10.96.0.0');
const SERVICE_SIZE = 1 << 20;
const DRAWS_BEFORE_SCAN = 64;

/** Nodes beyond this many get a /26 each (Cilium's cluster-pool-ipv4-mask-size lowered), so 1,024 fit the /16. */
export const MAX_NODES_WITH_SLASH_24 = 250;

/**
 * The pod CIDR of node `index` in a cluster of `count` nodes: a /24 each as kind gives, or in a
 * cluster of more than 250 nodes a /26 each (61 pods per node), as a large cluster-pool would.
 */
export function nodePodCidr(index: number, count = 1): string {
  if (count <= MAX_NODES_WITH_SLASH_24) return `10.244.${index}.0/24`;
  return `${intToIp(ipToInt('10.244.0.0') + index * 64)}/26`;
}

/** kind's docker network gives nodes 172.18.0.2 onwards; past .255 it carries on in 172.18.1.0. */
export function nodeInternalIp(index: number): string {
  return intToIp(ipToInt('172.18.0.0') + index + 2);
}

/** The `cilium_host` address of node `index`: the first address of its pod CIDR. */
export function nodeRouterIp(index: number): string {
  return `10.244.${index}.1`;
}

export function nodeIp(node: Node): string {
  return node.status.addresses.find((a) => a.type === 'InternalIP')?.address ?? '';
}

/** The addresses taken, as the allocators ask about them. */
export interface IpSet {
  has(ip: string): boolean;
}

/** Pod IPs in use: every pod with an address of its own (hostNetwork pods share the node's). */
export function usedPodIps(pods: Iterable<Pod>): Set<string> {
  const used = new Set<string>();
  for (const p of pods) {
    if (p.spec.hostNetwork !== true && p.status.podIP !== undefined) used.add(p.status.podIP);
  }
  return used;
}

/**
 * A free address of the node's pod CIDR, drawn from the Rng, or undefined when the /24 is full
 * (the pod then stays Pending, as with a real exhausted IPAM pool).
 */
export function allocatePodIp(node: Node, used: IpSet, rng: Rng): string | undefined {
  const { size, format } = podCidrOf(node.spec.podCIDR);
  // The network address, the router's (.1) and the broadcast address never go to pods.
  return drawFree(2, size - 2, format, used, rng);
}

/** A pod CIDR's size and the address at an offset: read once per CIDR, as every pod of a node asks. */
function podCidrOf(cidr: string): { size: number; format: (host: number) => string } {
  let out = podCidrs.get(cidr);
  if (out === undefined) {
    const [net, bits] = cidr.split('/');
    const base = ipToInt(net!);
    out = { size: 2 ** (32 - Number(bits)), format: (host) => intToIp(base + host) };
    if (podCidrs.size >= 4096) podCidrs.clear();
    podCidrs.set(cidr, out);
  }
  return out;
}

const podCidrs = new Map<string, { size: number; format: (host: number) => string }>();

/** A free ClusterIP of 10.96.0.0/12, drawn from the Rng; the two well-known ones are skipped. */
export function allocateClusterIp(services: Iterable<Service>, rng: Rng): string | undefined {
  const used = new Set([KUBERNETES_SERVICE_IP, KUBE_DNS_SERVICE_IP]);
  for (const s of services) used.add(s.spec.clusterIP);
  return drawFree(1, SERVICE_SIZE - 2, (off) => intToIp(SERVICE_BASE + off), used, rng);
}

export function inServiceCidr(ip: string): boolean {
  return cidrContains(SERVICE_CIDR, ip);
}

/** A free NodePort in 30000-32767. */
export function allocateNodePort(used: ReadonlySet<number>, rng: Rng): number | undefined {
  const port = drawFree(NODE_PORT_MIN, NODE_PORT_MAX, String, new Set([...used].map(String)), rng);
  return port === undefined ? undefined : Number(port);
}

/** Random draws first (realistic spread), then a linear scan so a nearly full pool still works. */
function drawFree(min: number, max: number, format: (n: number) => string, used: IpSet, rng: Rng): string | undefined {
  for (let i = 0; i < DRAWS_BEFORE_SCAN; i++) {
    const candidate = format(rng.int(min, max));
    if (!used.has(candidate)) return candidate;
  }
  for (let n = min; n <= max; n++) {
    const candidate = format(n);
    if (!used.has(candidate)) return candidate;
  }
  return undefined;
}

/** True for an address of the cluster's own ranges (pods, Services, nodes): never "the world". */
export function isClusterAddress(ip: string): boolean {
  return cidrContains(POD_CIDR, ip) || cidrContains(SERVICE_CIDR, ip) || cidrContains(NODE_NETWORK, ip);
}

export { cidrContains, intToIp, ipToInt };
