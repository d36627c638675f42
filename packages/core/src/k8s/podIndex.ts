import type { K8sObject, Pod } from './objects.ts';
import { bucketIn, bucketNames, bucketsOf, getByKey, sortedKeys, type Buckets, type K8sState } from './state.ts';

/**
 * What the controllers ask of one namespace's pods, computed once per pod bucket. Buckets are
 * immutable and shared between states, so a commit re-indexes only the namespaces it touched.
 */
export interface PodBucketIndex {
  /** Deployment name (as the garbage collector derives it from the owner) -> pod keys, sorted. */
  readonly byDeployment: ReadonlyMap<string, readonly string[]>;
  /** Keys of Pending pods, sorted. */
  readonly pending: readonly string[];
  /** Pod IP -> key, for pods with an address of their own (not hostNetwork). */
  readonly byIp: ReadonlyMap<string, string>;
}

const bucketIndexes = new WeakMap<object, PodBucketIndex>();

export function podBucketIndex(rec: Readonly<Record<string, K8sObject>>): PodBucketIndex {
  let index = bucketIndexes.get(rec);
  if (index !== undefined) return index;
  const byDeployment = new Map<string, string[]>();
  const pending: string[] = [];
  const byIp = new Map<string, string>();
  for (const key of sortedKeys(rec)) {
    const pod = rec[key] as Pod;
    const d = ownerDeploymentName(pod);
    if (d !== undefined) {
      const list = byDeployment.get(d);
      if (list === undefined) byDeployment.set(d, [key]);
      else list.push(key);
    }
    if (pod.status.phase === 'Pending') pending.push(key);
    const ip = ownIp(pod);
    if (ip !== undefined) byIp.set(ip, key);
  }
  bucketIndexes.set(rec, (index = { byDeployment, pending, byIp }));
  return index;
}

/**
 * Gives a pod bucket copied by a commit its index from the base bucket's (when known), at the
 * cost of the pods written: what they leave as it was (a relabel keeps a pod's Deployment,
 * phase and IP) is shared, the rest is copied and patched.
 */
export function carryPodBucketIndex(
  base: Readonly<Record<string, K8sObject>>,
  next: Readonly<Record<string, K8sObject>>,
  written: readonly string[],
): void {
  const before = bucketIndexes.get(base);
  if (before === undefined || bucketIndexes.has(next)) return;
  const pod = (rec: Readonly<Record<string, K8sObject>>, key: string): Pod | undefined => rec[key] as Pod | undefined;
  const deploymentOf = (p: Pod | undefined): string | undefined => (p === undefined ? undefined : ownerDeploymentName(p));
  const isPending = (p: Pod | undefined): boolean => p?.status.phase === 'Pending';
  const ipOf = (p: Pod | undefined): string | undefined => (p === undefined ? undefined : ownIp(p));
  let byDeployment: Map<string, readonly string[]> | undefined;
  let pending: Set<string> | undefined;
  let byIp: Map<string, string> | undefined;
  for (const key of written) {
    const a = pod(base, key);
    const b = pod(next, key);
    const [da, db] = [deploymentOf(a), deploymentOf(b)];
    if (da !== db || (a === undefined) !== (b === undefined)) {
      byDeployment ??= new Map(before.byDeployment);
      if (da !== undefined && a !== undefined) {
        const rest = byDeployment.get(da)!.filter((k) => k !== key);
        if (rest.length === 0) byDeployment.delete(da);
        else byDeployment.set(da, rest);
      }
      if (db !== undefined && b !== undefined) byDeployment.set(db, insertSorted(byDeployment.get(db) ?? [], key));
    }
    if (isPending(a) !== isPending(b)) {
      pending ??= new Set(before.pending);
      if (isPending(b)) pending.add(key);
      else pending.delete(key);
    }
    const [ia, ib] = [ipOf(a), ipOf(b)];
    if (ia !== ib) {
      byIp ??= new Map(before.byIp);
      if (ia !== undefined && byIp.get(ia) === key) byIp.delete(ia);
      // Pod IPs are unique; should two pods share one, the full index decides which it names.
      if (ib !== undefined && byIp.has(ib) && byIp.get(ib) !== key && next[byIp.get(ib)!] !== undefined) return;
      if (ib !== undefined) byIp.set(ib, key);
    }
  }
  bucketIndexes.set(next, {
    byDeployment: byDeployment ?? before.byDeployment,
    pending: pending === undefined ? before.pending : [...pending].sort(),
    byIp: byIp === undefined ? before.byIp : byIp,
  });
}

function insertSorted(keys: readonly string[], key: string): string[] {
  const out = keys.filter((k) => k !== key);
  let i = out.length;
  while (i > 0 && out[i - 1]! > key) i--;
  out.splice(i, 0, key);
  return out;
}

/**
 * The Deployment a pod's controlling ReplicaSet owner names (`<deployment>-<hash>`), or the owner's
 * name itself when the hash label does not match it; undefined without such an owner.
 */
export function ownerDeploymentName(pod: Pod): string | undefined {
  const rs = (pod.metadata.ownerReferences ?? []).find((o) => o.kind === 'ReplicaSet' && o.controller === true);
  if (rs === undefined) return undefined;
  const hash = pod.metadata.labels['pod-template-hash'] ?? '';
  return rs.name.endsWith(`-${hash}`) ? rs.name.slice(0, -hash.length - 1) : rs.name;
}

/** A pod's own address (hostNetwork pods share the node's, so they hold none). */
export function ownIp(pod: Pod): string | undefined {
  return pod.spec.hostNetwork !== true ? pod.status.podIP : undefined;
}

function podBuckets(buckets: Buckets): Readonly<Record<string, K8sObject>>[] {
  const out: Readonly<Record<string, K8sObject>>[] = [];
  for (const name of bucketNames(buckets)) if (name.startsWith('Pod/')) out.push(bucketIn(buckets, name)!);
  return out;
}

const pendingByState = new WeakMap<K8sState, readonly string[]>();

/** Keys of every Pending pod in the state, sorted; found once, then carried from commit to commit. */
export function pendingPodKeys(state: K8sState): readonly string[] {
  let pending = pendingByState.get(state);
  if (pending === undefined) {
    const buckets = bucketsOf(state);
    const out: string[] = [];
    for (const rec of podBuckets(buckets)) out.push(...podBucketIndex(rec).pending);
    pendingByState.set(state, (pending = out.sort()));
  }
  return pending;
}

/** The key of the pod holding `ip` as its own address, if any. */
export function podKeyByIp(state: K8sState, ip: string): string | undefined {
  for (const rec of podBuckets(bucketsOf(state))) {
    const key = podBucketIndex(rec).byIp.get(ip);
    if (key !== undefined) return key;
  }
  return undefined;
}

/** Keys of the pods whose owner names Deployment `name` of `namespace`, sorted. */
export function podKeysOfDeployment(state: K8sState, namespace: string, name: string): readonly string[] {
  const rec = bucketIn(bucketsOf(state), `Pod/${namespace}`);
  return rec === undefined ? [] : (podBucketIndex(rec).byDeployment.get(name) ?? []);
}

/** Counts the pods of each node, as the scheduler spreads them (hostNetwork pods do not count). */
function countLoad(state: K8sState): Map<string, number> {
  const load = new Map<string, number>();
  for (const rec of podBuckets(bucketsOf(state))) {
    for (const key of sortedKeys(rec)) addLoad(load, rec[key] as Pod, 1);
  }
  return load;
}

function addLoad(load: Map<string, number>, pod: Pod | undefined, delta: number): void {
  const node = pod?.spec.nodeName;
  if (pod === undefined || node === undefined || pod.spec.hostNetwork === true) return;
  load.set(node, (load.get(node) ?? 0) + delta);
}

const loads = new WeakMap<K8sState, ReadonlyMap<string, number>>();

/** Pods per node in `state`; counted once, then carried from commit to commit. */
export function nodeLoad(state: K8sState): ReadonlyMap<string, number> {
  let load = loads.get(state);
  if (load === undefined) loads.set(state, (load = countLoad(state)));
  return load;
}

/**
 * Pods per node after `changes` on `base` (cost: the nodes plus the changes). The commit calls it
 * so the next state's load is known without a recount, when the base's was.
 */
export function loadAfter(base: K8sState, changes: ReadonlyMap<string, K8sObject | null>): Map<string, number> {
  const load = new Map(nodeLoad(base));
  for (const [key, obj] of changes) {
    if (!key.startsWith('Pod/')) continue;
    addLoad(load, getByKey(base, key) as Pod | undefined, -1);
    addLoad(load, (obj ?? undefined) as Pod | undefined, 1);
  }
  return load;
}

/**
 * Records the load and the Pending pods of a freshly committed state, derived from its base's
 * (when known) and the commit's changes: the cost follows the changes, not the cluster. A commit
 * that moves no pod between nodes (a relabel, a status change) shares its base's load.
 */
export function carryLoad(base: K8sState, next: K8sState, changes: ReadonlyMap<string, K8sObject | null>): void {
  const podChanges = [...changes].filter(([k]) => k.startsWith('Pod/'));
  const load = loads.get(base);
  if (load !== undefined) {
    const moves = podChanges.some(
      ([key, obj]) => nodeOf(getByKey(base, key) as Pod | undefined) !== nodeOf((obj ?? undefined) as Pod | undefined),
    );
    loads.set(next, moves ? loadAfter(base, changes) : load);
  }
  const pending = pendingByState.get(base);
  if (pending !== undefined) {
    if (podChanges.length === 0) pendingByState.set(next, pending);
    else {
      const keys = new Set(pending);
      for (const [key, obj] of podChanges) {
        if (obj !== null && (obj as Pod).status.phase === 'Pending') keys.add(key);
        else keys.delete(key);
      }
      pendingByState.set(next, [...keys].sort());
    }
  }
}

/** The node a pod counts towards in `nodeLoad`, if any. */
function nodeOf(pod: Pod | undefined): string | undefined {
  return pod === undefined || pod.spec.hostNetwork === true ? undefined : pod.spec.nodeName;
}
