import { describe, expect, it } from 'vitest';
import { serviceEndpoints } from '../../src/k8s/endpoints.ts';
import { labelObject } from '../../src/k8s/imperative.ts';
import { getObject, listObjects } from '../../src/k8s/state.ts';
import { ECHO, STAR_WARS, testCluster } from './fixtures.ts';

function backends(c: ReturnType<typeof testCluster>, name: string, namespace = 'default') {
  return serviceEndpoints(c.state, getObject(c.state, { kind: 'Service', namespace, name })!);
}

describe('serviceEndpoints', () => {
  it('lists the running pods the selector matches, with IP, port, protocol and node', () => {
    const c = testCluster();
    c.apply(STAR_WARS);

    const eps = backends(c, 'deathstar');

    const pods = listObjects(c.state, 'Pod', 'default').filter((p) => p.metadata.labels['class'] === 'deathstar');
    expect(eps.map((b) => b.ip).sort()).toEqual(pods.map((p) => p.status.podIP).sort());
    expect(eps.every((b) => b.port === 80 && b.protocol === 'TCP' && b.servicePort === 80 && b.nodeName.startsWith('kind-'))).toBe(true);
  });

  it('resolves a named targetPort to the container port of that name', () => {
    const c = testCluster();
    c.apply(ECHO);

    expect(backends(c, 'echo').map((b) => [b.port, b.servicePortName])).toEqual([[8080, 'high']]);
  });

  it('follows label changes: a relabelled pod joins or leaves at once', () => {
    const c = testCluster();
    c.apply(STAR_WARS);
    const xwing = { kind: 'Pod', namespace: 'default', name: 'xwing' } as const;
    const xwingIp = getObject(c.state, xwing)!.status.podIP;

    c.state = labelObject(c.state, xwing, { org: 'empire', class: 'deathstar' }, true, c.ctx).state;
    expect(backends(c, 'deathstar').map((b) => b.ip)).toContain(xwingIp);

    c.state = labelObject(c.state, xwing, { class: null }, false, c.ctx).state;
    expect(backends(c, 'deathstar').map((b) => b.ip)).not.toContain(xwingIp);
  });

  it('gives kube-dns a UDP and a TCP backend on 53 per CoreDNS pod', () => {
    const c = testCluster();

    const eps = backends(c, 'kube-dns', 'kube-system');

    expect(
      eps
        .filter((b) => b.port === 53)
        .map((b) => b.protocol)
        .sort(),
    ).toEqual(['TCP', 'TCP', 'UDP', 'UDP']);
  });

  it('points default/kubernetes at the API server on 6443', () => {
    const c = testCluster();

    expect(backends(c, 'kubernetes').map((b) => `${b.ip}:${b.port}`)).toEqual(['172.18.0.2:6443']);
  });
});
