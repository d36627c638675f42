import { keysIn, objectIn, type Bucket } from './buckets.ts';
import type { Prior } from './stateIndex.ts';

/** A key a commit added to or removed from a bucket, newest first. */
interface Moved {
  readonly key: string;
  readonly next: Moved | undefined;
}

/**
 * One bucket's keys in order (what `listObjects` walks), sorted only when someone reads them.
 * A commit that adds or removes keys does not merge them in: it notes them in front of the keys
 * it moved before, at the cost of the keys it wrote, and the first read sorts the notes into the
 * last sorted keys. An apply of thousands of objects into a namespace nobody lists while it
 * runs so sorts each namespace's keys a few times, not once per object. The notes are sorted in
 * when they outnumber the sorted keys, so a read costs at most a few times the bucket's size.
 */
export class BucketKeys {
  readonly #base: readonly string[];
  readonly #moved: Moved | undefined;
  readonly #count: number;
  #sorted: readonly string[] | undefined;

  private constructor(base: readonly string[], moved: Moved | undefined, count: number) {
    this.#base = base;
    this.#moved = moved;
    this.#count = count;
    this.#sorted = moved === undefined ? base : undefined;
  }

  /** The keys of `bucket`, sorted now. */
  static of(bucket: Bucket): BucketKeys {
    return new BucketKeys(keysIn(bucket).sort(), undefined, 0);
  }

  /** The keys in order; `bucket` must be the bucket these are the keys of. */
  sorted(bucket: Bucket): readonly string[] {
    this.#sorted ??= sortIn(this.#base, this.#moved, bucket);
    return this.#sorted;
  }

  /**
   * The keys after a commit wrote `written` to the bucket (`next` after it, `prior` before):
   * these same keys when no key came or went (a relabel, a status), else these with the moved
   * keys noted.
   */
  after(prior: Prior, next: Bucket, written: readonly string[]): BucketKeys {
    const sorted = this.#sorted;
    const base = sorted ?? this.#base;
    const noted = sorted === undefined ? this.#moved : undefined;
    let moved = noted;
    let count = sorted === undefined ? this.#count : 0;
    for (const key of written) {
      if ((prior.object(key) === undefined) === (objectIn(next, key) === undefined)) continue;
      moved = { key, next: moved };
      count++;
    }
    if (moved === noted) return this;
    if (count <= 2 * base.length + 64) return new BucketKeys(base, moved, count);
    return new BucketKeys(sortIn(base, moved, next), undefined, 0);
  }
}

/** The keys of `bucket`, sorted, from `base` (sorted keys of an earlier version) and the keys `moved` since. */
function sortIn(base: readonly string[], moved: Moved | undefined, bucket: Bucket): readonly string[] {
  const touched = new Set<string>();
  for (let m = moved; m !== undefined; m = m.next) touched.add(m.key);
  const present = (key: string): boolean => objectIn(bucket, key) !== undefined;
  // Keys not moved since `base` are still there; moved ones are where the bucket has them.
  const kept = base.filter((k) => !touched.has(k) || present(k));
  const inBase = new Set(kept);
  const added = [...touched].filter((k) => !inBase.has(k) && present(k)).sort();
  if (added.length === 0) return kept;
  const out: string[] = [];
  let j = 0;
  for (const k of kept) {
    while (j < added.length && added[j]! < k) out.push(added[j++]!);
    out.push(k);
  }
  while (j < added.length) out.push(added[j++]!);
  return out;
}
