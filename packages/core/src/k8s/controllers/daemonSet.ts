import { objectKey, refOf, type DaemonSet, type Node, type Pod } from '../objects.ts';
import { podFitsNode } from '../scheduler.ts';
import { getByKey } from '../state.ts';
import type { Tx } from '../transaction.ts';
import { NAME_ALPHABET } from './podTemplateHash.ts';
import { generatedPrefix } from '../generateName.ts';
import { templatePod } from './templatePod.ts';

/**
 * The DaemonSet controller: one pod of the template on every node the template fits (its
 * tolerations and nodeSelector), named `<daemonset>-<5 chars>` and bound to its node. A pod of an
 * older template generation is replaced (RollingUpdate, all at once here); a pod on a node it no
 * longer fits is deleted; none is made while the template's ServiceAccount is missing. Only
 * DaemonSets the transaction wrote, whose pods it removed, of a namespace whose ServiceAccounts
 * changed, or all of them when a Node changed, are looked at. The install's own DaemonSets get their deleted pods
 * back first from restoreSystemPods (systemPods.ts), so for them this pass finds nothing to do.
 */
export function reconcileDaemonSets(tx: Tx, full = false): void {
  const sets = dirtyDaemonSets(tx, full);
  if (sets.length === 0) return;
  const nodes = tx.list('Node');
  for (const ds of sets) reconcileOne(tx, ds, nodes);
}

function reconcileOne(tx: Tx, ds: DaemonSet, nodes: readonly Node[]): void {
  const ns = ds.metadata.namespace ?? 'default';
  // The ServiceAccount admission plugin refuses the pods until their account exists.
  if (tx.get({ kind: 'ServiceAccount', namespace: ns, name: ds.spec.template.spec.serviceAccountName }) === undefined) return;
  const generation = String(ds.metadata.generation);
  const owned = tx.list('Pod', ns).filter((p) => controllerUid(p) === ds.metadata.uid);
  const byNode = new Map(owned.map((p) => [p.spec.nodeName, p]));
  for (const node of nodes) {
    const have = byNode.get(node.metadata.name);
    const wanted = daemonPod(tx, ds, node.metadata.name);
    if (!podFitsNode(wanted, node)) {
      if (have !== undefined) tx.remove({ kind: 'Pod', namespace: ns, name: have.metadata.name });
      continue;
    }
    if (have !== undefined && have.metadata.labels['pod-template-generation'] === generation) continue;
    if (have !== undefined) tx.remove({ kind: 'Pod', namespace: ns, name: have.metadata.name });
    tx.put(named(tx, wanted));
  }
}

/** DaemonSets written or removed by the transaction, or owning a pod it removed; all when a Node changed. */
function dirtyDaemonSets(tx: Tx, full: boolean): DaemonSet[] {
  const changes = [...tx.changes];
  if (full || changes.some(([key]) => key.startsWith('Node/'))) return tx.list('DaemonSet');
  const keys = new Set<string>();
  for (const [key, obj] of changes) {
    if (key.startsWith('DaemonSet/')) keys.add(key);
    else if (key.startsWith('ServiceAccount/')) for (const ds of tx.list('DaemonSet', key.split('/')[1])) keys.add(objectKey(refOf(ds)));
    else if (obj === null && key.startsWith('Pod/')) {
      const gone = getByKey(tx.base, key) as Pod | undefined;
      const owner = gone?.metadata.ownerReferences?.find((o) => o.controller === true && o.kind === 'DaemonSet');
      if (owner !== undefined) keys.add(`DaemonSet/${gone!.metadata.namespace}/${owner.name}`);
    }
  }
  return [...keys].sort().flatMap((k) => {
    const ds = tx.getByKey(k);
    return ds?.kind === 'DaemonSet' ? [ds] : [];
  });
}

function controllerUid(pod: Pod): string | undefined {
  return pod.metadata.ownerReferences?.find((o) => o.controller === true)?.uid;
}

/** The template's pod for `nodeName`, not yet named. */
function daemonPod(tx: Tx, ds: DaemonSet, nodeName: string): Pod {
  const labels = { 'pod-template-generation': String(ds.metadata.generation) };
  return templatePod(tx, ds, { name: ds.metadata.name, uid: '', labels, nodeName });
}

function named(tx: Tx, pod: Pod): Pod {
  const ns = pod.metadata.namespace ?? 'default';
  let name: string;
  // The DaemonSet's generateName `<ds>-`, cut as the API server cuts a generated name's prefix.
  const base = generatedPrefix(`${pod.metadata.name}-`);
  do name = `${base}${tx.env.streams.podNames.string(5, NAME_ALPHABET)}`;
  while (tx.get({ kind: 'Pod', namespace: ns, name }) !== undefined);
  return { ...pod, metadata: { ...pod.metadata, name, uid: tx.env.streams.uids.uuid() } };
}
