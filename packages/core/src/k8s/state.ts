import { KINDS } from './kinds.ts';
import { objectKey, type K8sObject, type Kind, type ObjectOfKind, type ObjectRef } from './objects.ts';

/** The objects of one bucket by key: `Pod/default` holds the pods of `default`, `Node` every node. */
export type Bucket = Readonly<Record<string, K8sObject>>;

/**
 * Buckets by name, spread over a fixed number of shards by a hash of the name: shard -> bucket
 * name -> bucket. A commit copies only the buckets it touches, their shards and the small root
 * (immer's structural sharing), so a change costs the size of its namespace, not the number of
 * namespaces or objects in the cluster. Read through `bucketIn` and `bucketNames`.
 */
export type Buckets = Readonly<Record<string, Readonly<Record<string, Bucket>>>>;

const SHARDS = 64;

/** The shard holding bucket `name` (a stable string hash, so the layout is deterministic). */
export function shardOf(name: string): string {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) | 0;
  return String((h >>> 0) % SHARDS);
}

/** The bucket `name` of `buckets`, if it holds any object. */
export function bucketIn(buckets: Buckets, name: string): Bucket | undefined {
  return buckets[shardOf(name)]?.[name];
}

/** Every bucket name, in no particular order. */
export function bucketNames(buckets: Buckets): string[] {
  const out: string[] = [];
  for (const shard of Object.values(buckets)) out.push(...Object.keys(shard));
  return out;
}

/**
 * The API server's object store: every object under its stable key (`Pod/default/xwing`).
 * Immutable; changed only through immer in the store's operations. `revision` grows with every
 * committed change and becomes the objects' `resourceVersion`.
 */
export interface K8sState {
  /**
   * Every object by key, in key order. States made by a commit build this flat view on first
   * read (a cost linear in the cluster), so code on a hot path reads `getObject`/`listObjects`.
   */
  readonly objects: Readonly<Record<string, K8sObject>>;
  readonly revision: number;
  /** The storage behind `objects`; absent on hand-made states, which are indexed on first use. */
  readonly buckets?: Buckets;
}

export const EMPTY_K8S_STATE: K8sState = Object.freeze({ objects: Object.freeze({}), revision: 0 });

/** The bucket of a key: everything before its last `/` (`Pod/default/x` -> `Pod/default`). */
export function bucketOf(key: string): string {
  return key.slice(0, key.lastIndexOf('/'));
}

const flatViews = new WeakMap<K8sState, Readonly<Record<string, K8sObject>>>();
const derivedBuckets = new WeakMap<K8sState, Buckets>();

/** A committed state: `objects` is derived from the buckets when someone asks for it. */
export function stateOf(revision: number, buckets: Buckets): K8sState {
  const state: K8sState = {
    revision,
    buckets,
    get objects() {
      let flat = flatViews.get(state);
      if (flat === undefined) flatViews.set(state, (flat = flatten(buckets)));
      return flat;
    },
  };
  return Object.freeze(state);
}

function flatten(buckets: Buckets): Readonly<Record<string, K8sObject>> {
  const out: Record<string, K8sObject> = {};
  for (const b of sortedBucketNames(buckets)) {
    const rec = bucketIn(buckets, b)!;
    for (const key of sortedKeys(rec)) out[key] = rec[key]!;
  }
  return Object.freeze(out);
}

/**
 * Which keys each commit wrote or removed, linked back to its base's record, so the keys that
 * differ between a state and a later one derived from it are found without comparing buckets.
 * Only keys are kept (never objects), and a chain is cut after `MAX_LOG_DEPTH` commits so the
 * log a long-lived state holds stays bounded; past the cut, callers compare the buckets.
 */
interface CommitLog {
  readonly parent: CommitLog | undefined;
  readonly keys: readonly string[];
  readonly depth: number;
}

const MAX_LOG_DEPTH = 4096;
const commitLogs = new WeakMap<K8sState, CommitLog>();

/** Records that `next` is `base` with `keys` written or removed. */
export function recordCommit(base: K8sState, next: K8sState, keys: readonly string[]): void {
  let parent = commitLogs.get(base);
  if (parent === undefined) commitLogs.set(base, (parent = { parent: undefined, keys: [], depth: 0 }));
  commitLogs.set(next, parent.depth >= MAX_LOG_DEPTH ? { parent: undefined, keys, depth: 0 } : { parent, keys, depth: parent.depth + 1 });
}

/**
 * Every key written or removed by the commits that led from `prev` to `next` (a superset of the
 * keys whose objects differ), or undefined when `next` is not known to derive from `prev`.
 */
export function keysWrittenSince(prev: K8sState, next: K8sState): Set<string> | undefined {
  const stop = commitLogs.get(prev);
  if (stop === undefined) return undefined;
  const out = new Set<string>();
  for (let log = commitLogs.get(next); log !== undefined; log = log.parent) {
    if (log === stop) return out;
    for (const key of log.keys) out.add(key);
  }
  return undefined;
}

/** The buckets of any state, indexing a hand-made one (`{ objects, revision }`) once. */
export function bucketsOf(state: K8sState): Buckets {
  if (state.buckets !== undefined) return state.buckets;
  let b = derivedBuckets.get(state);
  if (b === undefined) {
    const out: Record<string, Record<string, Record<string, K8sObject>>> = {};
    for (const [key, obj] of Object.entries(state.objects)) {
      const name = bucketOf(key);
      ((out[shardOf(name)] ??= {})[name] ??= {})[key] = obj;
    }
    derivedBuckets.set(state, (b = out));
  }
  return b;
}

export function getObject<K extends Kind>(state: K8sState, ref: ObjectRef & { kind: K }): ObjectOfKind<K> | undefined {
  return getByKey(state, objectKey(ref)) as ObjectOfKind<K> | undefined;
}

export function getByKey(state: K8sState, key: string): K8sObject | undefined {
  if (state.buckets === undefined) return state.objects[key];
  return bucketIn(state.buckets, bucketOf(key))?.[key];
}

/**
 * Every object of a kind, in key order (namespace, then name), so listings and controllers
 * visit objects in the same order on every run. `namespace` narrows namespaced kinds.
 */
export function listObjects<K extends Kind>(state: K8sState, kind: K, namespace?: string): ObjectOfKind<K>[] {
  const buckets = bucketsOf(state);
  const names = namespace === undefined || !KINDS[kind].namespaced ? bucketNamesOfKind(buckets, kind) : [`${kind}/${namespace}`];
  const out: ObjectOfKind<K>[] = [];
  for (const b of names) {
    const rec = bucketIn(buckets, b);
    if (rec !== undefined) for (const key of sortedKeys(rec)) out.push(rec[key] as ObjectOfKind<K>);
  }
  return out;
}

/** The sorted keys of one kind (all namespaces), in the order `listObjects` returns objects. */
export function keysOfKind(state: K8sState, kind: Kind): readonly string[] {
  const buckets = bucketsOf(state);
  return bucketNamesOfKind(buckets, kind).flatMap((b) => sortedKeys(bucketIn(buckets, b)!));
}

/** Sorted keys of every object in `namespace`, whatever its kind. */
export function keysInNamespace(state: K8sState, namespace: string): string[] {
  const buckets = bucketsOf(state);
  const suffix = `/${namespace}`;
  return sortedBucketNames(buckets)
    .filter((b) => b.endsWith(suffix) && b.indexOf('/') === b.length - suffix.length)
    .flatMap((b) => sortedKeys(bucketIn(buckets, b)!));
}

const keyCache = new WeakMap<object, readonly string[]>();

/** A bucket's keys, sorted; buckets are immutable and shared, so this is cached per bucket. */
export function sortedKeys(rec: Readonly<Record<string, unknown>>): readonly string[] {
  let keys = keyCache.get(rec);
  if (keys === undefined) keyCache.set(rec, (keys = Object.keys(rec).sort()));
  return keys;
}

/**
 * Gives a bucket copied by a commit its sorted keys from the base bucket's (when known), without
 * sorting: the same array when no key came or went, else the base's with the removed keys
 * dropped and the added ones merged in.
 */
export function carrySortedKeys(
  base: Readonly<Record<string, unknown>>,
  next: Readonly<Record<string, unknown>>,
  written: readonly string[],
): void {
  const before = keyCache.get(base);
  if (before === undefined || keyCache.has(next)) return;
  const added = written.filter((k) => k in next && !(k in base)).sort();
  const removed = written.some((k) => k in base && !(k in next));
  if (added.length === 0 && !removed) {
    keyCache.set(next, before);
    return;
  }
  const out: string[] = [];
  let j = 0;
  for (const k of before) {
    while (j < added.length && added[j]! < k) out.push(added[j++]!);
    if (k in next) out.push(k);
  }
  while (j < added.length) out.push(added[j++]!);
  keyCache.set(next, out);
}

const kindCache = new WeakMap<Buckets, Map<string, readonly string[]>>();

/**
 * Bucket names of a kind, ordered so that concatenating their sorted keys gives the keys in
 * full sort order (`Pod/a-b/x` sorts before `Pod/a/x`, hence the trailing slash in the compare).
 */
function bucketNamesOfKind(buckets: Buckets, kind: Kind): readonly string[] {
  if (!KINDS[kind].namespaced) return bucketIn(buckets, kind) === undefined ? [] : [kind];
  let byKind = kindCache.get(buckets);
  if (byKind === undefined) {
    byKind = new Map();
    for (const b of sortedBucketNames(buckets)) {
      const k = b.split('/')[0]!;
      const list = byKind.get(k) as string[] | undefined;
      if (list === undefined) byKind.set(k, [b]);
      else list.push(b);
    }
    kindCache.set(buckets, byKind);
  }
  return byKind.get(kind) ?? [];
}

function sortedBucketNames(buckets: Buckets): string[] {
  return bucketNames(buckets).sort((a, b) => cmp(`${a}/`, `${b}/`));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
