import type { K8sObject } from './objects.ts';

/**
 * The store's indexes: values derived from an immutable state (sorted keys, pods per node,
 * Pending pods, ...) that the state itself holds. An index is built from a state the first time
 * someone reads it there, and a commit hands every index its base state holds to the new state
 * through the index's `carry`, at the cost of the keys the commit wrote. So a chain of commits
 * pays for a full build once, and a state nobody reads an index of never pays for it.
 *
 * The registry is generic over the state type only so that this module does not import state.ts
 * (which imports it); `K8sState` is the one state type that implements `Indexed`.
 */

/** The writes of one commit: the object now at each key written, or null for a removal. */
export type Changes = ReadonlyMap<string, K8sObject | null>;

/**
 * The base of a commit as it was, for the keys and buckets the commit wrote, read before the
 * commit wrote anything: a commit inside a batch (commitBatch.ts) writes the records it shares
 * with its base in place, so a carry reads the base through this and never through its buckets.
 */
export interface Prior {
  /** The object at `key` before the commit (key one of the commit's writes). */
  object(key: string): K8sObject | undefined;
  /** Whether bucket `name` (one the commit wrote to) held any object before the commit. */
  hadBucket(name: string): boolean;
}

export interface IndexSpec<S, T> {
  /** Unique; names the index in `builtIndexes` and in errors. */
  readonly name: string;
  /** Computes the index from a whole state, on the first read of a state that did not inherit it. */
  readonly build: (state: S) => T;
  /**
   * The index of `next`, which a commit made from `prev` by writing `changes`, derived from
   * `prevIndex` (prev's) at the cost of the changes. Returning undefined, or omitting `carry`,
   * leaves `next` to build its own on first read. Read `next` with `getByKey`, not through
   * other indexes (`next` holds only the indexes carried before this one), and what `prev` held
   * through `prior`, never through `prev`'s buckets (a batch's commit may have written them).
   */
  readonly carry?: (prevIndex: T, prev: S, next: S, changes: Changes, prior: Prior) => T | undefined;
  /**
   * Kept on every committed state even when nobody read it on the base: for indexes that cannot
   * be rebuilt from a state afterwards, such as the log of which keys each commit wrote. `build`
   * must then be cheap, as every commit may call it on its base.
   */
  readonly always?: boolean;
}

export interface StateIndex<S, T> {
  readonly name: string;
  /** The index of `state`, built now if the state neither built nor inherited it. */
  of(state: S): T;
  /** The index of `state` if it holds one already; never builds. */
  peek(state: S): T | undefined;
}

/** Where a state keeps its indexes; only this module and the state's class touch it. */
export const INDEXES: unique symbol = Symbol('indexes');

/** A state that holds its indexes. */
export interface Indexed {
  readonly [INDEXES]: IndexTable;
}

type AnyIndex = Index<never, unknown>;

/**
 * The indexes one state holds, in the order they were built or carried. A state is frozen; its
 * table fills as indexes are read, which changes nothing a reader can observe but the cost.
 */
export class IndexTable {
  readonly #values = new Map<AnyIndex, unknown>();

  get size(): number {
    return this.#values.size;
  }

  /** @internal */
  lookup(index: AnyIndex): unknown {
    return this.#values.get(index);
  }

  /** @internal */
  store(index: AnyIndex, value: unknown): void {
    this.#values.set(index, value);
  }

  /** @internal */
  entries(): IterableIterator<[AnyIndex, unknown]> {
    return this.#values.entries();
  }
}

class Index<S extends Indexed, T> implements StateIndex<S, T> {
  readonly name: string;
  readonly spec: IndexSpec<S, T>;

  constructor(spec: IndexSpec<S, T>) {
    this.name = spec.name;
    this.spec = spec;
  }

  of(state: S): T {
    const table = state[INDEXES];
    const found = table.lookup(this as AnyIndex);
    if (found !== undefined) return found as T;
    const built = this.spec.build(state);
    if (built === undefined) throw new Error(`invariant violated: index ${this.name} built undefined`);
    table.store(this as AnyIndex, built);
    return built;
  }

  peek(state: S): T | undefined {
    return state[INDEXES].lookup(this as AnyIndex) as T | undefined;
  }
}

const names = new Set<string>();
const alwaysKept: AnyIndex[] = [];

/**
 * Registers an index. Call it once, at module level, beside the code that reads the index.
 *
 * @example
 * const podsPerNode = defineIndex({
 *   name: 'podsPerNode',
 *   build: (state: K8sState) => countPods(state),
 *   carry: (counts, prev, next, changes) => recount(counts, prev, changes),
 * });
 * podsPerNode.of(state).get('kind-worker');
 */
export function defineIndex<S extends Indexed, T>(spec: IndexSpec<S, T>): StateIndex<S, T> {
  if (names.has(spec.name)) throw new Error(`invariant violated: index ${spec.name} defined twice`);
  names.add(spec.name);
  const index = new Index(spec);
  if (spec.always === true) alwaysKept.push(index as AnyIndex);
  return index;
}

/** Builds on `prev`, about to be committed from, the indexes kept always; the commit calls it before writing. */
export function keepIndexes<S extends Indexed>(prev: S): void {
  for (const index of alwaysKept) (index as unknown as Index<S, unknown>).of(prev);
}

/**
 * Hands `next`, just committed from `prev` with `changes`, the indexes `prev` holds (and those
 * kept always, see `keepIndexes`), each through its `carry`. Called by the commit, once per new state.
 */
export function carryIndexes<S extends Indexed>(prev: S, next: S, changes: Changes, prior: Prior): void {
  const table = next[INDEXES];
  for (const [index, value] of prev[INDEXES].entries()) {
    const spec = (index as unknown as Index<S, unknown>).spec;
    const carried = spec.carry?.(value, prev, next, changes, prior);
    if (carried !== undefined) table.store(index, carried);
  }
}

/** Names of the indexes `state` holds, in the order they were built or carried (for tests). */
export function builtIndexes(state: Indexed): string[] {
  return [...state[INDEXES].entries()].map(([index]) => index.name);
}

/** A sorted list of keys (an index's entry) with `key` in its place, once: a new array. */
export function insertSorted(keys: readonly string[], key: string): string[] {
  const out = keys.filter((k) => k !== key);
  let i = out.length;
  while (i > 0 && out[i - 1]! > key) i--;
  out.splice(i, 0, key);
  return out;
}
