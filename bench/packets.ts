import { Cluster } from '../packages/core/src/index.ts';

/**
 * Simulated packets per wall second, end to end: curls from client pods to a server
 * Deployment under an L3/L4 policy, with Hubble recording every flow. Each curl is a TCP
 * handshake, request, response and close through both nodes' datapaths.
 */
export function packetsPerSecond(curls: number): { packets: number; perSecond: number; flows: number } {
  const cluster = Cluster.create({ seed: 7, mutualAuth: false });
  cluster.apply(MANIFEST);
  const clients = cluster.list('Pod', 'default').filter((p) => p.metadata.labels['app'] === 'client').map((p) => `default/${p.metadata.name}`);
  const before = cluster.network.datapath.packets;
  const start = performance.now();
  for (let i = 0; i < curls; i++) {
    const r = cluster.exec(clients[i % clients.length]!).curl({ url: 'http://server/', connectTimeoutMs: 1000 });
    if (r.kind !== 'response') throw new Error(`benchmark curl failed: ${JSON.stringify(r)}`);
  }
  const seconds = (performance.now() - start) / 1000;
  const packets = cluster.network.datapath.packets - before;
  return { packets, perSecond: packets / seconds, flows: cluster.flows().length };
}

const MANIFEST = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: server }
spec:
  replicas: 2
  selector: { matchLabels: { app: server } }
  template:
    metadata: { labels: { app: server } }
    spec: { containers: [{ name: web, image: nginx, ports: [{ containerPort: 80 }] }] }
---
apiVersion: v1
kind: Service
metadata: { name: server }
spec: { selector: { app: server }, ports: [{ port: 80 }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: client }
spec:
  replicas: 4
  selector: { matchLabels: { app: client } }
  template:
    metadata: { labels: { app: client } }
    spec: { containers: [{ name: c, image: curlimages/curl }] }
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: server-ingress }
spec:
  endpointSelector: { matchLabels: { app: server } }
  ingress:
  - fromEndpoints: [{ matchLabels: { app: client } }]
    toPorts: [{ ports: [{ port: "80", protocol: TCP }] }]
`;
