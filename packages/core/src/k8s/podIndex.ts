import { ipToInt } from '../ipv4.ts';
import { defineBucketIndex } from './bucketIndex.ts';
import { POD_CIDR } from './ipam.ts';
import { nodeFits, writesNode, type NodeFits } from './scheduler.ts';
import { keysIn, objectIn, type Bucket } from './buckets.ts';
import { objectKey, refOf, type K8sObject, type Pod } from './objects.ts';
import { getByKey, listObjects, type K8sState } from './state.ts';
import { defineIndex, insertSorted, type Changes, type Prior } from './stateIndex.ts';

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
function carryPodBucket(before: PodBucketIndex, prior: Prior, next: Bucket, written: readonly string[]): PodBucketIndex | undefined {
  const deploymentOf = (p: Pod | undefined): string | undefined => (p === undefined ? undefined : ownerDeploymentName(p));
  const isPending = (p: Pod | undefined): boolean => p?.status.phase === 'Pending';
  let byDeployment: Map<string, readonly string[]> | undefined;
  let pending: Set<string> | undefined;
  for (const key of written) {
    const a = prior.object(key) as Pod | undefined;
    const b = objectIn(next, key) as Pod | undefined;
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
 * How many pods hold each address as their own (not hostNetwork): a count per address of the
 * cluster's pod CIDR, in typed arrays of one /24 each that a commit copies only where it moves
 * addresses, and a Map for addresses outside it. The IPAM asks it about every address it draws;
 * which pod holds one is looked up only when admission names it.
 */
interface PodIps {
  readonly blocks: readonly (Uint16Array | undefined)[];
  readonly elsewhere: ReadonlyMap<string, number>;
}

const POD_CIDR_BASE = ipToInt(POD_CIDR.split('/')[0]!);
const POD_CIDR_SIZE = 2 ** (32 - Number(POD_CIDR.split('/')[1]));
const BLOCK = 256;

const podIpsIndex = defineIndex<K8sState, PodIps>({
  name: 'podIps',
  build: (state) => {
    const out = writablePodIps({ blocks: [], elsewhere: new Map() });
    for (const pod of listObjects(state, 'Pod')) out.count(ownIp(pod), 1);
    return out.ips;
  },
  carry: (ips, _prev, _next, changes, prior) => {
    let out: ReturnType<typeof writablePodIps> | undefined;
    for (const [key, obj] of changes) {
      if (!key.startsWith('Pod/')) continue;
      const a = podIp(prior.object(key));
      const b = podIp(obj);
      if (a === b) continue;
      out ??= writablePodIps(ips);
      out.count(a, -1);
      out.count(b, 1);
    }
    return out?.ips ?? ips;
  },
});

/** A copy of `ips` to count into: the blocks it writes are copied on first write, the rest shared. */
function writablePodIps(ips: PodIps): { ips: PodIps; count: (ip: string | undefined, delta: number) => void } {
  const blocks = [...ips.blocks];
  const elsewhere = new Map(ips.elsewhere);
  const copied = new Set<number>();
  const count = (ip: string | undefined, delta: number): void => {
    if (ip === undefined) return;
    const slot = podCidrSlot(ip);
    if (slot === undefined) {
      const n = (elsewhere.get(ip) ?? 0) + delta;
      if (n === 0) elsewhere.delete(ip);
      else elsewhere.set(ip, n);
      return;
    }
    const b = Math.floor(slot / BLOCK);
    if (!copied.has(b)) {
      copied.add(b);
      blocks[b] = blocks[b]?.slice() ?? new Uint16Array(BLOCK);
    }
    blocks[b]![slot % BLOCK]! += delta;
  };
  return { ips: { blocks, elsewhere }, count };
}

/** The address's offset in the pod CIDR, or undefined outside it (or not an address). */
function podCidrSlot(ip: string): number | undefined {
  const n = dottedQuad(ip);
  if (n === undefined) return undefined;
  const offset = n - POD_CIDR_BASE;
  return offset >= 0 && offset < POD_CIDR_SIZE ? offset : undefined;
}

/** `parseIpv4` without its regular expressions, as the IPAM asks about every address it draws. */
function dottedQuad(ip: string): number | undefined {
  let n = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i <= ip.length; i++) {
    const c = i === ip.length ? 46 : ip.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || part > 255) return undefined;
      n = n * 256 + part;
      dots++;
      part = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      part = part * 10 + (c - 48);
      digits++;
    } else return undefined;
  }
  return dots === 4 ? n : undefined;
}

function podIp(obj: K8sObject | null | undefined): string | undefined {
  return obj?.kind === 'Pod' ? ownIp(obj) : undefined;
}

/** How many pods of `state` hold `ip` as their own address (one, or none: admission keeps them unique). */
export function podsAtIp(state: K8sState, ip: string): number {
  const { blocks, elsewhere } = podIpsIndex.of(state);
  const slot = podCidrSlot(ip);
  return slot === undefined ? (elsewhere.get(ip) ?? 0) : (blocks[Math.floor(slot / BLOCK)]?.[slot % BLOCK] ?? 0);
}

/** The key of the pod holding `ip` as its own address, if any (the first by key, should two). */
export function podKeyByIp(state: K8sState, ip: string): string | undefined {
  if (podsAtIp(state, ip) === 0) return undefined;
  const pod = listObjects(state, 'Pod').find((p) => ownIp(p) === ip);
  return pod === undefined ? undefined : objectKey(refOf(pod));
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
  carry: (load, _prev, _next, changes, prior) => {
    // New or removed nodes renumber the positions: the next read counts afresh.
    if (writesNode(changes.keys())) return undefined;
    const deltas = loadDeltas((key) => prior.object(key), changes);
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
  for (const [node, delta] of loadDeltas((key) => getByKey(base, key), changes)) {
    const slot = fits.slots.get(node);
    if (slot !== undefined) counts[slot]! += delta;
  }
  return counts;
}

/**
 * How many pods `changes` add to (or take from) each node, nodes left as they were left out;
 * `was` reads the objects before the changes.
 */
function loadDeltas(was: (key: string) => K8sObject | undefined, changes: Changes): Map<string, number> {
  const deltas = new Map<string, number>();
  const add = (node: string | undefined, d: number): void => {
    if (node === undefined) return;
    const n = (deltas.get(node) ?? 0) + d;
    if (n === 0) deltas.delete(node);
    else deltas.set(node, n);
  };
  for (const [key, obj] of changes) {
    if (!key.startsWith('Pod/')) continue;
    add(nodeOf(was(key) as Pod | undefined), -1);
    add(nodeOf((obj ?? undefined) as Pod | undefined), 1);
  }
  return deltas;
}

/** The node a pod counts towards in `nodeLoad`, if any. */
function nodeOf(pod: Pod | undefined): string | undefined {
  return pod === undefined || pod.spec.hostNetwork === true ? undefined : pod.spec.nodeName;
}
