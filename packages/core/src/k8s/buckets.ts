import type { K8sObject } from './objects.ts';

/**
 * The store's layout: root -> shard -> bucket -> page -> key -> object.
 * - A bucket holds one kind of one namespace (`Pod/default`), or a cluster-wide kind (`Node`).
 * - Buckets are spread over 64 shards by a hash of their name, and a bucket's objects over up to
 *   16 pages by a hash of their name.
 * A commit copies (and immer freezes) only the root, the shards, buckets and pages it writes to,
 * and the objects written; everything else is shared with the base. Each of those records stays
 * small (64 shards, a few buckets, 16 pages, a sixteenth of a namespace), so a commit costs what
 * it writes, not the size of its namespace or of the cluster. Read through the functions below.
 *
 * Shards and pages are Maps, as their keys are data (bucket names, object keys): V8 gives a small
 * record of its own keys a hidden class of its own, which cost 5% more heap per pod with record
 * pages and slowed commits in clusters of many namespaces. The root is an array of the shards,
 * by number; buckets are keyed by page numbers, which V8 keeps as array elements.
 */
export type Buckets = readonly (ReadonlyMap<string, Bucket> | undefined)[];

/** The objects of one bucket, by page. */
export type Bucket = Readonly<Record<string, Page>>;

/** Some of a bucket's objects, by key. */
export type Page = ReadonlyMap<string, K8sObject>;

export const SHARDS = 64;
const PAGES = 16;
const PAGE_NAMES: readonly string[] = Array.from({ length: PAGES }, (_, i) => String(i));

/** The shard holding bucket `name` (a stable string hash, so the layout is deterministic). */
export function shardIndex(name: string): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) | 0;
  return (h >>> 0) % SHARDS;
}

/** The bucket of a key: everything before its last `/` (`Pod/default/x` -> `Pod/default`). */
export function bucketOf(key: string): string {
  return key.slice(0, key.lastIndexOf('/'));
}

/** The page of a bucket that holds `key`: a hash (FNV-1a) of the object's name, the part after the last `/`. */
export function pageOf(key: string): string {
  let h = 0x811c9dc5;
  for (let i = key.length - 1; i >= 0; i--) {
    const c = key.charCodeAt(i);
    if (c === 47) break;
    h = Math.imul(h ^ c, 0x01000193);
  }
  return PAGE_NAMES[(h ^ (h >>> 16)) & (PAGES - 1)]!;
}

/** The object at `key` in `bucket`. */
export function objectIn(bucket: Bucket, key: string): K8sObject | undefined {
  return bucket[pageOf(key)]?.get(key);
}

/** The keys of a bucket, in no particular order. */
export function keysIn(bucket: Bucket): string[] {
  const out: string[] = [];
  for (const page of Object.values(bucket)) for (const key of page.keys()) out.push(key);
  return out;
}

/** The bucket `name` of `buckets`, if it holds any object. */
export function bucketIn(buckets: Buckets, name: string): Bucket | undefined {
  return buckets[shardIndex(name)]?.get(name);
}

/** Every bucket name, in no particular order. */
export function bucketNames(buckets: Buckets): string[] {
  const out: string[] = [];
  for (const shard of buckets) if (shard !== undefined) for (const name of shard.keys()) out.push(name);
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

/**
 * `buckets` with `changes` written (an object, or null to remove one): only the root and the
 * shards, buckets and pages written to are copied, the rest is shared, and the copies and the
 * objects written are frozen. The same `buckets` when nothing changes (only absent keys removed).
 * This is the copy-on-write immer's `produce` did for the store, without its drafts: a commit
 * costs the records it writes and the objects' own fields, nothing per shared record.
 *
 * With `owned` (a batch's, see commitBatch.ts), the shards, buckets and pages in it are written
 * in place rather than copied, and the copies made join it unfrozen: the batch freezes them when
 * it ends. The root is copied and frozen by every commit all the same.
 */
export function writeBuckets(buckets: Buckets, changes: ReadonlyMap<string, K8sObject | null>, owned?: Set<object>): Buckets {
  let root: (Map<string, Bucket> | undefined)[] | undefined;
  const fresh = owned ?? new Set<object>();
  const copy = <T extends object>(record: T | undefined, make: (from: T | undefined) => T): T => {
    if (record !== undefined && fresh.has(record)) return record;
    const out = make(record);
    fresh.add(out);
    return out;
  };
  for (const [key, obj] of changes) {
    const b = bucketOf(key);
    const [s, p] = [shardIndex(b), pageOf(key)];
    if (obj === null && (root ?? buckets)[s]?.get(b)?.[p]?.has(key) !== true) continue;
    // An array, copied by slice: a record of 64 number-like keys cost four times as much to copy and freeze.
    root ??= buckets.slice() as (Map<string, Bucket> | undefined)[];
    const shard = copy(root[s], (from) => new Map(from));
    root[s] = shard;
    const bucket = copy(shard.get(b) as Record<string, Page> | undefined, (from) => ({ ...from }));
    shard.set(b, bucket);
    const page = copy(bucket[p] as Map<string, K8sObject> | undefined, (from) => new Map(from));
    bucket[p] = page;
    if (obj !== null) {
      page.set(key, obj);
      deepFreeze(obj);
      continue;
    }
    page.delete(key);
    if (page.size === 0) delete bucket[p];
    if (Object.keys(bucket).length === 0) shard.delete(b);
    if (shard.size === 0) root[s] = undefined;
  }
  if (root === undefined) return buckets;
  if (owned === undefined) for (const record of fresh) Object.freeze(record);
  return Object.freeze(root);
}

/** Freezes a written object down to the records it shares with frozen ones (which are frozen throughout). */
function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  if (Array.isArray(value)) for (let i = 0; i < value.length; i++) deepFreeze(value[i]);
  else for (const field of Object.values(value)) deepFreeze(field);
}
