import { bucketIn, bucketNames, keysIn } from '../buckets.ts';
import { KINDS, isKind } from '../kinds.ts';
import { objectKey, refOf, type K8sObject, type OwnerReference } from '../objects.ts';
import { getByKey, type K8sState } from '../state.ts';
import { defineIndex, type Changes, type Prior } from '../stateIndex.ts';
import type { Tx } from '../transaction.ts';
import { terminatedPod } from './podTermination.ts';

/**
 * Kubernetes' garbage collector for the owner references written in manifests, and finalizers:
 * - an object whose owners (of kinds the simulator stores) are all gone is deleted, in the
 *   background, as kube's GC deletes the dependents of a deleted owner (and an object whose
 *   owner never existed, or has another uid, or sits in another namespace);
 * - an object with finalizers is only marked for deletion (`deletionTimestamp`) and stays until
 *   its finalizers are removed, as the API server keeps it; a Namespace stays Terminating while
 *   such an object is in it.
 * The references the simulator's own controllers write (a ReplicaSet's, a DaemonSet's, a
 * StatefulSet's, a static pod's Node) are theirs to follow (garbageCollector.ts).
 */

/** Owner uid -> keys of the objects naming it, for the references written in manifests. */
type Dependents = ReadonlyMap<string, readonly string[]>;

function followed(obj: K8sObject | null | undefined): readonly OwnerReference[] {
  const refs = obj?.metadata.ownerReferences;
  if (refs === undefined) return [];
  return refs.filter((r) => isKind(r.kind) && !(r.controller === true && CONTROLLED.has(r.kind)));
}

/** Kinds whose controller references the simulator's controllers write and follow themselves. */
const CONTROLLED = new Set(['DaemonSet', 'StatefulSet', 'Node']);

const dependentsIndex = defineIndex<K8sState, Dependents>({
  name: 'ownerDependents',
  build: (state) => {
    const out = new Map<string, string[]>();
    for (const name of bucketNames(state.buckets))
      for (const key of keysIn(bucketIn(state.buckets, name)!)) add(out, key, getByKey(state, key));
    return out;
  },
  carry: (prev, _p, next, changes, prior) => carry(prev, next, changes, prior),
});

/** Owner uid -> keys of its dependents (references written in manifests), as the collector reads them. */
export function ownerDependents(state: K8sState): Dependents {
  return dependentsIndex.of(state);
}

function add(out: Map<string, string[]>, key: string, obj: K8sObject | undefined): void {
  for (const r of followed(obj)) out.set(r.uid, [...(out.get(r.uid) ?? []).filter((k) => k !== key), key]);
}

function carry(prev: Dependents, next: K8sState, changes: Changes, prior: Prior): Dependents {
  let out: Map<string, string[]> | undefined;
  for (const key of changes.keys()) {
    const before = followed(prior.object(key));
    const after = followed(getByKey(next, key));
    if (before.length === 0 && after.length === 0) continue;
    out ??= new Map(prev as Map<string, string[]>);
    for (const r of before) {
      const left = (out.get(r.uid) ?? []).filter((k) => k !== key);
      if (left.length === 0) out.delete(r.uid);
      else out.set(r.uid, left);
    }
    add(out, key, getByKey(next, key));
  }
  return out ?? prev;
}

/** Deletes `obj` in `tx`, or marks it for deletion while it has finalizers. True when it is gone. */
export function deleteOrMark(tx: Tx, obj: K8sObject): boolean {
  if ((obj.metadata.finalizers?.length ?? 0) === 0) {
    tx.remove(refOf(obj));
    return true;
  }
  if (obj.metadata.deletionTimestamp === undefined) tx.put(markedForDeletion(obj, tx.env.now));
  return false;
}

export function markedForDeletion<T extends K8sObject>(obj: T, now: string): T {
  const metadata = { ...obj.metadata, deletionTimestamp: now, deletionGracePeriodSeconds: 0 };
  if (obj.kind === 'Namespace') return { ...obj, metadata, status: { phase: 'Terminating' } } as T;
  // The kubelet stops a deleted pod's containers after its grace period (0 here), finalizers or not.
  if (obj.kind === 'Pod') return terminatedPod({ ...obj, metadata }, now) as T;
  return { ...obj, metadata } as T;
}

/**
 * The collector's pass over one transaction: dependents of the objects it removed, objects it
 * wrote whose owners are absent, and Namespaces marked for deletion that it emptied. Repeats
 * until nothing more goes, as the collector works through a chain of owners.
 */
export function collectOwned(tx: Tx): void {
  const seen = new Set<string>();
  for (let round = 0; round < 64; round++) {
    const keys = [...tx.changes.keys()].filter((k) => !seen.has(k));
    if (keys.length === 0) return;
    for (const k of keys) seen.add(k);
    for (const key of keys) {
      const now = tx.getByKey(key);
      if (now === undefined) removeDependents(tx, key);
      else if (orphaned(tx, now, followed(now))) deleteOrMark(tx, now);
      finishNamespace(tx, key);
    }
  }
}

function removeDependents(tx: Tx, key: string): void {
  const uid = getByKey(tx.base, key)?.metadata.uid;
  if (uid === undefined) return;
  const dependents = ownerDependents(tx.base).get(uid) ?? [];
  for (const dep of dependents) {
    const obj = tx.getByKey(dep);
    if (obj !== undefined && orphaned(tx, obj, followed(obj))) deleteOrMark(tx, obj);
  }
}

/** Whether `obj` names owners and none of them is present: the collector deletes it. */
function orphaned(tx: Tx, obj: K8sObject, owners: readonly OwnerReference[]): boolean {
  return owners.length > 0 && owners.every((r) => !ownerPresent(tx, obj, r));
}

/** The owner exists with the referenced uid; a namespaced owner only in the dependent's namespace. */
function ownerPresent(tx: Tx, dependent: K8sObject, r: OwnerReference): boolean {
  if (!isKind(r.kind)) return true;
  const namespace = KINDS[r.kind].namespaced ? dependent.metadata.namespace : undefined;
  // A cluster-scoped object cannot name a namespaced owner: the reference cannot be resolved, and the collector leaves it.
  if (KINDS[r.kind].namespaced && namespace === undefined) return true;
  const owner = tx.getByKey(objectKey({ kind: r.kind, name: r.name, ...(namespace === undefined ? {} : { namespace }) }));
  return owner !== undefined && owner.metadata.uid === r.uid;
}

/** A Namespace marked for deletion goes once nothing is left in it and its own finalizers are removed. */
function finishNamespace(tx: Tx, key: string): void {
  const parts = key.split('/');
  if (parts.length !== 3 && !key.startsWith('Namespace/')) return;
  const ns = tx.get({ kind: 'Namespace', name: parts[1]! });
  if (ns?.metadata.deletionTimestamp === undefined || (ns.metadata.finalizers?.length ?? 0) > 0) return;
  const prefix = `/${parts[1]}/`;
  if (!anyLeft(tx, prefix)) tx.remove(refOf(ns));
}

function anyLeft(tx: Tx, prefix: string): boolean {
  for (const name of bucketNames(tx.base.buckets)) {
    if (!name.endsWith(prefix.slice(0, -1))) continue;
    for (const key of keysIn(bucketIn(tx.base.buckets, name)!)) if (tx.getByKey(key) !== undefined) return true;
  }
  for (const [key, obj] of tx.changes) if (obj !== null && key.includes(prefix)) return true;
  return false;
}
