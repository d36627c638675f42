// The reference reading of a label selector, for the tests: written from Kubernetes' rules for
// requirements and Cilium's for sources, sharing no code with k8s/labelSelector.ts, so a mistake
// in the matcher the store, policy, Hubble and kubectl use shows up as a disagreement.
import type { LabelSet } from '../../src/identity/labels.ts';
import type { Requirement } from '../../src/k8s/labelSelector.ts';

/** A label set, or a Kubernetes object's labels (all of source `k8s`). */
export type ReferenceLabels = LabelSet | Readonly<Record<string, string>>;

function asList(labels: ReferenceLabels): { source: string; key: string; value: string }[] {
  if (Array.isArray(labels)) return [...(labels as LabelSet)];
  return Object.keys(labels).map((key) => ({ source: 'k8s', key, value: (labels as Record<string, string>)[key]! }));
}

/**
 * Every requirement holds. The label a requirement reads is the first of its key whose source
 * is the requirement's (any source for `any`); In and = need it with one of the values, NotIn
 * and != need it absent or with another value, Exists and DoesNotExist test its presence.
 */
export function referenceSelects(selector: { readonly requirements: readonly Requirement[] }, labels: ReferenceLabels): boolean {
  const list = asList(labels);
  return selector.requirements.every((r) => {
    const found = list.filter((l) => l.key === r.key && (r.source === 'any' || r.source === l.source))[0];
    const valueListed = found !== undefined && r.values.indexOf(found.value) >= 0;
    if (r.operator === 'Exists') return found !== undefined;
    if (r.operator === 'DoesNotExist') return found === undefined;
    if (r.operator === 'In' || r.operator === 'Equals') return valueListed;
    return !valueListed;
  });
}
