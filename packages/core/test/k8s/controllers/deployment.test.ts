import { describe, expect, it } from 'vitest';
import { labelObject, scaleDeployment } from '../../../src/k8s/imperative.ts';
import { getObject, listObjects } from '../../../src/k8s/state.ts';
import { deleteObject } from '../../../src/k8s/store.ts';
import { STAR_WARS, testCluster } from '../fixtures.ts';

const POD_NAME = /^deathstar-[bcdfghjklmnpqrstvwxz2456789]{8,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/;
const deathstarRef = { kind: 'Deployment', namespace: 'default', name: 'deathstar' } as const;

function deathstarPods(state: ReturnType<typeof testCluster>['state']) {
  return listObjects(state, 'Pod', 'default').filter((p) => p.metadata.name.startsWith('deathstar-'));
}

describe('the Deployment controller', () => {
  it('names pods <deployment>-<pod-template-hash>-<5 chars> as Kubernetes does', () => {
    const c = testCluster();

    c.apply(STAR_WARS);

    const pods = deathstarPods(c.state);
    expect(pods).toHaveLength(2);
    for (const p of pods) expect(p.metadata.name).toMatch(POD_NAME);
    expect(new Set(pods.map((p) => p.metadata.labels['pod-template-hash'])).size).toBe(1);
  });

  it('gives pods the template labels, pod-template-hash and an owner reference to the ReplicaSet', () => {
    const c = testCluster();
    c.apply(STAR_WARS);

    const [pod] = deathstarPods(c.state);
    const hash = pod!.metadata.labels['pod-template-hash']!;

    expect(pod!.metadata.labels).toEqual({ org: 'empire', class: 'deathstar', 'pod-template-hash': hash });
    expect(pod!.metadata.ownerReferences).toEqual([
      expect.objectContaining({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `deathstar-${hash}`, controller: true }),
    ]);
  });

  it('gives the same names for the same seed and other names for another seed', () => {
    const names = (seed: number): string[] => {
      const c = testCluster(seed);
      c.apply(STAR_WARS);
      return deathstarPods(c.state).map((p) => p.metadata.name);
    };

    expect(names(7)).toEqual(names(7));
    expect(names(7)).not.toEqual(names(8));
  });

  it('scales up and down, removing the newest pods first', () => {
    const c = testCluster();
    c.apply(STAR_WARS);
    const first = deathstarPods(c.state).map((p) => p.metadata.name);
    c.ctx.clock.moveTo(60_000_000_000);

    c.state = scaleDeployment(c.state, deathstarRef, 4, c.ctx).state;
    expect(deathstarPods(c.state)).toHaveLength(4);
    c.state = scaleDeployment(c.state, deathstarRef, 2, c.ctx).state;

    expect(
      deathstarPods(c.state)
        .map((p) => p.metadata.name)
        .sort(),
    ).toEqual([...first].sort());
    expect(getObject(c.state, deathstarRef)!.status).toMatchObject({
      replicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      updatedReplicas: 2,
    });
  });

  it('rolls every pod to a new hash when the template changes', () => {
    const c = testCluster();
    c.apply(STAR_WARS);
    const oldHash = deathstarPods(c.state)[0]!.metadata.labels['pod-template-hash'];

    c.apply(STAR_WARS.replace('image: quay.io/cilium/starwars:v2.1', 'image: quay.io/cilium/starwars:v2.2'));

    const pods = deathstarPods(c.state);
    expect(pods).toHaveLength(2);
    expect(pods.every((p) => p.metadata.labels['pod-template-hash'] !== oldHash)).toBe(true);
    expect(getObject(c.state, deathstarRef)!.metadata.generation).toBe(2);
  });

  it('replaces a deleted pod with a new one', () => {
    const c = testCluster();
    c.apply(STAR_WARS);
    const [victim] = deathstarPods(c.state);

    c.state = deleteObject(c.state, { kind: 'Pod', namespace: 'default', name: victim!.metadata.name }, c.ctx).state;

    const names = deathstarPods(c.state).map((p) => p.metadata.name);
    expect(names).toHaveLength(2);
    expect(names).not.toContain(victim!.metadata.name);
  });

  it('releases a relabelled pod and creates a replacement', () => {
    const c = testCluster();
    c.apply(STAR_WARS);
    const [pod] = deathstarPods(c.state);

    c.state = labelObject(
      c.state,
      { kind: 'Pod', namespace: 'default', name: pod!.metadata.name },
      { class: 'quarantine' },
      true,
      c.ctx,
    ).state;

    const released = getObject(c.state, { kind: 'Pod', namespace: 'default', name: pod!.metadata.name })!;
    expect(released.metadata.ownerReferences).toBeUndefined();
    expect(deathstarPods(c.state).filter((p) => p.metadata.labels['class'] === 'deathstar')).toHaveLength(2);
  });
});
