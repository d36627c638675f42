import { bucketIn, bucketNames, keysIn } from '../buckets.ts';
import { PerBucket } from '../bucketIndex.ts';
import { KINDS, isKind } from '../kinds.ts';
import { objectKey, refOf, type K8sObject, type OwnerReference } from '../objects.ts';
import { getByKey, type K8sState } from '../state.ts';
import { defineIndex, insertSorted, type Changes, type Prior } from '../stateIndex.ts';
import type { Tx } from '../transaction.ts';
import { deleteOrMark } from './finalizers.ts';
import { replicaSetUid } from './deployment.ts';
import { impliedBy } from './impliedReplicaSet.ts';

/**
 * Kubernetes' garbage collector, for every owner reference: those written in manifests and those
 * the simulator's controllers write (a Deployment's implied ReplicaSet, a DaemonSet's, a
 * StatefulSet's, a static pod's Node).
 * - An object whose owners are all gone is deleted, in the background, as kube's GC deletes the
 *   dependents of a deleted owner (and an object whose owner never existed, or has another uid).
 *   An owner the collector cannot resolve (a kind the simulator does not store, a namespaced
 *   owner named by a cluster-scoped object) counts as present: kube's GC leaves such objects.
 * - An object with finalizers is only marked for deletion (finalizers.ts); a Namespace marked for
 *   deletion goes once nothing is left in it.
 */

/** The key of the stored object that decides whether `ref`'s owner exists; undefined when unresolvable. */
export function ownerKeyOf(dependent: K8sObject, ref: OwnerReference): string | undefined {
  const ns = dependent.metadata.namespace;
  if (ref.kind === 'ReplicaSet') return ns === undefined ? undefined : impliedBy(ns, ref.name)?.key;
  if (!isKind(ref.kind)) return undefined;
  if (!KINDS[ref.kind].namespaced) return objectKey({ kind: ref.kind, name: ref.name });
  return ns === undefined ? undefined : objectKey({ kind: ref.kind, namespace: ns, name: ref.name });
}

/** The owner keys `obj` names, each once. */
function ownerKeys(obj: K8sObject | null | undefined): string[] {
  const refs = obj?.metadata.ownerReferences;
  if (refs === undefined) return [];
  const keys: string[] = [];
  for (const r of refs) {
    const key = ownerKeyOf(obj!, r);
    if (key !== undefined && !keys.includes(key)) keys.push(key);
  }
  return keys;
}

/**
 * Owner key -> keys of the objects naming it, sorted. Sharded (PerBucket), so a commit that
 * writes a Deployment's pods copies one shard's table, not one entry per owner in the cluster.
 */
const dependentsIndex = defineIndex<K8sState, PerBucket<readonly string[]>>({
  name: 'ownerDependents',
  build: (state) => {
    const out = new Map<string, string[]>();
    for (const name of bucketNames(state.buckets))
      for (const key of keysIn(bucketIn(state.buckets, name)!)) for (const o of ownerKeys(getByKey(state, key))) push(out, o, key);
    for (const list of out.values()) list.sort();
    return PerBucket.empty<readonly string[]>().with(out);
  },
  carry: (prev, _p, next, changes, prior) => carry(prev, next, changes, prior),
});

function push(out: Map<string, string[]>, owner: string, key: string): void {
  const list = out.get(owner);
  if (list === undefined) out.set(owner, [key]);
  else list.push(key);
}

function carry(prev: PerBucket<readonly string[]>, next: K8sState, changes: Changes, prior: Prior): PerBucket<readonly string[]> {
  const updates = new Map<string, readonly string[] | undefined>();
  const current = (owner: string): readonly string[] => (updates.has(owner) ? (updates.get(owner) ?? []) : (prev.get(owner) ?? []));
  for (const key of changes.keys()) {
    const before = ownerKeys(prior.object(key));
    const after = ownerKeys(getByKey(next, key));
    if (before.length === 0 && after.length === 0) continue;
    for (const o of before) {
      if (after.includes(o)) continue;
      const left = current(o).filter((k) => k !== key);
      updates.set(o, left.length === 0 ? undefined : left);
    }
    for (const o of after) if (!before.includes(o)) updates.set(o, insertSorted(current(o), key));
  }
  return prev.with(updates);
}

/** Every owner key and the keys of its dependents, as the collector reads them. */
export function ownerDependents(state: K8sState): [string, readonly string[]][] {
  return dependentsIndex.of(state).entries();
}

/**
 * The collector's pass over one transaction, as a work list: each key the transaction wrote is
 * looked at (its own owners, and if it is gone or was made anew, its dependents), and what the
 * collector deletes or marks joins the list, so a chain of owners is followed to its end. A key
 * is looked at again only when it changed since (present, marked, removed: at most three times),
 * and the collector never writes an object back, so the list ends within three times the number
 * of objects. `full` looks at every object with owners (a state changed some other way). A
 * `pass` given goes on from an earlier one in the same transaction, looking only at what changed since.
 */
export function collectOwned(tx: Tx, full = false, pass: OwnerPass = { seen: new Map(), written: new Map() }): OwnerPass {
  if (full) for (const [, deps] of ownerDependents(tx.base)) for (const d of deps) visit(tx, d, pass);
  for (;;) {
    const keys: string[] = [];
    for (const [key, obj] of tx.changes) if (pass.seen.get(key) !== obj) keys.push(key);
    if (keys.length === 0) return pass;
    for (const key of keys) visit(tx, key, pass);
  }
}

/** What one transaction's collector has looked at: a later pass (after the controllers) goes on from it. */
export interface OwnerPass {
  /** Key -> the transaction's write it was looked at in (undefined: the base's object). */
  readonly seen: Map<string, K8sObject | null | undefined>;
  /** Owner key -> keys written in the transaction naming it, as looked at: the base's index does not list them. */
  readonly written: Map<string, string[]>;
}

function visit(tx: Tx, key: string, pass: OwnerPass): void {
  const write = tx.changes.get(key);
  if (pass.seen.has(key) && pass.seen.get(key) === write) return;
  pass.seen.set(key, write);
  const now = tx.getByKey(key);
  if (now !== undefined && write !== undefined) for (const o of ownerKeys(now)) push(pass.written, o, key);
  if (now !== undefined && orphaned(tx, now)) deleteOrMark(tx, now);
  const was = getByKey(tx.base, key);
  if (was !== undefined && tx.getByKey(key)?.metadata.uid !== was.metadata.uid) collectDependents(tx, key, pass);
  finishNamespace(tx, key);
}

/** The dependents of the owner at `key`, which is gone or was made anew: the base's, and those the transaction wrote. */
function collectDependents(tx: Tx, key: string, pass: OwnerPass): void {
  const keys = new Set([...(dependentsIndex.of(tx.base).get(key) ?? []), ...(pass.written.get(key) ?? [])]);
  for (const dep of keys) {
    const obj = tx.getByKey(dep);
    if (obj !== undefined && orphaned(tx, obj)) deleteOrMark(tx, obj);
  }
}

/** Whether `obj` names owners and none of them stands: the collector deletes it. */
function orphaned(tx: Tx, obj: K8sObject): boolean {
  const refs = obj.metadata.ownerReferences;
  return refs !== undefined && refs.length > 0 && refs.every((r) => !ownerStands(tx, obj, r));
}

/** The owner exists with the referenced uid (an implied ReplicaSet: its Deployment, by the uid it implies). */
function ownerStands(tx: Tx, dependent: K8sObject, r: OwnerReference): boolean {
  const key = ownerKeyOf(dependent, r);
  if (key === undefined) return true;
  const owner = tx.getByKey(key);
  if (owner === undefined) return false;
  if (r.kind !== 'ReplicaSet') return owner.metadata.uid === r.uid;
  return owner.kind === 'Deployment' && replicaSetUid(tx, owner, impliedBy('', r.name)!.hash) === r.uid;
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
