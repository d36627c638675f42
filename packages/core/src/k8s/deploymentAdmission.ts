import { SimError } from '../errors.ts';
import type { Deployment } from './builtinObjects.ts';
import { canonicalJson } from './canonicalJson.ts';
import { cutText } from './quoteValue.ts';
import type { AdmissionRequest } from './kindDefinition.ts';
import { admitPodSpec } from './podAdmission.ts';

/**
 * A Deployment as the API server stores it: one replica unless written, its template's pod spec
 * defaulted as a pod's, its status kept across updates (the controller writes it).
 */
export function admitDeployment({ object, manifest, metadata, existing }: AdmissionRequest<Deployment>): Deployment {
  const spec = manifest['spec'] as Record<string, unknown>;
  const selector = spec['selector'] as Deployment['spec']['selector'];
  // apps/v1 made the selector immutable: the API server refuses a change in these words.
  if (existing !== undefined && canonicalJson(selector) !== canonicalJson(existing.spec.selector))
    throw new SimError({
      code: 'INVALID_FIELD',
      object,
      path: 'spec.selector',
      message: `Invalid value: ${cutText(goLabelSelector(selector))}: field is immutable`,
    });
  const template = spec['template'] as {
    metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
    spec: Record<string, unknown>;
  };
  const tplAnnotations = template.metadata?.annotations;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata,
    spec: {
      ...spec,
      replicas: (spec['replicas'] as number | undefined) ?? 1,
      selector,
      template: {
        metadata: { labels: template.metadata?.labels ?? {}, ...(tplAnnotations === undefined ? {} : { annotations: tplAnnotations }) },
        spec: admitPodSpec(template.spec),
      },
    },
    status: existing?.status ?? { observedGeneration: 0, replicas: 0, readyReplicas: 0, availableReplicas: 0, updatedReplicas: 0 },
  };
}

/** A label selector as the API server's error prints it: Go's `%#v` of a `v1.LabelSelector`. */
function goLabelSelector(sel: Deployment['spec']['selector']): string {
  const labels = Object.entries(sel.matchLabels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const matchLabels =
    sel.matchLabels === undefined
      ? 'map[string]string(nil)'
      : `map[string]string{${labels.map(([k, v]) => `${goQuote(k)}:${goQuote(v)}`).join(', ')}}`;
  const exprs = sel.matchExpressions;
  const matchExpressions =
    exprs === undefined
      ? '[]v1.LabelSelectorRequirement(nil)'
      : `[]v1.LabelSelectorRequirement{${exprs
          .map(
            (e) =>
              `v1.LabelSelectorRequirement{Key:${goQuote(e.key)}, Operator:${goQuote(e.operator)}, Values:${
                e.values === undefined ? '[]string(nil)' : `[]string{${e.values.map(goQuote).join(', ')}}`
              }}`,
          )
          .join(', ')}}`;
  return `v1.LabelSelector{MatchLabels:${matchLabels}, MatchExpressions:${matchExpressions}}`;
}

function goQuote(s: string): string {
  return JSON.stringify(s);
}
