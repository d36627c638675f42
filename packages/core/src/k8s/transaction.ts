import { bucketIn, bucketOf, writeBuckets } from './buckets.ts';
import type { CommitBatch } from './commitBatch.ts';
import type { TxEnv } from './context.ts';
import { KINDS } from './kinds.ts';
import { objectKey, refOf, type K8sObject, type Kind, type ObjectOfKind, type ObjectRef } from './objects.ts';
import { getByKey, K8sState, keysOfKind, sortedKeysOf } from './state.ts';
import { carryIndexes, keepIndexes, type Prior } from './stateIndex.ts';

/**
 * One API-server transaction: reads see the writes made so far, and nothing reaches the state
 * until `commit`, which applies every change in one copy-on-write of the buckets. A SimError thrown
 * before the commit therefore leaves no trace, as kubectl users expect of a rejected object.
 * Every object written gets the transaction's revision as its resourceVersion.
 */
export class Tx {
  readonly base: K8sState;
  readonly env: TxEnv;
  readonly #changes = new Map<string, K8sObject | null>();
  readonly #revision: string;

  constructor(base: K8sState, env: TxEnv) {
    this.base = base;
    this.env = env;
    this.#revision = String(base.revision + 1);
  }

  get revision(): string {
    return this.#revision;
  }

  get<K extends Kind>(ref: ObjectRef & { kind: K }): ObjectOfKind<K> | undefined {
    const key = objectKey(ref);
    const changed = this.#changes.get(key);
    if (changed !== undefined) return (changed ?? undefined) as ObjectOfKind<K> | undefined;
    return getByKey(this.base, key) as ObjectOfKind<K> | undefined;
  }

  /** The object at `key` with this transaction's writes applied. */
  getByKey(key: string): K8sObject | undefined {
    const changed = this.#changes.get(key);
    return changed === undefined ? getByKey(this.base, key) : (changed ?? undefined);
  }

  /** This transaction's writes so far, in write order: an object, or null for a removal. */
  get changes(): ReadonlyMap<string, K8sObject | null> {
    return this.#changes;
  }

  /** Objects of a kind in key order, with this transaction's writes applied. */
  list<K extends Kind>(kind: K, namespace?: string): ObjectOfKind<K>[] {
    const prefix = namespace === undefined || !KINDS[kind].namespaced ? `${kind}/` : `${kind}/${namespace}/`;
    const changed = [...this.#changes.keys()].filter((k) => k.startsWith(prefix));
    const oneBucket = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
    const single = namespace !== undefined || !KINDS[kind].namespaced;
    const baseKeys = single ? sortedKeysOf(this.base, oneBucket) : keysOfKind(this.base, kind);
    const keys = changed.length === 0 ? baseKeys : [...new Set([...baseKeys, ...changed])].sort();
    const out: ObjectOfKind<K>[] = [];
    for (const key of keys) {
      const obj = this.#changes.has(key) ? this.#changes.get(key) : getByKey(this.base, key);
      if (obj !== null && obj !== undefined) out.push(obj as ObjectOfKind<K>);
    }
    return out;
  }

  /** Stores `obj` (replacing any object of the same key) stamped with this revision. */
  put(obj: K8sObject): void {
    const stamped = { ...obj, metadata: { ...obj.metadata, resourceVersion: this.#revision } } as K8sObject;
    this.#changes.set(objectKey(refOf(obj)), stamped);
  }

  remove(ref: ObjectRef): void {
    this.#changes.set(objectKey(ref), null);
  }

  get changed(): boolean {
    return this.#changes.size > 0;
  }

  /**
   * The next state, or `base` itself when nothing changed (so `next === prev` means no-op).
   * Inside `batch`, the commit may write records `base` shares with the batch's earlier states.
   */
  commit(batch?: CommitBatch): K8sState {
    if (this.#changes.size === 0) return this.base;
    // What the indexes' carries read of the base, read before a batch's commit writes over it.
    keepIndexes(this.base);
    const prior = priorOf(this.base, this.#changes);
    // Only the pages written to (and their buckets and shards) are copied and frozen: the rest are
    // shared with `base`. docs/architecture.md (The store) has the costs.
    const buckets = writeBuckets(this.base.buckets, this.#changes, batch?.owned);
    const next = new K8sState(this.base.revision + 1, buckets);
    carryIndexes(this.base, next, this.#changes, prior);
    return next;
  }
}

/** The objects at the written keys of `base`, and which of the written buckets held any. */
function priorOf(base: K8sState, changes: ReadonlyMap<string, K8sObject | null>): Prior {
  const objects = new Map<string, K8sObject | undefined>();
  const buckets = new Map<string, boolean>();
  for (const key of changes.keys()) {
    objects.set(key, getByKey(base, key));
    const b = bucketOf(key);
    if (!buckets.has(b)) buckets.set(b, bucketIn(base.buckets, b) !== undefined);
  }
  return {
    object: (key) => objects.get(key),
    hadBucket: (name) => buckets.get(name) === true,
  };
}
