import type { Tx } from '../transaction.ts';
import { ownedBy } from './deployment.ts';
import { garbageCandidates } from './dirty.ts';

/**
 * Kubernetes' garbage collector, for what the simulator stores: a pod owned by a ReplicaSet
 * whose Deployment is gone (deleted, or recreated with a new uid) is deleted. DaemonSet and
 * static pods of the bootstrap have no stored owner and are left alone. Only the pods the
 * transaction could have orphaned are checked (see dirty.ts).
 */
export function collectGarbage(tx: Tx, full = false): void {
  for (const pod of garbageCandidates(tx, full)) {
    const rs = (pod.metadata.ownerReferences ?? []).find((o) => o.kind === 'ReplicaSet' && o.controller === true);
    if (rs === undefined) continue;
    const hash = pod.metadata.labels['pod-template-hash'] ?? '';
    const deploymentName = rs.name.endsWith(`-${hash}`) ? rs.name.slice(0, -hash.length - 1) : rs.name;
    const d = tx.get({ kind: 'Deployment', namespace: pod.metadata.namespace ?? 'default', name: deploymentName });
    if (d === undefined || !ownedBy(tx, pod, d))
      tx.remove({ kind: 'Pod', namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name });
  }
}
