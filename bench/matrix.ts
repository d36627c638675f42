import type { Cluster } from '../packages/core/src/index.ts';

/**
 * The full verdict matrix for `identities`: every (subject, remote) pair, ingress, on each port,
 * answered by policy-map lookups as the datapath answers a packet. Returns seconds and the
 * number of allowed cells (so the work cannot be skipped).
 */
export function verdictMatrix(
  cluster: Cluster,
  identities: readonly number[],
  ports: readonly number[],
): { seconds: number; cells: number; allowed: number } {
  const start = performance.now();
  let allowed = 0;
  for (const subject of identities) {
    const map = cluster.inspect.policyMap(subject);
    for (const remote of identities) {
      for (const port of ports) if (map.lookup(remote, 'INGRESS', 6, port).allowed) allowed++;
    }
  }
  return { seconds: (performance.now() - start) / 1000, cells: identities.length ** 2 * ports.length, allowed };
}
