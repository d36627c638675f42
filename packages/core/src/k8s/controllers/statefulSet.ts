import { objectKey, refOf, type Pod, type StatefulSet } from '../objects.ts';
import { getByKey } from '../state.ts';
import type { Tx } from '../transaction.ts';
import { templatePod } from './templatePod.ts';

/**
 * The StatefulSet controller: pods `<name>-0` to `<name>-<replicas-1>` of the template, each
 * labelled with its name and ordinal, scheduled as any pod; a missing ordinal is created again
 * under its own name, ordinals past `replicas` are deleted (scaling down from the top); none is
 * made while the template's ServiceAccount is missing. Only StatefulSets the transaction wrote,
 * whose pods it removed, or of a namespace whose ServiceAccounts changed, are looked at.
 */
export function reconcileStatefulSets(tx: Tx, full = false): void {
  for (const sts of dirtyStatefulSets(tx, full)) {
    const ns = sts.metadata.namespace ?? 'default';
    const owned = tx
      .list('Pod', ns)
      .filter((p) => p.metadata.ownerReferences?.some((o) => o.controller === true && o.uid === sts.metadata.uid));
    for (const pod of owned) {
      if (ordinalOf(sts, pod) >= sts.spec.replicas) tx.remove({ kind: 'Pod', namespace: ns, name: pod.metadata.name });
    }
    // The ServiceAccount admission plugin refuses the pods until their account exists.
    if (tx.get({ kind: 'ServiceAccount', namespace: ns, name: sts.spec.template.spec.serviceAccountName }) === undefined) continue;
    for (let i = 0; i < sts.spec.replicas; i++) {
      const name = `${sts.metadata.name}-${i}`;
      if (tx.get({ kind: 'Pod', namespace: ns, name }) === undefined) tx.put(ordinalPod(tx, sts, i));
    }
  }
}

function ordinalOf(sts: StatefulSet, pod: Pod): number {
  const suffix = pod.metadata.name.slice(sts.metadata.name.length + 1);
  return /^\d+$/.test(suffix) ? Number(suffix) : Number.POSITIVE_INFINITY;
}

function dirtyStatefulSets(tx: Tx, full: boolean): StatefulSet[] {
  if (full) return tx.list('StatefulSet');
  const keys = new Set<string>();
  for (const [key, obj] of tx.changes) {
    if (key.startsWith('StatefulSet/')) keys.add(key);
    else if (key.startsWith('ServiceAccount/'))
      for (const sts of tx.list('StatefulSet', key.split('/')[1])) keys.add(objectKey(refOf(sts)));
    else if (obj === null && key.startsWith('Pod/')) {
      const gone = getByKey(tx.base, key) as Pod | undefined;
      const owner = gone?.metadata.ownerReferences?.find((o) => o.controller === true && o.kind === 'StatefulSet');
      if (owner !== undefined) keys.add(`StatefulSet/${gone!.metadata.namespace}/${owner.name}`);
    }
  }
  return [...keys].sort().flatMap((k) => {
    const sts = tx.getByKey(k);
    return sts?.kind === 'StatefulSet' ? [sts] : [];
  });
}

function ordinalPod(tx: Tx, sts: StatefulSet, ordinal: number): Pod {
  const name = `${sts.metadata.name}-${ordinal}`;
  const labels = { 'statefulset.kubernetes.io/pod-name': name, 'apps.kubernetes.io/pod-index': String(ordinal) };
  return templatePod(tx, sts, { name, uid: tx.env.streams.uids.uuid(), labels });
}
