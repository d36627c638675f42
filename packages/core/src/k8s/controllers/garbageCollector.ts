import { getByKey } from '../state.ts';
import type { Tx } from '../transaction.ts';
import { ownedBy } from './deployment.ts';
import { garbageCandidates } from './dirty.ts';
import { collectOwned, deleteOrMark } from './ownerGc.ts';

/**
 * Kubernetes' garbage collectors, for what the simulator stores: pods of a deleted node, pods of a
 * deleted DaemonSet or StatefulSet, and a pod owned by a ReplicaSet whose Deployment is gone
 * (deleted, or recreated with a new uid) are deleted. Static pods are owned by their Node. Only the pods the
 * transaction could have orphaned are checked (see dirty.ts). A pod with finalizers is only marked for deletion.
 */
export function collectGarbage(tx: Tx, full = false): void {
  collectOwned(tx);
  collectPodsOfDeletedNodes(tx);
  collectPodsOfDeletedWorkloads(tx);
  for (const pod of garbageCandidates(tx, full)) {
    const rs = (pod.metadata.ownerReferences ?? []).find((o) => o.kind === 'ReplicaSet' && o.controller === true);
    if (rs === undefined) continue;
    const hash = pod.metadata.labels['pod-template-hash'] ?? '';
    const deploymentName = rs.name.endsWith(`-${hash}`) ? rs.name.slice(0, -hash.length - 1) : rs.name;
    const d = tx.get({ kind: 'Deployment', namespace: pod.metadata.namespace ?? 'default', name: deploymentName });
    if (d === undefined || !ownedBy(tx, pod, d)) deleteOrMark(tx, pod);
  }
}

/**
 * The pod garbage collector's orphan sweep: pods bound to a Node that no longer exists are
 * deleted (their controllers then make them again on the nodes that remain). Only a transaction
 * that removed a node can orphan pods.
 */
function collectPodsOfDeletedNodes(tx: Tx): void {
  const gone = new Set<string>();
  for (const [key, obj] of tx.changes) if (obj === null && key.startsWith('Node/')) gone.add(key.slice('Node/'.length));
  if (gone.size === 0) return;
  for (const pod of tx.list('Pod')) {
    if (pod.spec.nodeName !== undefined && gone.has(pod.spec.nodeName)) deleteOrMark(tx, pod);
  }
}

/**
 * Background cascading deletion of a DaemonSet or StatefulSet: its pods (those whose controller
 * reference names its uid) go with it. Only a transaction that removed one can orphan pods.
 */
function collectPodsOfDeletedWorkloads(tx: Tx): void {
  const gone = new Set<string>();
  for (const [key, obj] of tx.changes) {
    if (obj !== null || !(key.startsWith('DaemonSet/') || key.startsWith('StatefulSet/'))) continue;
    const uid = getByKey(tx.base, key)?.metadata.uid;
    if (uid !== undefined) gone.add(uid);
  }
  if (gone.size === 0) return;
  for (const pod of tx.list('Pod')) {
    const owner = pod.metadata.ownerReferences?.find((o) => o.controller === true);
    if (owner !== undefined && gone.has(owner.uid)) deleteOrMark(tx, pod);
  }
}
