import { refOf, type K8sObject } from '../objects.ts';
import type { Tx } from '../transaction.ts';
import { terminatedPod } from './podTermination.ts';

/**
 * Deletes `obj` in `tx`, or marks it for deletion while it has finalizers, as the API server keeps
 * such an object (`deletionTimestamp`) until they are removed. True when it is gone.
 */
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
