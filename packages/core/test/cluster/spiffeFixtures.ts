import { Cluster } from '../../src/cluster/cluster.ts';

/**
 * A cluster as the sock-shop TLS lab runs it: SPIRE without Cilium's mutual auth, trust domain
 * example.org, no entries but the user's, and the spiffeTlsUpgrade extension. Pods talk to each
 * other by IP, so no policy needs DNS.
 */
export function spiffeCluster(seed = 1): Cluster {
  const cluster = Cluster.create({
    seed,
    mutualAuth: false,
    trustDomain: 'example.org',
    spire: { enabled: true, operatorEntries: false },
    extensions: ['spiffeTlsUpgrade'],
  });
  cluster.apply(PODS);
  return cluster;
}

export const PODS = `apiVersion: v1
kind: Pod
metadata: { name: carts, labels: { name: carts } }
spec: { containers: [{ name: carts, image: nginx, ports: [{ containerPort: 80 }] }] }
---
apiVersion: v1
kind: Pod
metadata: { name: front-end, labels: { name: front-end } }
spec: { containers: [{ name: front-end, image: nicolaka/netshoot }] }
---
apiVersion: v1
kind: Pod
metadata: { name: orders, labels: { name: orders } }
spec: { containers: [{ name: orders, image: nicolaka/netshoot }] }
`;

export const AGENT_ALIAS = 'spiffe://example.org/ns/cilium-spire/sa/spire-agent';

/** The node alias of every SPIRE agent, then one entry per named pod (`name: <pod>` label). */
export function register(cluster: Cluster, ...names: string[]): void {
  const server = cluster.spireServer()!;
  if (server.listEntries({ spiffeId: AGENT_ALIAS }).length === 0) {
    server.createEntry({
      spiffeId: AGENT_ALIAS,
      node: true,
      selectors: ['k8s_psat:agent_ns:cilium-spire', 'k8s_psat:agent_sa:spire-agent'],
    });
  }
  for (const name of names) {
    server.createEntry({
      spiffeId: `spiffe://example.org/${name}`,
      parentId: AGENT_ALIAS,
      selectors: ['k8s:ns:default', `k8s:pod-label:name:${name}`],
    });
  }
}

/** front-end (or `client`) originates TLS to carts:443 for carts:80; carts terminates 443 to 80. */
export function upgradePolicies(opts: { serverIds?: string[]; clientIds?: string[]; client?: string } = {}): string {
  const client = opts.client ?? 'front-end';
  const serverIds = opts.serverIds ?? ['spiffe://example.org/carts'];
  const clientIds = opts.clientIds ?? ['spiffe://example.org/front-end'];
  return `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: ${client}-originate }
spec:
  endpointSelector: { matchLabels: { name: ${client} } }
  egress:
  - toEndpoints: [{ matchLabels: { name: carts } }]
    toPorts:
    - ports: [{ port: "80", protocol: TCP }]
      originatingTLS: { spiffe: { peerIDs: ${JSON.stringify(serverIds)} }, dstPort: 443 }
      rules: { http: [{}] }
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: carts-terminate }
spec:
  endpointSelector: { matchLabels: { name: carts } }
  ingress:
  - toPorts:
    - ports: [{ port: "443", protocol: TCP }]
      terminatingTLS: { spiffe: { peerIDs: ${JSON.stringify(clientIds)} }, dstPort: 80 }
      rules: { http: [{}] }
`;
}

/** curl from `pod` to carts' pod IP (port 80 unless given): the status, or `exit N`. */
export function curlCarts(cluster: Cluster, pod: string, port = 80): string {
  const ip = cluster.get('Pod', 'carts', 'default')!.status.podIP!;
  const r = cluster.exec(`default/${pod}`).curl({ url: `http://${ip}:${port}/`, connectTimeoutMs: 2000 });
  return r.kind === 'error' ? `exit ${r.code}` : `${r.response.status}${r.response.status === 503 ? ` ${r.response.body}` : ''}`;
}
