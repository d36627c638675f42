import { describe, expect, it } from 'vitest';
import { resolveName, searchPath } from '../../src/k8s/dns.ts';
import { getObject } from '../../src/k8s/state.ts';
import { STAR_WARS, testCluster } from './fixtures.ts';

describe('resolveName', () => {
  const c = testCluster();
  c.apply(STAR_WARS);
  const clusterIp = getObject(c.state, { kind: 'Service', namespace: 'default', name: 'deathstar' })!.spec.clusterIP;

  it.each([
    'deathstar',
    'deathstar.default',
    'deathstar.default.svc',
    'deathstar.default.svc.cluster.local',
    'deathstar.default.svc.cluster.local.',
    'DeathStar',
  ])('resolves %s from the default namespace to the ClusterIP', (name) => {
    expect(resolveName(c.state, name, 'default')).toMatchObject({
      kind: 'service',
      ip: clusterIp,
      ref: { kind: 'Service', namespace: 'default', name: 'deathstar' },
    });
  });

  it('needs the namespace from another namespace', () => {
    expect(resolveName(c.state, 'deathstar', 'kube-system')).toBeUndefined();
    expect(resolveName(c.state, 'deathstar.default', 'kube-system')?.ip).toBe(clusterIp);
  });

  it('resolves kube-dns to 10.96.0.10 and kubernetes.default to 10.96.0.1', () => {
    expect(resolveName(c.state, 'kube-dns.kube-system.svc.cluster.local', 'default')?.ip).toBe('10.96.0.10');
    expect(resolveName(c.state, 'kubernetes.default', 'default')?.ip).toBe('10.96.0.1');
  });

  it('answers pod A records named after the dashed IP', () => {
    const xwing = getObject(c.state, { kind: 'Pod', namespace: 'default', name: 'xwing' })!;
    const name = `${xwing.status.podIP!.replaceAll('.', '-')}.default.pod.cluster.local`;

    expect(resolveName(c.state, name, 'default')).toMatchObject({ kind: 'pod', ip: xwing.status.podIP, ref: { name: 'xwing' } });
  });

  it('leaves names outside the cluster to the caller', () => {
    expect(resolveName(c.state, 'api.github.com', 'default')).toBeUndefined();
    expect(resolveName(c.state, 'nope.default.svc.cluster.local', 'default')).toBeUndefined();
  });

  it("lists a pod's resolv.conf search path", () => {
    expect(searchPath('sock-shop')).toEqual(['sock-shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local']);
  });
});
