import type { LabelSelector } from './builtinObjects.ts';

type Labels = Readonly<Record<string, string>>;

/**
 * Kubernetes label-selector semantics: every `matchLabels` pair and every expression must hold.
 * An empty selector matches everything; callers that forbid it (Deployments) check first.
 *
 * @example matchesSelector({ matchLabels: { org: 'empire' } }, { org: 'empire', class: 'deathstar' }) // true
 */
export function matchesSelector(selector: LabelSelector, labels: Labels): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[k] !== v) return false;
  }
  for (const r of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, r.key);
    const values = r.values ?? [];
    switch (r.operator) {
      case 'In':
        if (!has || !values.includes(labels[r.key]!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[r.key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

/**
 * A Service's plain selector: every pair must match. An absent or empty selector selects
 * nothing, because such a Service has its endpoints managed by hand, not by Kubernetes.
 */
export function matchesServiceSelector(selector: Labels | undefined, labels: Labels): boolean {
  const pairs = Object.entries(selector ?? {});
  return pairs.length > 0 && pairs.every(([k, v]) => labels[k] === v);
}
