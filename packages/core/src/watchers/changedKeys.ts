import type { K8sObject } from '../k8s/objects.ts';
import { bucketIn, bucketNames, bucketsOf, getByKey, keysWrittenSince, type K8sState } from '../k8s/state.ts';

/**
 * Keys whose object differs between two states: written ones in write order, then removed ones.
 * When `next` was committed from `prev` (the usual case) only the keys those commits wrote are
 * compared; otherwise buckets a commit did not touch are the same object in both states and are
 * skipped. Either way the cost follows what changed, not the cluster.
 */
export function changedKeys(prev: K8sState, next: K8sState): Set<string> {
  const written: [number, string][] = [];
  const removed: string[] = [];
  const candidates = keysWrittenSince(prev, next);
  if (candidates !== undefined) {
    for (const k of candidates) {
      const before = getByKey(prev, k);
      const after = getByKey(next, k);
      if (after !== undefined) {
        if (before !== after) written.push([Number(after.metadata.resourceVersion), k]);
      } else if (before !== undefined) removed.push(k);
    }
  } else {
    const a = bucketsOf(prev);
    const b = bucketsOf(next);
    for (const name of new Set([...bucketNames(a), ...bucketNames(b)])) {
      const before = bucketIn(a, name) ?? EMPTY;
      const after = bucketIn(b, name) ?? EMPTY;
      if (before === after) continue;
      for (const [k, v] of Object.entries(after)) if (before[k] !== v) written.push([Number(v.metadata.resourceVersion), k]);
      for (const k of Object.keys(before)) if (!(k in after)) removed.push(k);
    }
  }
  // Agents hear of objects in the order the API server wrote them (policy revisions follow it).
  written.sort(([ra, a], [rb, b]) => ra - rb || (a < b ? -1 : a > b ? 1 : 0));
  return new Set([...written.map(([, k]) => k), ...removed.sort()]);
}

const EMPTY: Readonly<Record<string, K8sObject>> = Object.freeze({});
