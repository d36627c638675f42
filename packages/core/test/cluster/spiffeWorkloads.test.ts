import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/cluster/cluster.ts';
import { formatLabel } from '../../src/identity/labels.ts';
import { isSimError } from '../../src/errors.ts';
import { AGENT_ALIAS, curlCarts, PODS, register, spiffeCluster, upgradePolicies } from './spiffeFixtures.ts';
import { runtimeOf } from '../../src/cluster/cluster.ts';

// SPIRE without Cilium's mutual auth, and pods' SPIFFE IDs as endpoint labels (the
// spiffeTlsUpgrade extension): the wiring the sock-shop TLS lab needs.
function spiffeLabels(cluster: Cluster, pod: string): string[] {
  return runtimeOf(cluster)
    .endpoints.byPod('default', pod)!
    .labels.filter((l) => l.source === 'spiffe')
    .map(formatLabel);
}

describe('SPIRE without mutual auth', () => {
  it('runs the SPIRE pods, no auth manager and, without operator entries, no entry at all', () => {
    const cluster = spiffeCluster();

    expect(cluster.get('Pod', 'spire-server-0', 'cilium-spire')).toBeDefined();
    expect(cluster.list('Pod', 'cilium-spire').filter((p) => p.metadata.name.startsWith('spire-agent-'))).toHaveLength(3);
    expect(cluster.inspect.spire()?.mutualAuth).toBe(false);
    expect(
      runtimeOf(cluster)
        .agents.list()
        .filter((a) => a.authManager !== undefined).length,
    ).toBe(0);
    expect(cluster.spireServer()?.listEntries()).toEqual([]);
    expect(cluster.inspect.config()['mesh-auth-enabled']).toBeUndefined();
  });

  it('keeps Cilium entries and auth managers when mutual auth is on, as before', () => {
    const cluster = Cluster.create({ seed: 1 });

    expect(cluster.inspect.spire()?.mutualAuth).toBe(true);
    expect(
      runtimeOf(cluster)
        .agents.list()
        .filter((a) => a.authManager !== undefined).length,
    ).toBe(3);
    expect(
      cluster
        .spireServer()
        ?.listEntries()
        .map((e) => e.spiffeId),
    ).toContain('spiffe://spiffe.cilium/cilium-agent');
  });

  it('runs no SPIRE at all with mutual auth off and no spire option', () => {
    const cluster = Cluster.create({ seed: 1, mutualAuth: false });

    expect(cluster.inspect.spire()).toBeUndefined();
    expect(cluster.list('Pod', 'cilium-spire')).toEqual([]);
  });
});

describe('SPIFFE endpoint labels', () => {
  it('gives a registered pod a spiffe label and a new identity at once, and takes both back on delete', () => {
    const cluster = spiffeCluster();
    const before = cluster.inspect.endpoint('default', 'carts')!.identity;

    register(cluster, 'carts');
    expect(spiffeLabels(cluster, 'carts')).toEqual(['spiffe://example.org/carts']);
    expect(spiffeLabels(cluster, 'front-end')).toEqual([]);
    const registered = cluster.inspect.endpoint('default', 'carts')!.identity;
    expect(registered).not.toBe(before);
    expect(cluster.inspect.identity(registered)?.labels.map(formatLabel)).toContain('spiffe://example.org/carts');

    const entry = cluster.spireServer()!.listEntries({ spiffeId: 'spiffe://example.org/carts' })[0]!;
    cluster.spireServer()!.deleteEntry(entry.id);
    expect(spiffeLabels(cluster, 'carts')).toEqual([]);
  });

  it('issues nothing until the agents node alias exists, then everything under it', () => {
    const cluster = spiffeCluster();
    const server = cluster.spireServer()!;
    server.createEntry({
      spiffeId: 'spiffe://example.org/carts',
      parentId: AGENT_ALIAS,
      selectors: ['k8s:ns:default', 'k8s:pod-label:name:carts'],
    });
    expect(spiffeLabels(cluster, 'carts')).toEqual([]);

    register(cluster);
    expect(spiffeLabels(cluster, 'carts')).toEqual(['spiffe://example.org/carts']);
  });

  it('makes the SPIFFE ID usable in an L3 selector', () => {
    const cluster = spiffeCluster();
    cluster.apply(`apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: to-carts-by-spiffe }
spec:
  endpointSelector: { matchLabels: { name: front-end } }
  egress:
  - toEndpoints: [{ matchLabels: { "spiffe://example.org/carts": "" } }]
`);
    expect(curlCarts(cluster, 'front-end')).toBe('exit 28');

    register(cluster, 'carts');
    expect(curlCarts(cluster, 'front-end')).toBe('200');
  });

  it('adds no label without the spiffeTlsUpgrade extension', () => {
    const cluster = Cluster.create({
      seed: 1,
      mutualAuth: false,
      trustDomain: 'example.org',
      spire: { enabled: true, operatorEntries: false },
    });
    cluster.apply(PODS);
    register(cluster, 'carts');

    expect(spiffeLabels(cluster, 'carts')).toEqual([]);
  });
});

describe('admission of the fork TLS fields', () => {
  it('rejects spiffe and dstPort without the extension, naming the field and the extension', () => {
    const cluster = Cluster.create({ seed: 1, mutualAuth: false });
    cluster.apply(PODS);

    const results = cluster.apply(upgradePolicies());
    expect(results.map((r) => r.ok)).toEqual([false, false]);
    const err = results[0]!.ok ? undefined : results[0]!.error;
    expect(isSimError(err) && err.issues.map((i) => `${i.code} ${i.path}`)).toEqual([
      'UNKNOWN_FIELD spec.egress[0].toPorts[0].originatingTLS.spiffe',
      'UNKNOWN_FIELD spec.egress[0].toPorts[0].originatingTLS.dstPort',
    ]);
    expect((err as Error).message).toContain('enable the spiffeTlsUpgrade extension');
    expect(cluster.list('CiliumNetworkPolicy')).toEqual([]);
  });

  it('accepts them with the extension', () => {
    const cluster = spiffeCluster();

    expect(cluster.apply(upgradePolicies()).map((r) => r.ok)).toEqual([true, true]);
  });
});
