// Invariant: apply then delete of random manifests leaves the cluster as it was once identity GC
// and auth GC have run. Every derived structure is compared with its state before the apply:
// endpoints, identities (workload and CIDR), the selector cache's identities, ipcache, policy
// repository, the policy map (entries and enforcement) of every endpoint that outlives the
// manifest, every node's auth map, SPIRE entries and service frontends. The manifests hold
// policies of every kind plus a mutual-auth policy, and traffic runs in between, so the auth
// maps and the policy maps of the system pods really do change before the delete. A policy-only
// round trip (the pods stay) checks the incremental policy-map path and auth GC's "no policy
// requires it" rule rather than identity removal.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/index.ts';
import { policyMapKeyText } from '../../src/policy/policyMap.ts';
import { formatAuthKey } from '../../src/datapath/authMap.ts';
import { manifest, podYaml, pods, policies, policyYaml, PORTS } from './arbitraries.ts';
import { anyPolicies, kindPods, kindPodYaml, namespaceYaml, policyYaml as anyPolicyYaml } from './policyKinds.ts';
import { runtimeOf } from '../../src/cluster/cluster.ts';

function snapshot(cluster: Cluster): unknown {
  const endpointIds = [...new Set(cluster.inspect.endpoints().map((e) => e.identity))].sort((a, b) => a - b);
  return {
    endpoints: cluster.inspect.endpoints().map((e) => `${e.namespace}/${e.podName} ${e.ip} ${e.identity}`),
    identities: cluster.inspect.identities().map((i) => i.id),
    selectorCacheIdentities: runtimeOf(cluster)
      .policy.cache.identities()
      .map((i) => i.id)
      .sort((a, b) => a - b),
    ipcache: runtimeOf(cluster).ipcache.entries(),
    ipcacheSize: runtimeOf(cluster).ipcache.size,
    policies: runtimeOf(cluster)
      .policy.repository.policies()
      .map((p) => p.source),
    policyMaps: endpointIds.map((id) => {
      const map = cluster.inspect.policyMap(id);
      return {
        id,
        ingress: map.ingressEnforced,
        egress: map.egressEnforced,
        entries: map.entries().map(([k, v]) => `${policyMapKeyText(k)} ${JSON.stringify(v)}`),
      };
    }),
    authMaps: cluster.list('Node').map((n) => ({
      node: n.metadata.name,
      entries: cluster.inspect
        .authMap(n.metadata.name)
        .map((e) => formatAuthKey(e.key))
        .sort(),
    })),
    spire: cluster
      .spireServer()!
      .listEntries()
      .map((e) => e.spiffeId),
    frontends: runtimeOf(cluster)
      .network.lb.frontends()
      .map((f) => `${f.namespace}/${f.name} ${f.ip}:${f.port}/${f.proto} -> ${f.backends.map((b) => `${b.ip}:${b.port}`).join(',')}`)
      .sort(),
  };
}

const service = (app: string): string =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `svc-${app}`, namespace: 'default' },
    spec: { selector: { app }, ports: PORTS.map((port) => ({ name: `p${port}`, port })) },
  });

/** Every pod must authenticate to reach another on port 80. */
const MUTUAL_AUTH = JSON.stringify({
  apiVersion: 'cilium.io/v2',
  kind: 'CiliumClusterwideNetworkPolicy',
  metadata: { name: 'mutual-auth' },
  spec: {
    endpointSelector: {},
    ingress: [{ fromEndpoints: [{}], toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }], authentication: { mode: 'required' } }],
  },
});

describe('apply then delete', () => {
  it('leaves no endpoint, identity, ipcache entry, policy, SPIRE entry or service frontend behind', () => {
    fc.assert(
      fc.property(pods(1, 5), policies(0, 3), fc.subarray(['web', 'api', 'db']), (ps, pols, svcs) => {
        const cluster = Cluster.create({ seed: 4 });
        cluster.advance('1m');
        const before = snapshot(cluster);
        const text = manifest([...ps.map((p) => podYaml(p)), ...pols.map(policyYaml), ...svcs.map(service)]);

        expect(cluster.apply(text).every((r) => r.ok)).toBe(true);
        cluster.advance('1m');
        cluster.delete(text);
        cluster.advance('16m');

        expect(snapshot(cluster)).toEqual(before);
      }),
      { numRuns: 10 },
    );
  });

  it('leaves no policy-map entry, auth-map entry or CIDR identity behind after policies of every kind and authenticated traffic', () => {
    // Coverage: runs in which the auth maps held entries before the delete.
    let authenticated = 0;
    fc.assert(
      fc.property(
        kindPods(2, 4),
        anyPolicies(0, 3),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 4 }),
        (ps, pols, curls) => {
          const cluster = Cluster.create({ seed: 13 });
          cluster.apply(namespaceYaml());
          cluster.advance('1m');
          const before = snapshot(cluster);
          const text = manifest([...ps.map(kindPodYaml), ...pols.map(anyPolicyYaml), MUTUAL_AUTH]);

          expect(
            cluster
              .apply(text)
              .filter((r) => !r.ok)
              .map((r) => r.error.message),
          ).toEqual([]);
          cluster.advance('10s');
          for (const [a, b] of curls) {
            const [from, to] = [ps[a % ps.length]!, ps[(a + 1 + (b % (ps.length - 1))) % ps.length]!];
            cluster
              .exec(`${from.namespace}/${from.name}`)
              .curl({ url: `http://${cluster.inspect.endpoint(to.namespace, to.name)!.ip}/`, connectTimeoutMs: 3000 });
          }
          if (cluster.list('Node').some((n) => cluster.inspect.authMap(n.metadata.name).length > 0)) authenticated++;
          cluster.delete(text);
          cluster.advance('16m');

          expect(snapshot(cluster)).toEqual(before);
        },
      ),
      { numRuns: 15 },
    );
    expect(authenticated).toBeGreaterThan(0);
  });

  it('restores every policy map and auth map when only the policies come and go, the pods staying', () => {
    fc.assert(
      fc.property(
        kindPods(2, 4),
        anyPolicies(0, 3),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 4 }),
        (ps, pols, curls) => {
          const cluster = Cluster.create({ seed: 14 });
          cluster.apply(manifest([namespaceYaml(), ...ps.map(kindPodYaml)]));
          cluster.advance('1m');
          const before = snapshot(cluster);
          const text = manifest([...pols.map(anyPolicyYaml), MUTUAL_AUTH]);

          expect(
            cluster
              .apply(text)
              .filter((r) => !r.ok)
              .map((r) => r.error.message),
          ).toEqual([]);
          for (const [a, b] of curls) {
            const [from, to] = [ps[a % ps.length]!, ps[(a + 1 + (b % (ps.length - 1))) % ps.length]!];
            cluster
              .exec(`${from.namespace}/${from.name}`)
              .curl({ url: `http://${cluster.inspect.endpoint(to.namespace, to.name)!.ip}/`, connectTimeoutMs: 3000 });
          }
          cluster.delete(text);
          cluster.advance('16m');

          expect(snapshot(cluster)).toEqual(before);
        },
      ),
      { numRuns: 15 },
    );
  });
});
