import type { OwnerReference, Pod } from '../objects.ts';
import { getByKey } from '../state.ts';
import type { Tx } from '../transaction.ts';
import { NAME_ALPHABET } from './podTemplateHash.ts';

/**
 * The controllers of the system workloads the bootstrap made (the cilium, kube-proxy and
 * spire-agent DaemonSets, the spire-server StatefulSet, the kubelet's static pods of the control
 * plane): a pod of theirs deleted while its owner stands is created again, as its controller
 * does. A DaemonSet's pod comes back on its node under a new name, a StatefulSet's under its own
 * name, a static pod as its mirror. Deleting the owner (the DaemonSet or StatefulSet), its namespace or the
 * node takes the pods with it, so nothing comes back. CoreDNS, Hubble Relay and the operator are Deployments, whose controller
 * already keeps their replicas. Only the pods the transaction removed are looked at.
 */
export function restoreSystemPods(tx: Tx): void {
  const removed = [...tx.changes].filter(([key, obj]) => obj === null && key.startsWith('Pod/')).map(([key]) => key);
  for (const key of removed) {
    const gone = getByKey(tx.base, key) as Pod | undefined;
    if (gone !== undefined && ownerStands(tx, gone)) tx.put(recreated(tx, gone));
  }
}

/** The pod's system owner still exists: its namespace (and for node-bound pods, its node). */
function ownerStands(tx: Tx, pod: Pod): boolean {
  const owner = pod.metadata.ownerReferences?.find((o) => o.controller === true);
  const ns = pod.metadata.namespace ?? 'default';
  if (owner === undefined || tx.get({ kind: 'Namespace', name: ns }) === undefined) return false;
  const node = pod.spec.nodeName;
  const nodeStands = node === undefined || tx.get({ kind: 'Node', name: node }) !== undefined;
  if (owner.kind === 'Node') return ns === 'kube-system' && tx.get({ kind: 'Node', name: owner.name })?.metadata.uid === owner.uid;
  if (owner.kind === 'DaemonSet') return nodeStands && storedOwner(tx, ns, owner) && !daemonPodOn(tx, ns, owner.name, node);
  return owner.kind === 'StatefulSet' && storedOwner(tx, ns, owner);
}

/** The DaemonSet or StatefulSet the reference names is stored, with that uid (not deleted, nor made anew). */
function storedOwner(tx: Tx, ns: string, owner: OwnerReference): boolean {
  const kind = owner.kind === 'DaemonSet' ? 'DaemonSet' : 'StatefulSet';
  return tx.get({ kind, namespace: ns, name: owner.name })?.metadata.uid === owner.uid;
}

/** The DaemonSet already has a pod on the node (a restart replaced it in the same transaction). */
function daemonPodOn(tx: Tx, ns: string, owner: string, node: string | undefined): boolean {
  return tx
    .list('Pod', ns)
    .some((p) => p.spec.nodeName === node && p.metadata.ownerReferences?.some((o) => o.kind === 'DaemonSet' && o.name === owner) === true);
}

function recreated(tx: Tx, gone: Pod): Pod {
  const ns = gone.metadata.namespace ?? 'default';
  const daemon = gone.metadata.ownerReferences?.some((o) => o.controller === true && o.kind === 'DaemonSet') === true;
  let name = gone.metadata.name;
  if (daemon) {
    const base = gone.metadata.name.replace(/-[a-z0-9]{5}$/, '');
    do name = `${base}-${tx.env.streams.podNames.string(5, NAME_ALPHABET)}`;
    while (tx.get({ kind: 'Pod', namespace: ns, name }) !== undefined);
  }
  // A StatefulSet's pod is scheduled again; DaemonSet and static pods stay on their node.
  const { nodeName, ...unbound } = gone.spec;
  const owner = gone.metadata.ownerReferences?.find((o) => o.controller === true);
  const spec = owner?.kind === 'StatefulSet' || nodeName === undefined ? unbound : { ...unbound, nodeName };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...gone.metadata,
      name,
      uid: tx.env.streams.uids.uuid(),
      creationTimestamp: tx.env.now,
      resourceVersion: '',
    },
    spec,
    status: { phase: 'Pending' },
  };
}
