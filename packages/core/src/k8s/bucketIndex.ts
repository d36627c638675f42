import { SHARDS, bucketIn, bucketNames, shardIndex, writtenByBucket, type Bucket, type Buckets } from './buckets.ts';
import { defineIndex, type Indexed, type Prior, type StateIndex } from './stateIndex.ts';

/** A state whose objects are stored in buckets (K8sState). */
export interface BucketedState extends Indexed {
  readonly buckets: Buckets;
}

/**
 * A value per bucket (its sorted keys, its pods by Deployment), kept in shards laid out as the
 * buckets are, so a commit copies the table of one shard per bucket it wrote, not a table of
 * every bucket in the cluster. Other indexes keyed by name (pods per node, pods by address block)
 * keep their values in one for the same reason.
 */
export class PerBucket<V> {
  readonly #shards: readonly (ReadonlyMap<string, V> | undefined)[];

  constructor(shards: readonly (ReadonlyMap<string, V> | undefined)[]) {
    this.#shards = shards;
  }

  /** No value for any key: the start of a table built with `with`. */
  static empty<V>(): PerBucket<V> {
    return new PerBucket<V>(new Array(SHARDS).fill(undefined));
  }

  get(bucket: string): V | undefined {
    return this.#shards[shardIndex(bucket)]?.get(bucket);
  }

  /** Every bucket's value, shard by shard. */
  values(): V[] {
    const out: V[] = [];
    for (const shard of this.#shards) if (shard !== undefined) for (const value of shard.values()) out.push(value);
    return out;
  }

  /** Every key and its value, shard by shard. */
  entries(): [string, V][] {
    const out: [string, V][] = [];
    for (const shard of this.#shards) if (shard !== undefined) out.push(...shard.entries());
    return out;
  }

  /** A copy with `updates` applied (undefined removes a bucket's value); the rest is shared. */
  with(updates: ReadonlyMap<string, V | undefined>): PerBucket<V> {
    if (updates.size === 0) return this;
    const shards = [...this.#shards];
    const copied = new Set<number>();
    for (const [bucket, value] of updates) {
      const i = shardIndex(bucket);
      if (!copied.has(i)) {
        copied.add(i);
        shards[i] = new Map(shards[i]);
      }
      const shard = shards[i] as Map<string, V>;
      if (value === undefined) shard.delete(bucket);
      else shard.set(bucket, value);
    }
    return new PerBucket(shards);
  }
}

export interface BucketIndexSpec<V> {
  readonly name: string;
  /** The buckets indexed (e.g. those of pods); every bucket when omitted. */
  readonly accepts?: (bucket: string) => boolean;
  /** The value of one bucket, from its objects. */
  readonly build: (bucket: Bucket, name: string) => V;
  /**
   * The value of a bucket a commit wrote to, from the base bucket's, at the cost of `written` (the
   * keys the commit wrote in it, whose objects before the commit `prior` gives). Undefined, or
   * omitted, rebuilds the bucket's value.
   */
  readonly carry?: (before: V, prior: Prior, next: Bucket, written: readonly string[]) => V | undefined;
}

/**
 * An index with a value per bucket: built for every bucket at once on first read, then carried
 * by recomputing (or patching, through `carry`) only the buckets a commit wrote to; buckets a
 * commit did not touch are the same objects in both states and keep their values.
 */
export function defineBucketIndex<S extends BucketedState, V>(spec: BucketIndexSpec<V>): StateIndex<S, PerBucket<V>> {
  const accepts = spec.accepts ?? ((): boolean => true);
  return defineIndex<S, PerBucket<V>>({
    name: spec.name,
    build: (state) => {
      const updates = new Map<string, V>();
      for (const name of bucketNames(state.buckets).sort()) {
        if (accepts(name)) updates.set(name, spec.build(bucketIn(state.buckets, name)!, name));
      }
      return PerBucket.empty<V>().with(updates);
    },
    carry: (index, _prev, next, changes, prior) => {
      const updates = new Map<string, V | undefined>();
      for (const [name, written] of writtenByBucket(changes)) {
        // A commit that only removed absent keys left the bucket as it was.
        if (!accepts(name) || written.every((k) => changes.get(k) === null && prior.object(k) === undefined)) continue;
        const to = bucketIn(next.buckets, name);
        if (to === undefined) {
          updates.set(name, undefined);
          continue;
        }
        const before = index.get(name);
        const carried = before !== undefined && prior.hadBucket(name) ? spec.carry?.(before, prior, to, written) : undefined;
        // A relabel or a policy update keeps a bucket's keys: its value, and the shard, stay shared.
        if (carried !== before || carried === undefined) updates.set(name, carried ?? spec.build(to, name));
      }
      return index.with(updates);
    },
  });
}
