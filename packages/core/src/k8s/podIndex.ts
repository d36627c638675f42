import { defineBucketIndex, PerBucket } from './bucketIndex.ts';
import { nodeFits, writesNode, type NodeFits } from './scheduler.ts';
import { keysIn, objectIn, type Bucket } from './buckets.ts';
import { objectKey, refOf, type K8sObject, type Pod } from './objects.ts';
import { getByKey, listObjects, type K8sState } from './state.ts';
import { defineIndex, type Changes } from './stateIndex.ts';

/**
 * What the controllers ask of one namespace's pods, kept per pod bucket: a commit re-indexes
 * only the namespaces it touched, at the cost of the pods it wrote.
 */
export interface PodBucketIndex {
  /** Deployment name (as the garbage collector derives it from the owner) -> pod keys, sorted. */
  readonly byDeployment: ReadonlyMap<string, readonly string[]>;
  /** Keys of Pending pods, sorted. */
  readonly pending: readonly string[];
}

const podBuckets = defineBucketIndex<K8sState, PodBucketIndex>({
  name: 'podBuckets',
  accepts: (bucket) => bucket.startsWith('Pod/'),
  build: indexPodBucket,
  carry: carryPodBucket,
});

function indexPodBucket(rec: Bucket): PodBucketIndex {
  const byDeployment = new Map<string, string[]>();
  const pending: string[] = [];
  for (const key of keysIn(rec).sort()) {
    const pod = objectIn(rec, key) as Pod;
    const d = ownerDeploymentName(pod);
    if (d !== undefined) {
      const list = byDeployment.get(d);
      if (list === undefined) byDeployment.set(d, [key]);
      else list.push(key);
    }
    if (pod.status.phase === 'Pending') pending.push(key);
  }
  return { byDeployment, pending };
}

/**
 * A copied pod bucket's index from the base bucket's: what the written pods leave as it was (a
 * relabel keeps a pod's Deployment, phase and IP) is shared, the rest is copied and patched.
 */
function carryPodBucket(before: PodBucketIndex, base: Bucket, next: Bucket, written: readonly string[]): PodBucketIndex | undefined {
  const pod = (rec: Bucket, key: string): Pod | undefined => objectIn(rec, key) as Pod | undefined;
  const deploymentOf = (p: Pod | undefined): string | undefined => (p === undefined ? undefined : ownerDeploymentName(p));
  const isPending = (p: Pod | undefined): boolean => p?.status.phase === 'Pending';
  let byDeployment: Map<string, readonly string[]> | undefined;
  let pending: Set<string> | undefined;
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
  }
  if (byDeployment === undefined && pending === undefined) return before;
  return {
    byDeployment: byDeployment ?? before.byDeployment,
    pending: pending === undefined ? before.pending : [...pending].sort(),
  };
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

/**
 * Keys of every Pending pod in the state, sorted: found once, then carried from commit to commit
 * at the cost of the pods written.
 */
const pendingPods = defineIndex<K8sState, readonly string[]>({
  name: 'pendingPods',
  build: (state) => {
    const out: string[] = [];
    for (const index of podBuckets.of(state).values()) out.push(...index.pending);
    return out.sort();
  },
  carry: (pending, _prev, _next, changes) => {
    const podChanges = [...changes].filter(([k]) => k.startsWith('Pod/'));
    if (podChanges.length === 0) return pending;
    const keys = new Set(pending);
    for (const [key, obj] of podChanges) {
      if (obj !== null && (obj as Pod).status.phase === 'Pending') keys.add(key);
      else keys.delete(key);
    }
    return [...keys].sort();
  },
});

/** Keys of every Pending pod in the state, sorted. */
export function pendingPodKeys(state: K8sState): readonly string[] {
  return pendingPods.of(state);
}

/**
 * Pod IP -> key for pods with an address of their own (not hostNetwork), by /26 block (a large
 * cluster's per-node pod CIDR) kept in shards: a commit copies the blocks and shards it wrote to,
 * not one entry per pod of the cluster. The IPAM asks it about every address it draws.
 */
const podsByIp = defineIndex<K8sState, PerBucket<ReadonlyMap<string, string>>>({
  name: 'podsByIp',
  build: (state) => {
    const blocks = new Map<string, Map<string, string>>();
    for (const pod of listObjects(state, 'Pod')) {
      const ip = ownIp(pod);
      if (ip === undefined) continue;
      const name = blockOf(ip);
      const block = blocks.get(name) ?? blocks.set(name, new Map()).get(name)!;
      // Pod IPs are unique (admission refuses a pinned one in use); were two to share one, the first by key wins.
      if (!block.has(ip)) block.set(ip, objectKey(refOf(pod)));
    }
    return PerBucket.empty<ReadonlyMap<string, string>>().with(blocks);
  },
  carry: (blocks, prev, _next, changes) => {
    const updates = new Map<string, Map<string, string>>();
    const current = (ip: string): ReadonlyMap<string, string> | undefined => updates.get(blockOf(ip)) ?? blocks.get(blockOf(ip));
    const writable = (ip: string): Map<string, string> => {
      const name = blockOf(ip);
      return updates.get(name) ?? updates.set(name, new Map(blocks.get(name))).get(name)!;
    };
    for (const [key, obj] of changes) {
      if (!key.startsWith('Pod/')) continue;
      const a = podIp(getByKey(prev, key));
      const b = podIp(obj);
      if (a === b) continue;
      if (a !== undefined && current(a)?.get(a) === key) writable(a).delete(a);
      if (b === undefined) continue;
      const holder = current(b)?.get(b);
      // Two pods on one address: the full build decides which the index names.
      if (holder !== undefined && holder !== key) return undefined;
      writable(b).set(b, key);
    }
    if (updates.size === 0) return blocks;
    return blocks.with(new Map([...updates].map(([name, block]) => [name, block.size === 0 ? undefined : block])));
  },
});

function podIp(obj: K8sObject | null | undefined): string | undefined {
  return obj?.kind === 'Pod' ? ownIp(obj) : undefined;
}

/** The /26 block of an address (`10.244.3.70` -> `10.244.3:1`), read from its last number only. */
function blockOf(ip: string): string {
  const dot = ip.lastIndexOf('.');
  return `${ip.slice(0, dot)}:${Number(ip.slice(dot + 1)) >>> 6}`;
}

/** The key of the pod holding `ip` as its own address, if any. */
export function podKeyByIp(state: K8sState, ip: string): string | undefined {
  return podsByIp.of(state).get(blockOf(ip))?.get(ip);
}

/** Keys of the pods whose owner names Deployment `name` of `namespace`, sorted. */
export function podKeysOfDeployment(state: K8sState, namespace: string, name: string): readonly string[] {
  return podBuckets.of(state).get(`Pod/${namespace}`)?.byDeployment.get(name) ?? [];
}

/**
 * Pods per node, as the scheduler spreads them (hostNetwork pods do not count): by the node's
 * position among the state's nodes (`nodeFits`), pods naming a node that does not exist by name.
 * Counted once, then carried: a commit that moves no pod between nodes (a relabel, a status
 * change) shares its base's counts; one that does copies the array of counts, a few kilobytes.
 */
interface NodeLoad {
  readonly fits: NodeFits;
  readonly counts: Int32Array;
  readonly elsewhere: ReadonlyMap<string, number>;
}

const nodeLoadIndex = defineIndex<K8sState, NodeLoad>({
  name: 'nodeLoad',
  build: (state) => {
    const fits = nodeFits(state);
    const counts = new Int32Array(fits.nodes.length);
    const elsewhere = new Map<string, number>();
    for (const pod of listObjects(state, 'Pod')) addCount(fits, counts, elsewhere, nodeOf(pod), 1);
    return { fits, counts, elsewhere };
  },
  carry: (load, prev, _next, changes) => {
    // New or removed nodes renumber the positions: the next read counts afresh.
    if (writesNode(changes.keys())) return undefined;
    const deltas = loadDeltas(prev, changes);
    if (deltas.size === 0) return load;
    const counts = load.counts.slice();
    const elsewhere = new Map(load.elsewhere);
    for (const [node, delta] of deltas) addCount(load.fits, counts, elsewhere, node, delta);
    return { fits: load.fits, counts, elsewhere };
  },
});

function addCount(fits: NodeFits, counts: Int32Array, elsewhere: Map<string, number>, node: string | undefined, delta: number): void {
  if (node === undefined) return;
  const slot = fits.slots.get(node);
  if (slot !== undefined) {
    counts[slot]! += delta;
    return;
  }
  const n = (elsewhere.get(node) ?? 0) + delta;
  if (n === 0) elsewhere.delete(node);
  else elsewhere.set(node, n);
}

/** Pods per node in `state` (nodes without pods left out). */
export function nodeLoad(state: K8sState): ReadonlyMap<string, number> {
  const { fits, counts, elsewhere } = nodeLoadIndex.of(state);
  const out = new Map<string, number>();
  fits.nodes.forEach((n, i) => {
    if (counts[i] !== 0) out.set(n.metadata.name, counts[i]!);
  });
  for (const [node, n] of elsewhere) out.set(node, n);
  return out;
}

/** Pods on each of `fits`' nodes, by position, after `changes` on `base` (cost: the nodes plus the changes). */
export function loadAfter(base: K8sState, changes: Changes, fits: NodeFits): Int32Array {
  const load = nodeLoadIndex.of(base);
  const counts =
    load.fits === fits
      ? load.counts.slice()
      : Int32Array.from(fits.nodes, (n) => {
          const slot = load.fits.slots.get(n.metadata.name);
          return slot === undefined ? (load.elsewhere.get(n.metadata.name) ?? 0) : load.counts[slot]!;
        });
  for (const [node, delta] of loadDeltas(base, changes)) {
    const slot = fits.slots.get(node);
    if (slot !== undefined) counts[slot]! += delta;
  }
  return counts;
}

/** How many pods `changes` add to (or take from) each node, nodes left as they were left out. */
function loadDeltas(base: K8sState, changes: Changes): Map<string, number> {
  const deltas = new Map<string, number>();
  const add = (node: string | undefined, d: number): void => {
    if (node === undefined) return;
    const n = (deltas.get(node) ?? 0) + d;
    if (n === 0) deltas.delete(node);
    else deltas.set(node, n);
  };
  for (const [key, obj] of changes) {
    if (!key.startsWith('Pod/')) continue;
    add(nodeOf(getByKey(base, key) as Pod | undefined), -1);
    add(nodeOf((obj ?? undefined) as Pod | undefined), 1);
  }
  return deltas;
}

/** The node a pod counts towards in `nodeLoad`, if any. */
function nodeOf(pod: Pod | undefined): string | undefined {
  return pod === undefined || pod.spec.hostNetwork === true ? undefined : pod.spec.nodeName;
}
