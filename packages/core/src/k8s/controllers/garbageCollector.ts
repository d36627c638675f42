import type { Tx } from '../transaction.ts';
import { deleteOrMark } from './finalizers.ts';
import { collectOwned, type OwnerPass } from './ownerGc.ts';

/**
 * Kubernetes' garbage collectors, for what the simulator stores: the pod garbage collector's sweep
 * of pods bound to a deleted node, then the owner-reference collector (ownerGc.ts), which follows
 * every owner reference and so also takes the dependents of those pods. A pod with finalizers is
 * only marked for deletion.
 */
export function collectGarbage(tx: Tx, full = false): OwnerPass {
  collectPodsOfDeletedNodes(tx);
  return collectOwned(tx, full);
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
