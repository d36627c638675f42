import { objectSelectorRequirements, type Requirement } from '../labelSelector.ts';
import type { LabelSelector } from './printerObjects.ts';

/**
 * Label maps and selectors as kubectl prints them (apimachinery labels.FormatLabels and
 * metav1.FormatLabelSelector): keys sorted, `k=v` joined by commas, `<none>` when empty.
 */
export function formatLabels(labels: Readonly<Record<string, string>> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels![k]}`).join(',');
}

/**
 * `app=web,tier in (a,b),!legacy`; `<none>` for an empty selector (which selects everything).
 * Requirements are sorted by key, as the internal selector sorts them.
 */
export function formatLabelSelector(selector: LabelSelector | undefined): string {
  const text = selectorString(selector);
  return text === '' ? '<none>' : text;
}

/** The selector without the `<none>` placeholder (the SELECTOR column of `-o wide` prints it bare). */
export function selectorString(selector: LabelSelector | undefined): string {
  const reqs = (selector === undefined ? [] : objectSelectorRequirements(selector)).map((r) => {
    const key = r.source === 'k8s' ? r.key : `${r.source}:${r.key}`;
    return { key, text: requirement(key, r) };
  });
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return reqs.map((r) => r.text).join(',');
}

/** apimachinery's Requirement.String(): a set's values sorted. */
function requirement(key: string, r: Requirement): string {
  const set = [...r.values].sort().join(',');
  switch (r.operator) {
    case 'Equals':
      return `${key}=${r.values[0]}`;
    case 'NotEquals':
      return `${key}!=${r.values[0]}`;
    case 'In':
      return `${key} in (${set})`;
    case 'NotIn':
      return `${key} notin (${set})`;
    case 'Exists':
      return key;
    case 'DoesNotExist':
      return `!${key}`;
  }
}
