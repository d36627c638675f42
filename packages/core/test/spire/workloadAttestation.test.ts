import { describe, expect, it } from 'vitest';
import { EndpointManager } from '../../src/agent/endpointManager.ts';
import { IdentityAllocator } from '../../src/identity/allocator.ts';
import { formatLabel } from '../../src/identity/labels.ts';
import { Ipcache } from '../../src/identity/ipcache.ts';
import type { Pod } from '../../src/k8s/objects.ts';
import { Clock } from '../../src/sim/clock.ts';
import { Rng } from '../../src/sim/rng.ts';
import { Scheduler } from '../../src/sim/scheduler.ts';
import { SpireAgent } from '../../src/spire/agent.ts';
import { SpireServer } from '../../src/spire/server.ts';
import { k8sWorkloadSelectors, workloadSpiffeIds } from '../../src/spire/workloadAttestation.ts';

// The sock-shop lab's hand-made registrations in trust domain example.org: a node alias for the
// SPIRE agents, then workloads selected by namespace and pod label.
function world() {
  const clock = new Clock(Date.UTC(2024, 6, 4, 17, 58));
  const scheduler = new Scheduler(clock);
  const server = new SpireServer({ clock, scheduler, rng: Rng.seeded(1), trustDomain: 'example.org' });
  server.createEntry({
    spiffeId: 'spiffe://example.org/ns/cilium-spire/sa/spire-agent',
    node: true,
    selectors: ['k8s_psat:agent_ns:cilium-spire', 'k8s_psat:agent_sa:spire-agent'],
  });
  for (const name of ['front-end', 'carts']) {
    server.createEntry({
      spiffeId: `spiffe://example.org/${name}`,
      parentId: 'spiffe://example.org/ns/cilium-spire/sa/spire-agent',
      selectors: ['k8s:ns:sock-shop', `k8s:pod-label:name:${name}`],
    });
  }
  const agent = new SpireAgent({ server, clock, scheduler, nodeName: 'kind-worker', nodeUid: 'uid-1' });
  agent.start();
  return { server, agentId: agent.agentId! };
}

const carts = {
  namespace: 'sock-shop',
  serviceAccount: 'default',
  podName: 'carts-7954496746-kmzfx',
  nodeName: 'kind-worker',
  labels: { name: 'carts' },
};

describe('k8s workload attestation', () => {
  it("produces the k8s selectors SPIRE's attestor reports for a pod", () => {
    expect(k8sWorkloadSelectors(carts).map((s) => `${s.type}:${s.value}`)).toEqual([
      'k8s:ns:sock-shop',
      'k8s:sa:default',
      'k8s:pod-name:carts-7954496746-kmzfx',
      'k8s:node-name:kind-worker',
      'k8s:pod-label:name:carts',
    ]);
  });

  it('issues a pod every SPIFFE ID whose entry selectors it all matches', () => {
    const { server, agentId } = world();
    expect(workloadSpiffeIds(server, agentId, carts)).toEqual(['spiffe://example.org/carts']);
    expect(workloadSpiffeIds(server, agentId, { ...carts, namespace: 'default' })).toEqual([]);
    expect(workloadSpiffeIds(server, agentId, { ...carts, labels: { name: 'orders' } })).toEqual([]);
  });
});

describe('SPIFFE labels on endpoints', () => {
  it('adds spiffe://<id> (source spiffe) to the endpoint and its identity, so the identity changes with it', () => {
    const { server, agentId } = world();
    const allocator = new IdentityAllocator(Rng.seeded(2));
    const endpoints = new EndpointManager(allocator, new Ipcache(), Rng.seeded(3));
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: carts.podName, namespace: 'sock-shop', labels: carts.labels },
      spec: { nodeName: 'kind-worker', serviceAccountName: 'default', containers: [{ name: 'carts', image: 'weaveworksdemos/carts' }] },
      status: { podIP: '10.244.1.10' },
    } as unknown as Pod;
    const ctx = { namespaceLabels: {}, clusterName: 'default', nowNs: 0 };

    const plain = endpoints.sync('sock-shop/carts', pod, ctx, () => '172.18.0.3').after!;
    endpoints.setSpiffeResolver((p) =>
      workloadSpiffeIds(server, agentId, {
        namespace: p.metadata.namespace!,
        serviceAccount: p.spec.serviceAccountName,
        podName: p.metadata.name,
        nodeName: p.spec.nodeName!,
        labels: p.metadata.labels,
      }),
    );
    const labelled = endpoints.sync('sock-shop/carts', pod, ctx, () => '172.18.0.3').after!;

    expect(labelled.labels.map(formatLabel)).toContain('spiffe://example.org/carts');
    expect(labelled.identityLabels.map(formatLabel)).toContain('spiffe://example.org/carts');
    expect(labelled.identity).not.toBe(plain.identity);
    expect(labelled.id).toBe(plain.id);
  });
});
