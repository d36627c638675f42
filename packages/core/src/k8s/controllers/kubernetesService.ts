import type { Service } from '../objects.ts';
import { getByKey } from '../state.ts';
import type { Tx } from '../transaction.ts';

const KEY = 'Service/default/kubernetes';

/**
 * The API server's own Service: `default/kubernetes` deleted (`kubectl delete all --all` in the
 * default namespace deletes it) is made again with its reserved address, as the API server's
 * bootstrap controller does within seconds, so `kubernetes.default` keeps resolving and the
 * next command does not trip over a cluster no real one stays in.
 */
export function restoreKubernetesService(tx: Tx): void {
  if (tx.changes.get(KEY) !== null) return;
  const gone = getByKey(tx.base, KEY) as Service | undefined;
  if (gone === undefined) return;
  tx.put({ ...gone, metadata: { ...gone.metadata, uid: tx.env.streams.uids.uuid(), creationTimestamp: tx.env.now, resourceVersion: '' } });
}
