import type { ServiceAccount } from '../objects.ts';
import { getByKey, listObjects, type K8sState } from '../state.ts';
import { defineIndex } from '../stateIndex.ts';
import type { Tx } from '../transaction.ts';

/**
 * The ServiceAccount controller: every namespace has a `default` ServiceAccount, so pods that
 * name no account can be admitted. It looks at the namespaces the base state leaves without one
 * and at those the transaction wrote (a Namespace, or its `default` ServiceAccount), in name
 * order, which is every namespace that can lack one, without listing them all.
 */
export function ensureDefaultServiceAccounts(tx: Tx): void {
  const candidates = new Set(namespacesWithoutServiceAccount(tx.base));
  for (const key of tx.changes.keys()) {
    const ns = namespaceConcerned(key);
    if (ns !== undefined) candidates.add(ns);
  }
  for (const name of [...candidates].sort()) {
    const ns = tx.get({ kind: 'Namespace', name });
    // A Namespace being deleted gets no new content, its service account included.
    if (ns === undefined || ns.metadata.deletionTimestamp !== undefined) continue;
    if (tx.get({ kind: 'ServiceAccount', namespace: name, name: 'default' }) !== undefined) continue;
    const sa: ServiceAccount = {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name: 'default',
        namespace: name,
        uid: tx.env.streams.uids.uuid(),
        labels: {},
        creationTimestamp: ns.metadata.creationTimestamp,
        resourceVersion: '',
        generation: 1,
      },
    };
    tx.put(sa);
  }
}

/**
 * Names of the namespaces without a `default` ServiceAccount: found once per state chain, then
 * carried at the cost of the Namespaces and `default` ServiceAccounts a commit wrote. The state
 * holds it, so the commit carries it without knowing this controller.
 */
const missingServiceAccounts = defineIndex<K8sState, ReadonlySet<string>>({
  name: 'namespacesWithoutServiceAccount',
  build: (state) => {
    const names = new Set<string>();
    for (const ns of listObjects(state, 'Namespace')) if (lacksServiceAccount(state, ns.metadata.name)) names.add(ns.metadata.name);
    return names;
  },
  carry: (before, _prev, next, changes) => {
    let after: Set<string> | undefined;
    for (const key of changes.keys()) {
      const ns = namespaceConcerned(key);
      if (ns === undefined) continue;
      after ??= new Set(before);
      if (lacksServiceAccount(next, ns)) after.add(ns);
      else after.delete(ns);
    }
    return after ?? before;
  },
});

/** Names of the namespaces of `state` without a `default` ServiceAccount. */
export function namespacesWithoutServiceAccount(state: K8sState): ReadonlySet<string> {
  return missingServiceAccounts.of(state);
}

function lacksServiceAccount(state: K8sState, ns: string): boolean {
  return getByKey(state, `Namespace/${ns}`) !== undefined && getByKey(state, `ServiceAccount/${ns}/default`) === undefined;
}

/** The namespace whose `default` ServiceAccount a write to `key` can create or remove the need for. */
function namespaceConcerned(key: string): string | undefined {
  if (key.startsWith('Namespace/')) return key.slice('Namespace/'.length);
  if (key.startsWith('ServiceAccount/') && key.endsWith('/default')) {
    const ns = key.slice('ServiceAccount/'.length, -'/default'.length);
    return ns.includes('/') ? undefined : ns;
  }
  return undefined;
}
