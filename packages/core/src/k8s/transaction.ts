import { produce } from 'immer';
import { KINDS } from './kinds.ts';
import type { TxEnv } from './context.ts';
import { objectKey, refOf, type K8sObject, type Kind, type ObjectOfKind, type ObjectRef } from './objects.ts';
import { keysOfKind, type K8sState } from './state.ts';

/**
 * One API-server transaction: reads see the writes made so far, and nothing reaches the state
 * until `commit`, which applies every change in a single immer `produce`. A SimError thrown
 * before the commit therefore leaves no trace, as kubectl users expect of a rejected object.
 * Every object written gets the transaction's revision as its resourceVersion.
 */
export class Tx {
  readonly base: K8sState;
  readonly env: TxEnv;
  readonly #changes = new Map<string, K8sObject | null>();

  constructor(base: K8sState, env: TxEnv) {
    this.base = base;
    this.env = env;
  }

  get revision(): string {
    return String(this.base.revision + 1);
  }

  get<K extends Kind>(ref: ObjectRef & { kind: K }): ObjectOfKind<K> | undefined {
    const key = objectKey(ref);
    const changed = this.#changes.get(key);
    if (changed !== undefined) return (changed ?? undefined) as ObjectOfKind<K> | undefined;
    return this.base.objects[key] as ObjectOfKind<K> | undefined;
  }

  /** Objects of a kind in key order, with this transaction's writes applied. */
  list<K extends Kind>(kind: K, namespace?: string): ObjectOfKind<K>[] {
    const prefix = namespace === undefined || !KINDS[kind].namespaced ? `${kind}/` : `${kind}/${namespace}/`;
    const changed = [...this.#changes.keys()].filter((k) => k.startsWith(prefix));
    const baseKeys = keysOfKind(this.base, kind).filter((k) => k.startsWith(prefix));
    const keys = changed.length === 0 ? baseKeys : [...new Set([...baseKeys, ...changed])].sort();
    const out: ObjectOfKind<K>[] = [];
    for (const key of keys) {
      const obj = this.#changes.has(key) ? this.#changes.get(key) : this.base.objects[key];
      if (obj !== null && obj !== undefined) out.push(obj as ObjectOfKind<K>);
    }
    return out;
  }

  /** Stores `obj` (replacing any object of the same key) stamped with this revision. */
  put(obj: K8sObject): void {
    const stamped = { ...obj, metadata: { ...obj.metadata, resourceVersion: this.revision } } as K8sObject;
    this.#changes.set(objectKey(refOf(obj)), stamped);
  }

  remove(ref: ObjectRef): void {
    this.#changes.set(objectKey(ref), null);
  }

  get changed(): boolean {
    return this.#changes.size > 0;
  }

  /** The next state, or `base` itself when nothing changed (so `next === prev` means no-op). */
  commit(): K8sState {
    if (this.#changes.size === 0) return this.base;
    return produce(this.base, (draft) => {
      draft.revision += 1;
      for (const [key, obj] of this.#changes) {
        if (obj === null) delete draft.objects[key];
        else draft.objects[key] = obj as (typeof draft.objects)[string];
      }
    });
  }
}
