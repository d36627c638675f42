import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scaleDeployment } from '../../src/k8s/imperative.ts';
import type { Node, Pod } from '../../src/k8s/objects.ts';
import { CONTROL_PLANE_TAINT, freshFits, NodePicker, scheduleNode } from '../../src/k8s/scheduler.ts';
import { listObjects } from '../../src/k8s/state.ts';
import { Rng } from '../../src/sim/rng.ts';
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

  it('places pods in a row as it places each one alone, Rng draws included', () => {
    const nodesOf = new Map<number, readonly Node[]>();
    const pod = (tolerant: boolean): Pod =>
      ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p', namespace: 'default', uid: '', labels: {}, creationTimestamp: '', resourceVersion: '', generation: 1 },
        spec: { containers: [], ...(tolerant ? { tolerations: [{ ...CONTROL_PLANE_TAINT, operator: 'Exists' }] } : {}) },
        status: { phase: 'Pending' },
      }) as unknown as Pod;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.nat(3), { minLength: 5, maxLength: 5 }),
        fc.array(fc.boolean(), { maxLength: 30 }),
        fc.integer(),
        (count, initial, tolerant, seed) => {
          if (!nodesOf.has(count)) nodesOf.set(count, listObjects(testCluster(1, count).state, 'Node'));
          const nodes = nodesOf.get(count)!;
          const picker = new NodePicker(
            freshFits(nodes),
            Int32Array.from(nodes, (_, i) => initial[i]!),
          );
          const perNode = new Map(nodes.map((n, i) => [n.metadata.name, initial[i]!]));
          const [inRow, alone] = [Rng.seeded(seed), Rng.seeded(seed)];
          for (const t of tolerant) {
            const picked = picker.pick(pod(t), inRow);
            expect(picked?.metadata.name).toBe(scheduleNode(pod(t), nodes, perNode, alone)?.metadata.name);
            if (picked === undefined) continue;
            picker.placed(picked);
            perNode.set(picked.metadata.name, perNode.get(picked.metadata.name)! + 1);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
