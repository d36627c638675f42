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
  const reqs: { key: string; text: string }[] = [];
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {})) reqs.push({ key, text: `${key}=${value}` });
  for (const e of selector?.matchExpressions ?? []) reqs.push({ key: e.key, text: requirement(e.key, e.operator, e.values ?? []) });
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return reqs.map((r) => r.text).join(',');
}

function requirement(key: string, operator: string, values: readonly string[]): string {
  const set = [...values].sort().join(',');
  switch (operator) {
    case 'In':
      return `${key} in (${set})`;
    case 'NotIn':
      return `${key} notin (${set})`;
    case 'Exists':
      return key;
    case 'DoesNotExist':
      return `!${key}`;
    default:
      return `${key} ${operator} (${set})`;
  }
}
