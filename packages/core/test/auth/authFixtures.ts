import { Cluster, type ClusterOptions } from '../../src/index.ts';
import type { AuthEntry } from '../../src/datapath/authMap.ts';

/**
 * A small mutual-auth world: `server` on kind-worker, `client` and `peer` on kind-worker2,
 * `local` next to the server on kind-worker. The policy lets client, peer and local reach
 * server:80 and requires SPIRE authentication for all of them.
 */
export const PODS = `
apiVersion: v1
kind: Pod
metadata: { name: server, labels: { app: server } }
spec: { nodeName: kind-worker, containers: [{ name: web, image: nginx, ports: [{ containerPort: 80 }] }] }
---
apiVersion: v1
kind: Pod
metadata: { name: client, labels: { app: client, role: caller } }
spec: { nodeName: kind-worker2, containers: [{ name: c, image: nicolaka/netshoot }] }
---
apiVersion: v1
kind: Pod
metadata: { name: peer, labels: { app: peer, role: caller } }
spec: { nodeName: kind-worker2, containers: [{ name: c, image: nicolaka/netshoot }] }
---
apiVersion: v1
kind: Pod
metadata: { name: local, labels: { app: local, role: caller } }
spec: { nodeName: kind-worker, containers: [{ name: c, image: nicolaka/netshoot }] }
`;

export function policy(mode: 'required' | 'disabled' | 'test-always-fail' | 'none'): string {
  const auth = mode === 'none' ? '' : `\n    authentication: { mode: ${mode} }`;
  return `
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: server-auth }
spec:
  endpointSelector: { matchLabels: { app: server } }
  ingress:
  - fromEndpoints: [{ matchLabels: { role: caller } }]
    toPorts: [{ ports: [{ port: "80", protocol: TCP }] }]${auth}
`;
}

export function authCluster(mode: Parameters<typeof policy>[0] = 'required', options: ClusterOptions = {}): Cluster {
  const cluster = Cluster.create({ seed: 1, ...options });
  cluster.setConfig('debug', 'true');
  cluster.apply(PODS);
  cluster.apply(policy(mode));
  // Let the operator register the new identities and the SPIRE agents fetch their SVIDs.
  cluster.advance('1s');
  return cluster;
}

export function serverIp(cluster: Cluster): string {
  return cluster.get('Pod', 'server', 'default')!.status.podIP!;
}

/** curl from `pod` to the server: the HTTP status, or `exit N`. */
export function call(cluster: Cluster, pod = 'client', connectTimeoutMs = 1000): string {
  const r = cluster.exec(`default/${pod}`).curl({ url: `http://${serverIp(cluster)}/`, connectTimeoutMs });
  return r.kind === 'response' ? String(r.response.status) : `exit ${r.code}`;
}

export function identityOf(cluster: Cluster, pod: string): number {
  return cluster.inspect.endpoint('default', pod)!.identity;
}

/** The auth map entries of the server's node. */
export function serverAuthEntries(cluster: Cluster): readonly AuthEntry[] {
  return cluster.inspect.authMap('kind-worker');
}

/** The node's agent log lines of `subsys=auth` (and `spire-delegate` unless told), as `level msg: error` text. */
export function authLog(cluster: Cluster, node = 'kind-worker', only?: 'auth'): string[] {
  return cluster.inspect
    .agentLog(node)
    .filter((l) => l.subsys === 'auth' || (only === undefined && l.subsys === 'spire-delegate'))
    .map((l) => {
      const err = l.fields.find(([k]) => k === 'error');
      return `${l.level} ${l.msg}${err === undefined ? '' : `: ${err[1]}`}`;
    });
}
