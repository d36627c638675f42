import type { ServiceAccount } from '../objects.ts';
import type { Tx } from '../transaction.ts';

/**
 * The ServiceAccount controller: every namespace has a `default` ServiceAccount, so pods that
 * name no account can be admitted.
 */
export function ensureDefaultServiceAccounts(tx: Tx): void {
  for (const ns of tx.list('Namespace')) {
    const name = ns.metadata.name;
    if (tx.get({ kind: 'ServiceAccount', namespace: name, name: 'default' }) !== undefined) continue;
    const sa: ServiceAccount = {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'default', namespace: name, uid: tx.env.streams.uids.uuid(), labels: {}, creationTimestamp: ns.metadata.creationTimestamp, resourceVersion: '', generation: 1 },
    };
    tx.put(sa);
  }
}
