import { cpuUsage } from 'node:process';
import { Cluster } from '../packages/core/src/index.ts';

export interface PacketRate {
  readonly packets: number;
  readonly perSecond: number;
  /** Flows Hubble recorded for them. */
  readonly flows: number;
  /** Packets per CPU second of this process: less disturbed than wall time when the machine is shared. */
  readonly perCpuSecond: number;
}

/**
 * Simulated packets per wall second, end to end: client pods stream data to a server
 * Deployment behind a Service under an L3/L4 policy (`nc server 80 < file`: a TCP handshake,
 * full-size segments each acknowledged by the server, a close), through socket LB, conntrack and
 * both nodes' policy maps, with Hubble recording every event the datapath emits. With the
 * agent's default `monitor-aggregation: medium`, that is each connection's handshake, first data
 * and close; `aggregation: 'none'` makes every delivered packet a flow.
 */
export function streamPacketsPerSecond(segments: number, aggregation: 'medium' | 'none' = 'medium'): PacketRate {
  const { cluster, clients } = benchCluster();
  cluster.setConfig('monitor-aggregation', aggregation);
  const perClient = Math.ceil(segments / clients.length);
  return steadyState(() =>
    measure(cluster, () => {
      for (const client of clients) {
        const r = cluster.exec(client).nc({ host: 'server', port: 80, segments: perClient });
        if (!r.ok) throw new Error(`benchmark nc failed: ${JSON.stringify(r)}`);
      }
    }),
  );
}

/**
 * The same cluster under short connections: each curl is a DNS lookup, a TCP handshake, one
 * HTTP request and response and a close, so per-connection work (resolver, sockets, conntrack
 * entries, policy verdicts) dominates.
 */
export function curlPacketsPerSecond(curls: number): PacketRate {
  const { cluster, clients } = curlCluster();
  return steadyState(() => measure(cluster, () => runCurls(cluster, clients, curls)));
}

/** The cluster the curl figures run in: client pods, a server Service, an L4 policy. */
export function curlCluster(): { cluster: Cluster; clients: string[] } {
  return benchCluster();
}

/** `curl http://server/` `curls` times, round-robin over the client pods. */
export function runCurls(cluster: Cluster, clients: readonly string[], curls: number): void {
  for (let i = 0; i < curls; i++) {
    const r = cluster.exec(clients[i % clients.length]!).curl({ url: 'http://server/', connectTimeoutMs: 1000 });
    if (r.kind !== 'response') throw new Error(`benchmark curl failed: ${JSON.stringify(r)}`);
  }
}

/** One untimed run for the JIT, then the median of three: the rate once the code is compiled. */
function steadyState(run: () => PacketRate): PacketRate {
  run();
  const runs = [run(), run(), run()].sort((a, b) => a.perSecond - b.perSecond);
  return runs[1]!;
}

function benchCluster(): { cluster: Cluster; clients: string[] } {
  const cluster = Cluster.create({ seed: 7, mutualAuth: false });
  cluster.apply(MANIFEST);
  const clients = cluster
    .list('Pod', 'default')
    .filter((p) => p.metadata.labels['app'] === 'client')
    .map((p) => `default/${p.metadata.name}`);
  return { cluster, clients };
}

function measure(cluster: Cluster, run: () => void): PacketRate {
  const before = cluster.inspect.datapathStats().packets;
  const flowsBefore = cluster.inspect.hubbleStatus().seenFlows;
  const cpuBefore = cpuUsage();
  const start = performance.now();
  run();
  const seconds = (performance.now() - start) / 1000;
  const cpu = cpuUsage(cpuBefore);
  const packets = cluster.inspect.datapathStats().packets - before;
  return {
    packets,
    perSecond: packets / seconds,
    flows: cluster.inspect.hubbleStatus().seenFlows - flowsBefore,
    perCpuSecond: packets / ((cpu.user + cpu.system) / 1e6),
  };
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
