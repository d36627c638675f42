import { defineBucketIndex } from './bucketIndex.ts';
import { BucketKeys } from './bucketKeys.ts';
import { bucketIn, bucketNames, bucketOf, compareBucketNames, objectIn, writtenByBucket, type Buckets } from './buckets.ts';
import { KINDS } from './kinds.ts';
import { objectKey, type K8sObject, type Kind, type ObjectOfKind, type ObjectRef } from './objects.ts';
import { defineIndex, INDEXES, IndexTable, type Indexed } from './stateIndex.ts';

/**
 * The API server's object store: every object under its stable key (`Pod/default/xwing`), kept
 * in buckets (see buckets.ts). Immutable; made only by the store's commits (transaction.ts), or
 * `EMPTY_K8S_STATE`. `revision` grows with every committed change and becomes the objects'
 * `resourceVersion`. Read it with `getObject`/`listObjects`; it holds its own indexes
 * (stateIndex.ts), which is why there is no way to make one by hand.
 */
export class K8sState implements Indexed {
  readonly revision: number;
  /** The storage: deep-frozen, shared with the states before and after wherever unchanged. */
  readonly buckets: Buckets;
  readonly #indexes = new IndexTable();

  /** @internal Use `EMPTY_K8S_STATE` or a commit. */
  constructor(revision: number, buckets: Buckets) {
    this.revision = revision;
    this.buckets = buckets;
    Object.freeze(this);
  }

  /** @internal */
  get [INDEXES](): IndexTable {
    return this.#indexes;
  }

  /**
   * Every object by key, in key order. Built on first read, at a cost linear in the cluster, so
   * code on a hot path reads `getObject`/`listObjects` instead.
   */
  get objects(): Readonly<Record<string, K8sObject>> {
    return flatView.of(this);
  }
}

/** The state with no object, at revision 0: what bootstrap starts from. */
export const EMPTY_K8S_STATE: K8sState = new K8sState(0, Object.freeze([]));

/** Each bucket's keys, sorted when read: the order `listObjects` returns objects in (bucketKeys.ts). */
const sortedKeysIndex = defineBucketIndex<K8sState, BucketKeys>({
  name: 'sortedKeys',
  build: (bucket) => BucketKeys.of(bucket),
  carry: (before, prior, next, written) => before.after(prior, next, written),
});

/** Kind -> its bucket names, in `compareBucketNames` order; changes only when a bucket comes or goes. */
const bucketsOfKindIndex = defineIndex<K8sState, ReadonlyMap<string, readonly string[]>>({
  name: 'bucketsOfKind',
  build: (state) => {
    const byKind = new Map<string, string[]>();
    for (const b of bucketNames(state.buckets).sort(compareBucketNames)) {
      const kind = kindOfBucket(b);
      const list = byKind.get(kind);
      if (list === undefined) byKind.set(kind, [b]);
      else list.push(b);
    }
    return byKind;
  },
  carry: (byKind, _prev, next, changes, prior) => {
    let out: Map<string, readonly string[]> | undefined;
    for (const b of writtenByBucket(changes).keys()) {
      const [was, is] = [prior.hadBucket(b), bucketIn(next.buckets, b) !== undefined];
      if (was === is) continue;
      out ??= new Map(byKind);
      const kind = kindOfBucket(b);
      const rest = (out.get(kind) ?? []).filter((n) => n !== b);
      if (is) rest.splice(insertionPoint(rest, b), 0, b);
      if (rest.length === 0) out.delete(kind);
      else out.set(kind, rest);
    }
    return out ?? byKind;
  },
});

function kindOfBucket(bucket: string): string {
  const slash = bucket.indexOf('/');
  return slash < 0 ? bucket : bucket.slice(0, slash);
}

function insertionPoint(sorted: readonly string[], name: string): number {
  let i = sorted.length;
  while (i > 0 && compareBucketNames(sorted[i - 1]!, name) > 0) i--;
  return i;
}

/** Every object by key, in key order: the `objects` view. Not carried, since it costs the cluster. */
const flatView = defineIndex<K8sState, Readonly<Record<string, K8sObject>>>({
  name: 'flatView',
  build: (state) => {
    const out: Record<string, K8sObject> = {};
    for (const b of bucketNames(state.buckets).sort(compareBucketNames)) {
      const rec = bucketIn(state.buckets, b)!;
      for (const key of sortedKeysOf(state, b)) out[key] = objectIn(rec, key)!;
    }
    return Object.freeze(out);
  },
});

export function getObject<K extends Kind>(state: K8sState, ref: ObjectRef & { kind: K }): ObjectOfKind<K> | undefined {
  return getByKey(state, objectKey(ref)) as ObjectOfKind<K> | undefined;
}

export function getByKey(state: K8sState, key: string): K8sObject | undefined {
  const bucket = bucketIn(state.buckets, bucketOf(key));
  return bucket === undefined ? undefined : objectIn(bucket, key);
}

/** The sorted keys of bucket `name` (none when it is empty). */
export function sortedKeysOf(state: K8sState, name: string): readonly string[] {
  const keys = sortedKeysIndex.of(state).get(name);
  return keys === undefined ? [] : keys.sorted(bucketIn(state.buckets, name)!);
}

/**
 * Every object of a kind, in key order (namespace, then name), so listings and controllers
 * visit objects in the same order on every run. `namespace` narrows namespaced kinds.
 */
export function listObjects<K extends Kind>(state: K8sState, kind: K, namespace?: string): ObjectOfKind<K>[] {
  const names = namespace === undefined || !KINDS[kind].namespaced ? bucketNamesOfKind(state, kind) : [`${kind}/${namespace}`];
  const out: ObjectOfKind<K>[] = [];
  for (const b of names) {
    const rec = bucketIn(state.buckets, b);
    if (rec !== undefined) for (const key of sortedKeysOf(state, b)) out.push(objectIn(rec, key) as ObjectOfKind<K>);
  }
  return out;
}

/** The sorted keys of one kind (all namespaces), in the order `listObjects` returns objects. */
export function keysOfKind(state: K8sState, kind: Kind): readonly string[] {
  return bucketNamesOfKind(state, kind).flatMap((b) => sortedKeysOf(state, b));
}

/** Sorted keys of every object in `namespace`, whatever its kind. */
export function keysInNamespace(state: K8sState, namespace: string): string[] {
  const suffix = `/${namespace}`;
  return bucketNames(state.buckets)
    .sort(compareBucketNames)
    .filter((b) => b.endsWith(suffix) && b.indexOf('/') === b.length - suffix.length)
    .flatMap((b) => sortedKeysOf(state, b));
}

/** The bucket names of a kind, ordered so that concatenating their sorted keys gives key order. */
function bucketNamesOfKind(state: K8sState, kind: Kind): readonly string[] {
  if (!KINDS[kind].namespaced) return bucketIn(state.buckets, kind) === undefined ? [] : [kind];
  return bucketsOfKindIndex.of(state).get(kind) ?? [];
}
