/**
 * Which labels make up a security identity: Cilium's default label filter
 * (pkg/labelsfilter/filter.go). A label is kept when the longest include prefix that matches
 * its key is longer than the shortest ignore prefix that matches; with no include match it is
 * kept unless something ignores it. So `app=web` and `org=empire` count, `pod-template-hash`
 * does not, and every replica of a Deployment shares one identity.
 */
const INCLUDE: readonly RegExp[] = [
  /^reserved:.*/,
  /^io\.kubernetes\.pod\.namespace/,
  /^io\.cilium\.k8s\.namespace\.labels/,
  /^app\.kubernetes\.io/,
  /^io\.cilium\.k8s\.policy\.cluster/,
  /^io\.cilium\.k8s\.policy\.serviceaccount/,
];

const IGNORE: readonly RegExp[] = [
  /^io\.kubernetes/,
  /^kubernetes\.io/,
  /^statefulset\.kubernetes\.io\/pod-name/,
  /^apps\.kubernetes\.io\/pod-index/,
  /^batch\.kubernetes\.io\/job-completion-index/,
  /^batch\.kubernetes\.io\/controller-uid/,
  /^.*beta\.kubernetes\.io/,
  /^k8s\.io/,
  /^pod-template-generation/,
  /^pod-template-hash/,
  /^controller-revision-hash/,
  /^controller-uid/,
  /^annotation.*/,
  /^etcd_node/,
  /^topology\.kubernetes\.io/,
];

function matchLength(patterns: readonly RegExp[], key: string, pick: (a: number, b: number) => number): number {
  let best = -1;
  for (const p of patterns) {
    const m = p.exec(key);
    if (m !== null) best = best === -1 ? m[0].length : pick(best, m[0].length);
  }
  return best;
}

/** Answers so far: every pod of a cluster asks about the same few keys. */
const decided = new Map<string, boolean>();
/** Beyond this many keys the answers are forgotten and gathered again, so odd input cannot grow it without bound. */
const DECIDED_MAX = 4096;

/** True when a pod label key (without source) belongs in the identity. */
export function isIdentityLabelKey(key: string): boolean {
  let keep = decided.get(key);
  if (keep === undefined) {
    if (decided.size >= DECIDED_MAX) decided.clear();
    decided.set(key, (keep = filterKeeps(key)));
  }
  return keep;
}

function filterKeeps(key: string): boolean {
  const include = matchLength(INCLUDE, key, Math.max);
  const ignore = matchLength(IGNORE, key, Math.min);
  if (ignore === -1) return true;
  return include > ignore;
}
