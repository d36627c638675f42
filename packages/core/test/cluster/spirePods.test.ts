import { describe, expect, it } from 'vitest';
import { authCluster, call, identityOf } from '../auth/authFixtures.ts';
import type { Cluster } from '../../src/index.ts';

const NEWCOMER = `
apiVersion: v1
kind: Pod
metadata: { name: newcomer, labels: { app: newcomer, role: caller } }
spec: { nodeName: kind-worker2, containers: [{ name: c, image: nicolaka/netshoot }] }
`;

function spirePods(cluster: Cluster): string[] {
  return cluster.list('Pod', 'cilium-spire').map((p) => `${p.metadata.name} ${p.spec.nodeName ?? ''} ${p.status.phase}`);
}

function entryOf(cluster: Cluster, pod: string): number {
  return cluster.spireServer()!.listEntries({ spiffeId: `spiffe://spiffe.cilium/identity/${identityOf(cluster, pod)}` }).length;
}

describe('SPIRE is its pods', () => {
  it('takes the server down while its StatefulSet brings the deleted pod back, then serves again', () => {
    const cluster = authCluster();
    cluster.delete({ kind: 'Pod', namespace: 'cilium-spire', name: 'spire-server-0' });
    expect(spirePods(cluster).filter((p) => p.startsWith('spire-server-0 '))).toHaveLength(1);
    expect(cluster.spireServer()!.healthy).toBe(false);
    // Existing SVIDs still authenticate; a new identity gets no entry while the server is down.
    expect(call(cluster)).toBe('200');
    cluster.apply(NEWCOMER);
    expect(call(cluster, 'newcomer')).toBe('exit 28');
    expect(() => entryOf(cluster, 'newcomer')).toThrow(/Unavailable/);
    expect(cluster.faults.active()).toEqual([]);
    cluster.advance('10s');
    expect(cluster.spireServer()!.healthy).toBe(true);
    cluster.advance('10s');
    expect(entryOf(cluster, 'newcomer')).toBe(1);
    expect(call(cluster, 'newcomer')).toBe('200');
  });

  it('keeps the server down while a fault holds it, even after its pod is back', () => {
    const cluster = authCluster();
    cluster.faults.spireServerDown();
    cluster.delete({ kind: 'Pod', namespace: 'cilium-spire', name: 'spire-server-0' });
    cluster.advance('30s');
    expect(cluster.spireServer()!.healthy).toBe(false);
    cluster.faults.clearAll();
    expect(cluster.spireServer()!.healthy).toBe(true);
  });

  it("stops a node's SPIRE agent while its DaemonSet pod is replaced", () => {
    const cluster = authCluster();
    const agentPod = cluster
      .list('Pod', 'cilium-spire')
      .find((p) => p.spec.nodeName === 'kind-worker2' && p.metadata.name.startsWith('spire-agent-'))!;
    cluster.delete({ kind: 'Pod', namespace: 'cilium-spire', name: agentPod.metadata.name });
    const replaced = cluster
      .list('Pod', 'cilium-spire')
      .filter((p) => p.spec.nodeName === 'kind-worker2' && p.metadata.name.startsWith('spire-agent-'));
    expect(replaced).toHaveLength(1);
    expect(replaced[0]!.metadata.name).not.toBe(agentPod.metadata.name);
    cluster.apply(NEWCOMER);
    cluster.advance('2s');
    expect(call(cluster, 'newcomer')).toBe('exit 28');
    cluster.advance('30s');
    expect(call(cluster, 'newcomer')).toBe('200');
  });

  it('takes SPIRE down for good with its namespace: auth-requiring traffic of new identities drops', () => {
    const cluster = authCluster();
    cluster.delete({ kind: 'Namespace', name: 'cilium-spire' });
    expect(spirePods(cluster)).toEqual([]);
    expect(cluster.spireServer()!.healthy).toBe(false);
    cluster.apply(NEWCOMER);
    cluster.advance('5m');
    expect(call(cluster, 'newcomer')).toBe('exit 28');
    expect(cluster.spireServer()!.healthy).toBe(false);
  });

  it('takes the server down with its StatefulSet until the StatefulSet is applied again', () => {
    const cluster = authCluster();
    const sts = cluster.get('StatefulSet', 'spire-server', 'cilium-spire')!;
    cluster.delete({ kind: 'StatefulSet', namespace: 'cilium-spire', name: 'spire-server' });
    cluster.advance('5m');
    expect(spirePods(cluster).filter((p) => p.startsWith('spire-server'))).toEqual([]);
    expect(cluster.spireServer()!.healthy).toBe(false);
    cluster.apply(NEWCOMER);
    cluster.advance('2s');
    expect(call(cluster, 'newcomer')).toBe('exit 28');

    cluster.apply(
      JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'spire-server', namespace: 'cilium-spire' },
        spec: sts.spec,
      }),
    );
    expect(spirePods(cluster).filter((p) => p.startsWith('spire-server'))).toEqual([
      expect.stringMatching(/^spire-server-0 kind-\w+ Running$/),
    ]);
    cluster.advance('30s');
    expect(cluster.spireServer()!.healthy).toBe(true);
    expect(call(cluster, 'newcomer')).toBe('200');
  });

  it("takes every node's SPIRE agent down with the spire-agent DaemonSet", () => {
    const cluster = authCluster();
    cluster.delete({ kind: 'DaemonSet', namespace: 'cilium-spire', name: 'spire-agent' });
    cluster.advance('1m');
    expect(spirePods(cluster)).toEqual([expect.stringMatching(/^spire-server-0 /)]);
    cluster.apply(NEWCOMER);
    cluster.advance('1m');
    expect(call(cluster, 'newcomer')).toBe('exit 28');
  });
});
