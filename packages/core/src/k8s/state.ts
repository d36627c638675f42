import { KINDS } from './kinds.ts';
import { objectKey, type K8sObject, type Kind, type ObjectOfKind, type ObjectRef } from './objects.ts';

/**
 * The API server's object store: every object under its stable key (`Pod/default/xwing`).
 * Immutable; changed only through immer in the store's operations. `revision` grows with every
 * committed change and becomes the objects' `resourceVersion`.
 */
export interface K8sState {
  readonly objects: Readonly<Record<string, K8sObject>>;
  readonly revision: number;
}

export const EMPTY_K8S_STATE: K8sState = Object.freeze({ objects: Object.freeze({}), revision: 0 });

export function getObject<K extends Kind>(state: K8sState, ref: ObjectRef & { kind: K }): ObjectOfKind<K> | undefined {
  return state.objects[objectKey(ref)] as ObjectOfKind<K> | undefined;
}

/**
 * Every object of a kind, in key order (namespace, then name), so listings and controllers
 * visit objects in the same order on every run. `namespace` narrows namespaced kinds.
 */
export function listObjects<K extends Kind>(state: K8sState, kind: K, namespace?: string): ObjectOfKind<K>[] {
  const prefix = namespace === undefined || !KINDS[kind].namespaced ? `${kind}/` : `${kind}/${namespace}/`;
  return keysOfKind(state, kind)
    .filter((k) => k.startsWith(prefix))
    .map((k) => state.objects[k] as ObjectOfKind<K>);
}

const kindIndex = new WeakMap<K8sState, Map<string, string[]>>();

/**
 * The sorted keys of one kind. States are immutable, so the index is built once per state and
 * shared by every listing of it; this keeps a transaction's controllers linear in the objects.
 */
export function keysOfKind(state: K8sState, kind: Kind): readonly string[] {
  let index = kindIndex.get(state);
  if (index === undefined) {
    index = new Map();
    for (const key of Object.keys(state.objects)) {
      const k = key.slice(0, key.indexOf('/'));
      const list = index.get(k);
      if (list === undefined) index.set(k, [key]);
      else list.push(key);
    }
    for (const list of index.values()) list.sort();
    kindIndex.set(state, index);
  }
  return index.get(kind) ?? [];
}
