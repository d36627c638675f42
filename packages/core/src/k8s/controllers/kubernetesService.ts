import type { Service } from '../objects.ts';
import { getByKey } from '../state.ts';
import type { Tx } from '../transaction.ts';

const KEY = 'Service/default/kubernetes';

/**
 * The API server's own Service: `default/kubernetes` deleted (`kubectl delete all --all` in the
 * default namespace deletes it) is made again with its reserved address, as the API server's
 * bootstrap controller does within seconds, so `kubernetes.default` keeps resolving and the
 * next command does not trip over a cluster no real one stays in; a changed spec is put back.
 */
export function restoreKubernetesService(tx: Tx): void {
  const written = tx.changes.get(KEY);
  if (written === undefined) return;
  const before = getByKey(tx.base, KEY) as Service | undefined;
  if (before === undefined) return;
  if (written === null) {
    tx.put({
      ...before,
      metadata: { ...before.metadata, uid: tx.env.streams.uids.uuid(), creationTimestamp: tx.env.now, resourceVersion: '' },
    });
    return;
  }
  // Its spec is the API server's too: the reconciler puts back the ports and type a user changed
  // (labels and annotations stay), so the cluster's API address keeps answering on 443.
  if (written.kind === 'Service' && JSON.stringify(written.spec) !== JSON.stringify(before.spec)) tx.put({ ...written, spec: before.spec });
}
