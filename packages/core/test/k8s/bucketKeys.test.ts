import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BucketKeys } from '../../src/k8s/bucketKeys.ts';
import { bucketIn, keysIn, objectIn, writeBuckets, type Buckets } from '../../src/k8s/buckets.ts';
import type { K8sObject } from '../../src/k8s/objects.ts';

const BUCKET = 'Pod/default';
const pod = (name: string): K8sObject => ({ kind: 'Pod', metadata: { name } }) as unknown as K8sObject;

describe('the keys of a bucket', () => {
  it('read in order after any run of commits, whether read after each or sorted in later', () => {
    const names = fc.constantFrom(...Array.from({ length: 40 }, (_, i) => `p${i}`));
    const commit = fc.array(fc.tuple(names, fc.boolean()), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(fc.array(fc.tuple(commit, fc.boolean()), { minLength: 1, maxLength: 40 }), (commits) => {
        let buckets: Buckets = Object.freeze([]);
        let keys: BucketKeys | undefined;
        for (const [writes, read] of commits) {
          const changes = new Map<string, K8sObject | null>(writes.map(([name, put]) => [`${BUCKET}/${name}`, put ? pod(name) : null]));
          const before = buckets;
          buckets = writeBuckets(before, changes);
          const prior = {
            object: (key: string) => {
              const b = bucketIn(before, BUCKET);
              return b === undefined ? undefined : objectIn(b, key);
            },
            hadBucket: () => bucketIn(before, BUCKET) !== undefined,
          };
          const next = bucketIn(buckets, BUCKET);
          if (next === undefined) keys = undefined;
          else keys = keys === undefined ? BucketKeys.of(next) : keys.after(prior, next, [...changes.keys()]);
          if (read && next !== undefined) expect(keys!.sorted(next)).toEqual(keysIn(next).sort());
        }
        const last = bucketIn(buckets, BUCKET);
        if (last !== undefined) expect(keys!.sorted(last)).toEqual(keysIn(last).sort());
      }),
      { numRuns: 200 },
    );
  });
});
