import { describe, expect, it } from 'vitest';
import { scaleDeployment } from '../../src/k8s/imperative.ts';
import { listObjects } from '../../src/k8s/state.ts';
import { ECHO, testCluster } from './fixtures.ts';

const echoRef = { kind: 'Deployment', namespace: 'default', name: 'echo' } as const;

describe('the scheduler', () => {
  it('keeps workload pods off the tainted control plane', () => {
    const c = testCluster(3, 3);
    c.apply(ECHO);
    c.state = scaleDeployment(c.state, echoRef, 10, c.ctx).state;

    const nodes = new Set(listObjects(c.state, 'Pod', 'default').map((p) => p.spec.nodeName));

    expect([...nodes].sort()).toEqual(['kind-worker', 'kind-worker2']);
  });

  it('spreads pods evenly over the workers', () => {
    const c = testCluster(3, 3);
    c.apply(ECHO);
    c.state = scaleDeployment(c.state, echoRef, 10, c.ctx).state;

    const pods = listObjects(c.state, 'Pod').filter((p) => p.spec.hostNetwork !== true && p.spec.nodeName !== 'kind-control-plane');
    const perNode = ['kind-worker', 'kind-worker2'].map((n) => pods.filter((p) => p.spec.nodeName === n).length);

    expect(Math.abs(perNode[0]! - perNode[1]!)).toBeLessThanOrEqual(1);
  });

  it('uses the control plane when it is the only node', () => {
    const c = testCluster(1, 1);
    c.apply(ECHO);

    expect(listObjects(c.state, 'Pod', 'default').map((p) => p.spec.nodeName)).toEqual(['kind-control-plane']);
  });

  it('honours an explicit nodeName and refuses an unknown one', () => {
    const c = testCluster();
    const pod = (node: string): string =>
      `apiVersion: v1\nkind: Pod\nmetadata: { name: p-${node} }\nspec: { nodeName: ${node}, containers: [{ name: a, image: b }] }\n`;

    c.apply(pod('kind-control-plane'));

    expect(listObjects(c.state, 'Pod', 'default')[0]!.spec.nodeName).toBe('kind-control-plane');
    expect(c.apply(pod('k8s1')).results[0]).toMatchObject({ ok: false, error: { path: 'spec.nodeName' } });
  });
});
