import { deploymentConditions } from '../conditions.ts';
import { objectSelector, type Selector, selectorMatches } from '../labelSelector.ts';
import type { Deployment, OwnerReference, Pod } from '../objects.ts';
import type { K8sState } from '../state.ts';
import { defineIndex } from '../stateIndex.ts';
import type { Tx } from '../transaction.ts';
import { NAME_ALPHABET, podTemplateHash } from './podTemplateHash.ts';
import { generatedPrefix } from '../generateName.ts';
import { dirtyDeployments, podsOfDeployment } from './dirty.ts';
import { deleteOrMark } from './finalizers.ts';
import { impliedReplicaSetUid } from './impliedReplicaSet.ts';

/**
 * The Deployment controller, with its ReplicaSet folded in (ReplicaSets are not stored; pods
 * point at the implied `<deployment>-<hash>` ReplicaSet). For each Deployment:
 * - an owned pod whose labels no longer match the selector is released (its owner reference
 *   removed), as a ReplicaSet orphans a relabelled pod and replaces it;
 * - owned pods of an older template hash are deleted (a rollout, done at once);
 * - pods of the current hash are created or deleted (newest first) until `replicas` match;
 * - no pod is created while the service account is missing, as the ReplicaSet would fail to.
 */
export function reconcileDeployments(tx: Tx, full = false): void {
  for (const d of dirtyDeployments(tx, full)) reconcileDeployment(tx, d, ownedPods(tx, d));
}

function ownedPods(tx: Tx, d: Deployment): Pod[] {
  const derived = derivedOf(tx, d);
  return podsOfDeployment(tx, d.metadata.namespace ?? 'default', d.metadata.name).filter((p) => owns(derived, p));
}

function reconcileDeployment(tx: Tx, d: Deployment, owned: readonly Pod[]): void {
  // A Deployment marked for deletion (waiting for its finalizers) is left alone, as the controller only reports its status then.
  if (d.metadata.deletionTimestamp !== undefined) return;
  const ns = d.metadata.namespace ?? 'default';
  const hash = templateHashOf(tx, d);
  const current: Pod[] = [];
  const selector = selectorOf(tx, d);
  for (const pod of owned) {
    if (!selectorMatches(selector, pod.metadata.labels)) {
      const { ownerReferences: _released, ...metadata } = pod.metadata;
      tx.put({ ...pod, metadata });
    } else if (pod.metadata.deletionTimestamp !== undefined) {
      // Terminating (held by its finalizers): no longer a replica; another takes its place.
    } else if (pod.metadata.labels['pod-template-hash'] !== hash) {
      deleteOrMark(tx, pod);
    } else current.push(pod);
  }
  const excess = current.length - d.spec.replicas;
  if (excess > 0) {
    const newestFirst = [...current].sort(
      (a, b) => cmp(b.metadata.creationTimestamp, a.metadata.creationTimestamp) || cmp(b.metadata.name, a.metadata.name),
    );
    for (const pod of newestFirst.slice(0, excess)) deleteOrMark(tx, pod);
  }
  const sa = d.spec.template.spec.serviceAccountName;
  if (excess < 0 && tx.get({ kind: 'ServiceAccount', namespace: ns, name: sa }) !== undefined) {
    for (let i = 0; i < -excess; i++) tx.put(newPod(tx, d, hash));
  }
}

function owns(derived: Derived, pod: Pod): boolean {
  const hash = pod.metadata.labels['pod-template-hash'];
  const name = `${derived.deployment.metadata.name}-${hash}`;
  return (pod.metadata.ownerReferences ?? []).some(
    (o) => o.kind === 'ReplicaSet' && o.controller === true && o.name === name && o.uid === impliedUid(derived, hash ?? ''),
  );
}

/**
 * What the controller derives from one Deployment object: its template's hash (for the seed it
 * was computed with), its selector and the uids of its implied ReplicaSets by hash. Both cost a hash of the
 * object's text, and a relabelled pod makes the controller look at its Deployment again.
 */
interface Derived {
  readonly deployment: Deployment;
  template?: { readonly seed: number; readonly hash: string };
  selector?: Selector;
  readonly uids: Map<string, string>;
}

/**
 * Deployment key -> what was derived from the Deployment object stored there. Not an index of
 * the state alone (the template hash mixes in the context's seed), so it is a memo that rides
 * along the state chain: built empty where first needed and handed to every later state as is.
 * Each entry names the object it was derived from, so a Deployment written since is derived
 * again, and the memo holds one entry per Deployment key ever seen on the chain.
 */
const derivedDeployments = defineIndex<K8sState, Map<string, Derived>>({
  name: 'derivedDeployments',
  build: () => new Map(),
  carry: (memo) => memo,
});

function derivedOf(tx: Tx, d: Deployment): Derived {
  const memo = derivedDeployments.of(tx.base);
  const key = `${d.metadata.namespace ?? 'default'}/${d.metadata.name}`;
  let out = memo.get(key);
  if (out === undefined || out.deployment !== d) memo.set(key, (out = { deployment: d, uids: new Map() }));
  return out;
}

/** The uid of Deployment `d`'s implied ReplicaSet `<deployment>-<hash>`, from the controller's memo. */
export function replicaSetUid(tx: Tx, d: Deployment, hash: string): string {
  return impliedUid(derivedOf(tx, d), hash);
}

function impliedUid(derived: Derived, hash: string): string {
  let uid = derived.uids.get(hash);
  if (uid === undefined) derived.uids.set(hash, (uid = impliedReplicaSetUid(derived.deployment.metadata.uid, hash)));
  return uid;
}

/** The Deployment's `spec.selector`, to match its pods with. */
function selectorOf(tx: Tx, d: Deployment): Selector {
  const derived = derivedOf(tx, d);
  derived.selector ??= objectSelector(d.spec.selector);
  return derived.selector;
}

function templateHashOf(tx: Tx, d: Deployment): string {
  const derived = derivedOf(tx, d);
  const seed = tx.env.ctx.rng.seed;
  if (derived.template?.seed !== seed) derived.template = { seed, hash: podTemplateHash(d.spec.template, seed) };
  return derived.template.hash;
}

function newPod(tx: Tx, d: Deployment, hash: string): Pod {
  const ns = d.metadata.namespace ?? 'default';
  const rsName = `${d.metadata.name}-${hash}`;
  // The ReplicaSet's generateName `<rs>-`, cut as the API server cuts a generated name's prefix.
  const base = generatedPrefix(`${rsName}-`);
  let name: string;
  do name = `${base}${tx.env.streams.podNames.string(5, NAME_ALPHABET)}`;
  while (tx.get({ kind: 'Pod', namespace: ns, name }) !== undefined);
  const owner: OwnerReference = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    name: rsName,
    uid: impliedUid(derivedOf(tx, d), hash),
    controller: true,
    blockOwnerDeletion: true,
  };
  const { annotations } = d.spec.template.metadata;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: ns,
      uid: tx.env.streams.uids.uuid(),
      labels: { ...d.spec.template.metadata.labels, 'pod-template-hash': hash },
      ...(annotations === undefined ? {} : { annotations }),
      creationTimestamp: tx.env.now,
      resourceVersion: '',
      generation: 1,
      ownerReferences: [owner],
    },
    spec: d.spec.template.spec,
    status: { phase: 'Pending' },
  };
}

/** Status as `kubectl get deployments` reads it (READY, UP-TO-DATE, AVAILABLE). */
export function updateDeploymentStatus(tx: Tx, full = false): void {
  for (const d of dirtyDeployments(tx, full)) {
    const hash = templateHashOf(tx, d);
    // As the ReplicaSet controller counts only active pods: one marked for deletion is no longer a replica.
    const owned = ownedPods(tx, d).filter((p) => p.metadata.deletionTimestamp === undefined);
    const ready = owned.filter((p) => p.status.phase === 'Running').length;
    const status = {
      observedGeneration: d.metadata.generation,
      replicas: owned.length,
      readyReplicas: ready,
      availableReplicas: ready,
      updatedReplicas: owned.filter((p) => p.metadata.labels['pod-template-hash'] === hash).length,
    };
    const replicaSet = `${d.metadata.name}-${hash}`;
    const conditions = deploymentConditions(d, { available: ready, updated: status.updatedReplicas, replicaSet }, tx.env.now);
    const next = { ...status, conditions };
    if (JSON.stringify(next) !== JSON.stringify(d.status)) tx.put({ ...d, status: next });
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
