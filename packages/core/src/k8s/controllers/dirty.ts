import { ownerDeploymentName } from '../podIndex.ts';
import { podKeysOfDeployment } from '../podIndex.ts';
import type { Deployment, K8sObject, Pod } from '../objects.ts';
import { getByKey } from '../state.ts';
import type { Tx } from '../transaction.ts';

/**
 * Which objects a controller pass must look at. The base state of a transaction is already
 * reconciled (every committed state is), so only what the transaction wrote can need work:
 * - a Deployment written or removed, or whose pods were written, created or removed;
 * - every Deployment of a namespace whose ServiceAccount appeared (its pods can now be made).
 * The garbage collector finds its own work (ownerGc.ts).
 * `full` passes (a state changed some other way) look at everything, as the original loops did.
 */
export function dirtyDeployments(tx: Tx, full: boolean): Deployment[] {
  if (full) return tx.list('Deployment');
  const keys = new Set<string>();
  for (const [key, obj] of tx.changes) {
    if (key.startsWith('Deployment/')) keys.add(key);
    else if (key.startsWith('Pod/')) {
      const ns = key.slice(4, key.indexOf('/', 4));
      const was = ownerOf(getByKey(tx.base, key));
      const is = ownerOf(obj);
      if (was !== undefined) keys.add(`Deployment/${ns}/${was}`);
      if (is !== undefined && is !== was) keys.add(`Deployment/${ns}/${is}`);
    } else if (key.startsWith('ServiceAccount/')) {
      const ns = key.slice(15, key.indexOf('/', 15));
      for (const d of tx.list('Deployment', ns)) keys.add(`Deployment/${ns}/${d.metadata.name}`);
    }
  }
  return defined(tx, [...keys].sort()) as Deployment[];
}

function ownerOf(pod: K8sObject | null | undefined): string | undefined {
  return pod === undefined || pod === null ? undefined : ownerDeploymentName(pod as Pod);
}

/** Pods whose owner names Deployment `name` of `namespace`, with the transaction's writes, by key. */
export function podsOfDeployment(tx: Tx, namespace: string, name: string): Pod[] {
  const keys = new Set(podKeysOfDeployment(tx.base, namespace, name));
  const prefix = `Pod/${namespace}/`;
  for (const [key, obj] of tx.changes) {
    if (!key.startsWith(prefix)) continue;
    if (obj !== null && ownerDeploymentName(obj as Pod) === name) keys.add(key);
    else keys.delete(key);
  }
  return defined(tx, [...keys].sort()) as Pod[];
}

function defined(tx: Tx, keys: readonly string[]): K8sObject[] {
  const out: K8sObject[] = [];
  for (const key of keys) {
    const obj = tx.getByKey(key);
    if (obj !== undefined) out.push(obj);
  }
  return out;
}
