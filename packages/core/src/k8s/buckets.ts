import type { K8sObject } from './objects.ts';

/** The objects of one bucket by key: `Pod/default` holds the pods of `default`, `Node` every node. */
export type Bucket = Readonly<Record<string, K8sObject>>;

/**
 * Buckets by name, spread over a fixed number of shards by a hash of the name: shard -> bucket
 * name -> bucket. A commit copies only the buckets it touches, their shards and the small root
 * (immer's structural sharing), so a change costs the size of its namespace, not the number of
 * namespaces or objects in the cluster. Read through `bucketIn` and `bucketNames`.
 */
export type Buckets = Readonly<Record<string, Readonly<Record<string, Bucket>>>>;

export const SHARDS = 64;

/** The shard holding bucket `name` (a stable string hash, so the layout is deterministic). */
export function shardOf(name: string): string {
  return String(shardIndex(name));
}

/** `shardOf` as a number, for tables indexed by shard. */
export function shardIndex(name: string): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) | 0;
  return (h >>> 0) % SHARDS;
}

/** The bucket of a key: everything before its last `/` (`Pod/default/x` -> `Pod/default`). */
export function bucketOf(key: string): string {
  return key.slice(0, key.lastIndexOf('/'));
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
 * Bucket names in the order that makes concatenating their sorted keys give the keys in full
 * sort order: `Pod/a-b/x` sorts before `Pod/a/x`, hence the trailing slash in the compare.
 */
export function compareBucketNames(a: string, b: string): number {
  const [x, y] = [`${a}/`, `${b}/`];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The keys of `changes` grouped by bucket, in write order within each. */
export function writtenByBucket(changes: ReadonlyMap<string, unknown>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const key of changes.keys()) {
    const b = bucketOf(key);
    const list = out.get(b);
    if (list === undefined) out.set(b, [key]);
    else list.push(key);
  }
  return out;
}
