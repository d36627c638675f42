// Apply then delete of random manifests must leave the cluster as it was once identity GC has
// run: every derived structure (endpoints, identities, ipcache, policy repository, SPIRE
// entries, service frontends) is compared with its state before the apply.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/index.ts';
import { manifest, podYaml, pods, policies, policyYaml, PORTS } from './arbitraries.ts';

function snapshot(cluster: Cluster): unknown {
  return {
    endpoints: cluster.endpoints.list().map((e) => `${e.namespace}/${e.podName} ${e.ip} ${e.identity}`),
    identities: cluster.identities.list().map((i) => i.id),
    ipcache: cluster.ipcache.entries(),
    ipcacheSize: cluster.ipcache.size,
    policies: cluster.policy.repository.policies().map((p) => p.source),
    spire: cluster.mutualAuth!.server.listEntries().map((e) => e.spiffeId),
    frontends: cluster.network.lb.frontends().map((f) => `${f.namespace}/${f.name} ${f.ip}:${f.port}/${f.proto} -> ${f.backends.map((b) => `${b.ip}:${b.port}`).join(',')}`).sort(),
  };
}

const service = (app: string): string => JSON.stringify({
  apiVersion: 'v1', kind: 'Service', metadata: { name: `svc-${app}`, namespace: 'default' },
  spec: { selector: { app }, ports: PORTS.map((port) => ({ name: `p${port}`, port })) },
});

describe('apply then delete', () => {
  it('leaves no endpoint, identity, ipcache entry, policy, SPIRE entry or service frontend behind', () => {
    fc.assert(fc.property(pods(1, 5), policies(0, 3), fc.subarray(['web', 'api', 'db']), (ps, pols, svcs) => {
      const cluster = Cluster.create({ seed: 4 });
      cluster.advance('1m');
      const before = snapshot(cluster);
      const text = manifest([...ps.map((p) => podYaml(p)), ...pols.map(policyYaml), ...svcs.map(service)]);

      expect(cluster.apply(text).every((r) => r.ok)).toBe(true);
      cluster.advance('1m');
      cluster.delete(text);
      cluster.advance('16m');

      expect(snapshot(cluster)).toEqual(before);
    }), { numRuns: 10 });
  });
});
