import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { namespacesWithoutServiceAccount } from '../../src/k8s/controllers/namespace.ts';
import { ownerDependents } from '../../src/k8s/controllers/ownerGc.ts';
import { parseManifest } from '../../src/k8s/manifest.ts';
import { nodeLoad, pendingPodKeys, podKeyByIp, podKeysOfDeployment } from '../../src/k8s/podIndex.ts';
import { getObject, K8sState, keysInNamespace, keysOfKind, listObjects } from '../../src/k8s/state.ts';
import { builtIndexes, defineIndex, type Prior } from '../../src/k8s/stateIndex.ts';
import { applyDocuments, deleteDocuments } from '../../src/k8s/store.ts';
import { ECHO, STAR_WARS, testCluster } from './fixtures.ts';

// The indexes are internal; these tests read them through the functions the controllers use,
// and compare a state that carried its indexes with a copy of it that builds them from scratch
// (a copy made with the state's internal constructor, which only commits otherwise call).

/** A test index counting its builds and carries: the number of Pods. */
function podCounter(name: string, carries = true) {
  const calls = { builds: 0, carries: 0 };
  const index = defineIndex<K8sState, number>({
    name,
    build: (state) => {
      calls.builds++;
      return listObjects(state, 'Pod').length;
    },
    ...(carries
      ? {
          // The base is read through `prior`: a batch's commit may have written its records.
          carry: (count: number, _prev: K8sState, _next: K8sState, changes: ReadonlyMap<string, unknown>, prior: Prior) => {
            calls.carries++;
            let out = count;
            for (const [key, obj] of changes) {
              if (!key.startsWith('Pod/')) continue;
              const had = prior.object(key) !== undefined;
              out += (obj !== null ? 1 : 0) - (had ? 1 : 0);
            }
            return out;
          },
        }
      : {}),
  });
  return { index, calls };
}

describe('defineIndex', () => {
  it('builds an index on first read and keeps it on the state', () => {
    const c = testCluster();
    const { index, calls } = podCounter('test/firstRead');

    const first = index.of(c.state);
    const second = index.of(c.state);

    expect(first).toBe(listObjects(c.state, 'Pod').length);
    expect(second).toBe(first);
    expect(calls.builds).toBe(1);
    expect(builtIndexes(c.state)).toContain('test/firstRead');
  });

  it('carries an index the base holds across a commit, without building it again', () => {
    const c = testCluster();
    const { index, calls } = podCounter('test/carried');
    index.of(c.state);
    const before = c.state.revision;

    c.apply(STAR_WARS);

    expect(index.peek(c.state)).toBe(listObjects(c.state, 'Pod').length);
    expect(calls).toEqual({ builds: 1, carries: c.state.revision - before });
  });

  it('leaves a state to build its own index when there is no carry', () => {
    const c = testCluster();
    const { index, calls } = podCounter('test/notCarried', false);
    index.of(c.state);

    c.apply(STAR_WARS);

    expect(index.peek(c.state)).toBeUndefined();
    expect(index.of(c.state)).toBe(listObjects(c.state, 'Pod').length);
    expect(calls.builds).toBe(2);
  });

  it('builds nothing on a state nobody reads an index of', () => {
    const c = testCluster();
    const { index, calls } = podCounter('test/unread');

    c.apply(STAR_WARS);

    expect(index.peek(c.state)).toBeUndefined();
    expect(calls).toEqual({ builds: 0, carries: 0 });
  });

  it('rejects a second index of the same name', () => {
    podCounter('test/twice');

    expect(() => podCounter('test/twice')).toThrow('index test/twice defined twice');
  });
});

describe('the store indexes', () => {
  const pieces = [
    ...STAR_WARS.split('---\n').filter((s) => s.trim() !== ''),
    ...ECHO.split('---\n'),
    'apiVersion: v1\nkind: Namespace\nmetadata: { name: team-a }\n',
    'apiVersion: v1\nkind: Pod\nmetadata: { name: lone, namespace: team-a }\nspec: { containers: [{ name: c, image: nginx }] }\n',
    'apiVersion: v1\nkind: Pod\nmetadata: { name: stuck }\nspec: { nodeSelector: { none: none }, containers: [{ name: c, image: nginx }] }\n',
  ];

  /** What the controllers read of the indexes, for every namespace and Deployment the pieces name. */
  function readings(state: K8sState) {
    const pods = listObjects(state, 'Pod');
    return {
      pods: keysOfKind(state, 'Pod'),
      defaultKeys: keysInNamespace(state, 'default'),
      pending: pendingPodKeys(state),
      load: [...nodeLoad(state)].sort(),
      byIp: pods.map((p) => (p.status.podIP === undefined ? undefined : podKeyByIp(state, p.status.podIP))),
      deathstar: podKeysOfDeployment(state, 'default', 'deathstar'),
      missingAccounts: [...namespacesWithoutServiceAccount(state)].sort(),
      owners: [...ownerDependents(state)].map(([uid, keys]) => [uid, [...keys].sort()]).sort(),
      objects: Object.keys(state.objects),
    };
  }

  it('carries indexes that read the same as indexes built from scratch', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.subarray(pieces, { minLength: 1 }), fc.boolean()), { minLength: 1, maxLength: 4 }), (steps) => {
        const c = testCluster();
        readings(c.state);

        for (const [chosen, remove] of steps) {
          const yaml = chosen.join('---\n');
          if (remove) c.state = deleteDocuments(c.state, parseManifest(yaml), c.ctx).state;
          else c.apply(yaml);
          const fresh = new K8sState(c.state.revision, c.state.buckets);

          expect(readings(c.state)).toEqual(readings(fresh));
        }
      }),
      { numRuns: 25 },
    );
  });

  it('commits a manifest as one batch to the state, indexes and results of one document at a time', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.subarray(pieces, { minLength: 1 }), fc.boolean()), { minLength: 1, maxLength: 4 }), (steps) => {
        const [batched, single] = [testCluster(), testCluster()];
        readings(batched.state);
        readings(single.state);

        for (const [chosen, remove] of steps) {
          // delete -f deletes Namespaces last, which one document at a time would not.
          const docs = parseManifest(chosen.join('---\n')).filter((d) => !remove || (d.value as { kind: string }).kind !== 'Namespace');
          const before = batched.state;
          const seen = JSON.stringify(before.objects);
          const out = (remove ? deleteDocuments : applyDocuments)(batched.state, docs, batched.ctx);
          batched.state = out.state;
          const results = docs.map((doc) => {
            const one = (remove ? deleteDocuments : applyDocuments)(single.state, [doc], single.ctx);
            single.state = one.state;
            return one.results[0];
          });

          expect(out.results).toEqual(results);
          expect(batched.state.revision).toBe(single.state.revision);
          expect(readings(batched.state)).toEqual(readings(single.state));
          // The state the batch started from is as it was, and the one it ends with frozen.
          expect(JSON.stringify(before.objects)).toBe(seen);
          for (const shard of batched.state.buckets) {
            if (shard === undefined) continue;
            expect(Object.isFrozen(shard)).toBe(true);
            for (const bucket of shard.values()) {
              expect(Object.isFrozen(bucket)).toBe(true);
              for (const page of Object.values(bucket)) expect(Object.isFrozen(page)).toBe(true);
            }
          }
        }
      }),
      { numRuns: 25 },
    );
  });

  it('keeps every index of a state once read, across commits', () => {
    const c = testCluster();
    readings(c.state);
    const held = builtIndexes(c.state);

    c.apply(STAR_WARS);

    expect(builtIndexes(c.state)).toEqual(expect.arrayContaining(held.filter((name) => name !== 'flatView')));
    expect(builtIndexes(c.state)).not.toContain('flatView');
  });
});

describe('a committed state', () => {
  it('is deep-frozen, down to the objects a commit wrote', () => {
    const c = testCluster();

    c.apply(STAR_WARS);
    const xwing = getObject(c.state, { kind: 'Pod', namespace: 'default', name: 'xwing' })!;

    expect(Object.isFrozen(c.state)).toBe(true);
    expect(Object.isFrozen(c.state.buckets)).toBe(true);
    expect(Object.isFrozen(xwing)).toBe(true);
    expect(Object.isFrozen(xwing.metadata.labels)).toBe(true);
    expect(Object.isFrozen(xwing.spec.containers[0])).toBe(true);
  });

  it('is made only by commits: a hand-made record is not a state', () => {
    // @ts-expect-error K8sState is a class with private storage; `{ objects, revision }` is not one.
    const handMade: K8sState = { objects: {}, revision: 0 };

    expect(handMade).toBeDefined();
  });
});
