import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cidrContains } from '../../src/k8s/ipam.ts';
import { scaleDeployment } from '../../src/k8s/imperative.ts';
import { getObject, listObjects } from '../../src/k8s/state.ts';
import { ECHO, STAR_WARS, outcome, testCluster } from './fixtures.ts';

describe('pod IP allocation', () => {
  it('gives every pod a unique IP inside its node pod CIDR', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 40 }),
        (seed, nodes, replicas) => {
          const c = testCluster(seed, nodes);
          c.apply(ECHO);
          c.state = scaleDeployment(c.state, { kind: 'Deployment', namespace: 'default', name: 'echo' }, replicas, c.ctx).state;

          const pods = listObjects(c.state, 'Pod').filter((p) => p.spec.hostNetwork !== true);
          const ips = pods.map((p) => p.status.podIP!);
          expect(new Set(ips).size).toBe(ips.length);
          for (const p of pods) {
            const node = getObject(c.state, { kind: 'Node', name: p.spec.nodeName! })!;
            expect(cidrContains(node.spec.podCIDR, p.status.podIP!)).toBe(true);
          }
        },
      ),
      { numRuns: 20 },
    );
  });

  it('keeps a pinned status.podIP, on the node that owns it', () => {
    const c = testCluster();

    c.apply(
      'apiVersion: v1\nkind: Pod\nmetadata: { name: pinned }\nspec: { containers: [{ name: a, image: b }] }\nstatus: { podIP: 10.244.2.77 }\n',
    );

    const pod = getObject(c.state, { kind: 'Pod', namespace: 'default', name: 'pinned' })!;
    expect(pod.status.podIP).toBe('10.244.2.77');
    expect(pod.spec.nodeName).toBe('kind-worker2');
  });

  // Issue 18 changed this: a pinned address outside the pod CIDR (the world's, a node's, a
  // Service's, a CIDR's router) let a pod impersonate what policy treats as something else.
  it.each<[string, string, string?]>([
    ['the world', '192.168.5.5'],
    ["a node's", '172.18.0.3'],
    ["a Service's", '10.96.0.10'],
    ["a pod CIDR's router", '10.244.1.1'],
    ["a pod CIDR's broadcast", '10.244.2.255', 'kind-worker2'],
  ])('refuses a pinned IP that is %s address', (_what, ip, node) => {
    const c = testCluster();
    const nodeName = node === undefined ? '' : `, nodeName: ${node}`;
    const out = c.apply(
      `apiVersion: v1\nkind: Pod\nmetadata: { name: outside }\nspec: { containers: [{ name: a, image: b }]${nodeName} }\nstatus: { podIP: ${ip} }\n`,
    );
    expect(out.results[0]).toMatchObject({ ok: false, error: { code: 'INVALID_FIELD', path: 'status.podIP' } });
    expect(getObject(c.state, { kind: 'Pod', namespace: 'default', name: 'outside' })).toBeUndefined();
  });

  it('refuses a pinned IP another pod holds', () => {
    const c = testCluster();
    c.apply(STAR_WARS);
    const taken = getObject(c.state, { kind: 'Pod', namespace: 'default', name: 'xwing' })!.status.podIP!;

    const out = c.apply(
      `apiVersion: v1\nkind: Pod\nmetadata: { name: copy }\nspec: { containers: [{ name: a, image: b }] }\nstatus: { podIP: ${taken} }\n`,
    );

    expect(out.results[0]).toMatchObject({ ok: false, error: { code: 'INVALID_FIELD', path: 'status.podIP' } });
  });

  it('gives hostNetwork pods their node IP', () => {
    const c = testCluster();

    c.apply('apiVersion: v1\nkind: Pod\nmetadata: { name: hn }\nspec: { hostNetwork: true, containers: [{ name: a, image: b }] }\n');

    const pod = getObject(c.state, { kind: 'Pod', namespace: 'default', name: 'hn' })!;
    expect(pod.status.podIP).toBe(pod.status.hostIP);
    expect(pod.status.podIP).toMatch(/^172\.18\.0\.\d+$/);
  });
});

describe('Service ClusterIP allocation', () => {
  it('allocates a unique address in 10.96.0.0/12 unless one is given', () => {
    const c = testCluster();
    c.apply(STAR_WARS);
    c.apply('apiVersion: v1\nkind: Service\nmetadata: { name: fixed }\nspec: { clusterIP: 10.96.100.100, ports: [{ port: 80 }] }\n');

    const services = listObjects(c.state, 'Service');
    const ips = services.map((s) => s.spec.clusterIP);
    expect(new Set(ips).size).toBe(ips.length);
    expect(ips.every((ip) => cidrContains('10.96.0.0/12', ip))).toBe(true);
    expect(getObject(c.state, { kind: 'Service', namespace: 'default', name: 'fixed' })!.spec.clusterIP).toBe('10.96.100.100');
  });

  it('refuses a ClusterIP outside the range or already allocated', () => {
    const c = testCluster();
    const svc = (name: string, ip: string): string =>
      `apiVersion: v1\nkind: Service\nmetadata: { name: ${name} }\nspec: { clusterIP: ${ip}, ports: [{ port: 80 }] }\n`;

    expect(outcome(c.apply(svc('a', '10.0.0.1')).results[0]!)).toContain(
      'provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    );
    expect(outcome(c.apply(svc('b', '10.96.0.10')).results[0]!)).toContain('provided IP is already allocated');
  });

  it('allocates NodePorts in 30000-32767 for NodePort services', () => {
    const c = testCluster();

    c.apply('apiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec: { type: NodePort, ports: [{ port: 80 }] }\n');

    const port = getObject(c.state, { kind: 'Service', namespace: 'default', name: 'web' })!.spec.ports[0]!;
    expect(port.nodePort).toBeGreaterThanOrEqual(30000);
    expect(port.nodePort).toBeLessThanOrEqual(32767);
  });
});
