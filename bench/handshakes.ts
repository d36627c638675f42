import { runtimeOf } from '../packages/core/src/cluster/cluster.ts';
import { Cluster, policy } from '../packages/core/src/index.ts';

/**
 * Mutual-auth handshakes per wall second: a 3-node cluster with `identities` workload identities
 * (their SVIDs minted by SPIRE first, not timed), then one auth request per ordered pair of
 * identities across two nodes, run to completion. Counts auth-map entries written.
 */
export function handshakesPerSecond(identities: number): { handshakes: number; perSecond: number } {
  const cluster = Cluster.create({ seed: 3, nodes: 3 });
  const docs = Array.from({ length: identities }, (_, i) =>
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `w${i}`, labels: { app: `w${i}` } },
      spec: { nodeName: 'kind-worker', containers: [{ name: 'c', image: 'nginx' }] },
    }),
  );
  cluster.apply(docs.join('\n---\n'));
  cluster.advance('30s');
  const ids = cluster.inspect
    .endpoints()
    .filter((e) => e.podName.startsWith('w'))
    .map((e) => e.identity);
  const peer = cluster.inspect.node('kind-worker2')!;
  // The auth manager is signalled directly, as the datapath signals it: no public call reaches it
  // without sending traffic, whose cost would drown the handshakes'.
  const manager = runtimeOf(cluster).agents.get('kind-worker')!.authManager!;
  const before = cluster.inspect.authMap('kind-worker').length;
  const start = performance.now();
  for (const local of ids) {
    for (const remote of ids) {
      if (local !== remote)
        manager.signal({
          localIdentity: local,
          remoteIdentity: remote,
          remoteNodeID: peer.id,
          authType: policy.AUTH_TYPE.required,
        });
    }
  }
  cluster.advance('5s');
  const seconds = (performance.now() - start) / 1000;
  const handshakes = cluster.inspect.authMap('kind-worker').length - before;
  return { handshakes, perSecond: handshakes / seconds };
}
