import { bucketIn, bucketNames, type Bucket, type Page } from './buckets.ts';
import { getByKey, type K8sState } from './state.ts';
import { defineIndex } from './stateIndex.ts';

/**
 * Which keys each commit wrote or removed, linked back to its base's record, so the keys that
 * differ between a state and a later one derived from it are found without comparing buckets.
 * Only keys are kept (never objects), and a chain is cut after `MAX_LOG_DEPTH` commits so the
 * log a long-lived state holds stays bounded; past the cut, callers compare the buckets.
 */
interface CommitLog {
  readonly parent: CommitLog | undefined;
  readonly keys: readonly string[];
  readonly depth: number;
}

const MAX_LOG_DEPTH = 4096;

/**
 * Kept on every commit (`always`): history cannot be rebuilt from a state, so a state that
 * never logged starts a new chain (`build`), which no earlier state's log reaches.
 */
const commitLog = defineIndex<K8sState, CommitLog>({
  name: 'commitLog',
  always: true,
  build: () => ({ parent: undefined, keys: [], depth: 0 }),
  carry: (parent, _prev, _next, changes) => {
    const keys = [...changes.keys()];
    return parent.depth >= MAX_LOG_DEPTH ? { parent: undefined, keys, depth: 0 } : { parent, keys, depth: parent.depth + 1 };
  },
});

/**
 * Every key written or removed by the commits that led from `prev` to `next` (a superset of the
 * keys whose objects differ), or undefined when `next` is not known to derive from `prev`.
 */
function keysWrittenSince(prev: K8sState, next: K8sState): Set<string> | undefined {
  const stop = commitLog.peek(prev);
  if (stop === undefined) return undefined;
  const out = new Set<string>();
  for (let log = commitLog.peek(next); log !== undefined; log = log.parent) {
    if (log === stop) return out;
    for (const key of log.keys) out.add(key);
  }
  return undefined;
}

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
    const [a, b] = [prev.buckets, next.buckets];
    for (const name of new Set([...bucketNames(a), ...bucketNames(b)])) {
      const [pagesBefore, pagesAfter] = [bucketIn(a, name) ?? NO_PAGES, bucketIn(b, name) ?? NO_PAGES];
      if (pagesBefore === pagesAfter) continue;
      for (const page of new Set([...Object.keys(pagesBefore), ...Object.keys(pagesAfter)])) {
        const [before, after] = [pagesBefore[page] ?? NO_OBJECTS, pagesAfter[page] ?? NO_OBJECTS];
        if (before === after) continue;
        for (const [k, v] of after) if (before.get(k) !== v) written.push([Number(v.metadata.resourceVersion), k]);
        for (const k of before.keys()) if (!after.has(k)) removed.push(k);
      }
    }
  }
  // Agents hear of objects in the order the API server wrote them (policy revisions follow it).
  written.sort(([ra, a], [rb, b]) => ra - rb || (a < b ? -1 : a > b ? 1 : 0));
  return new Set([...written.map(([, k]) => k), ...removed.sort()]);
}

const NO_PAGES: Bucket = Object.freeze({});
const NO_OBJECTS: Page = new Map();
