import { listObjects } from '../k8s/state.ts';
import type { Watcher } from './watcher.ts';

/** Namespaces: their labels are part of every pod's identity, so each pod of a changed namespace is synced. */
export const namespaceWatcher: Watcher = {
  changed(ref, batch) {
    for (const pod of listObjects(batch.state, 'Pod', ref.name)) batch.pods.add(`Pod/${ref.name}/${pod.metadata.name}`);
  },
};
