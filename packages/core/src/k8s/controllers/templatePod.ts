import type { DaemonSet, Pod, StatefulSet } from '../objects.ts';
import type { Tx } from '../transaction.ts';

/**
 * A pod of a DaemonSet's or StatefulSet's template, as its controller creates it: the template's
 * labels (with the controller's own added) and annotations, an owner reference to the workload
 * as its controller, created now, Pending until scheduled. The caller names it and gives its uid.
 */
export function templatePod(
  tx: Tx,
  owner: DaemonSet | StatefulSet,
  pod: { readonly name: string; readonly uid: string; readonly labels: Readonly<Record<string, string>>; readonly nodeName?: string },
): Pod {
  const { labels, annotations } = owner.spec.template.metadata;
  const spec = owner.spec.template.spec;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: pod.name,
      namespace: owner.metadata.namespace ?? 'default',
      uid: pod.uid,
      labels: { ...labels, ...pod.labels },
      ...(annotations === undefined ? {} : { annotations }),
      creationTimestamp: tx.env.now,
      resourceVersion: '',
      generation: 1,
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: owner.kind,
          name: owner.metadata.name,
          uid: owner.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: pod.nodeName === undefined ? spec : { ...spec, nodeName: pod.nodeName },
    status: { phase: 'Pending' },
  };
}
