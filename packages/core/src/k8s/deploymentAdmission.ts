import { SimError } from '../errors.ts';
import type { Deployment } from './builtinObjects.ts';
import { selectorIssues } from './immutableFields.ts';
import type { AdmissionRequest } from './kindDefinition.ts';
import { admitPodSpec } from './podAdmission.ts';

/**
 * A Deployment as the API server stores it: one replica unless written, its template's pod spec
 * defaulted as a pod's, its status kept across updates (the controller writes it).
 */
export function admitDeployment({ object, ref, manifest, metadata, existing }: AdmissionRequest<Deployment>): Deployment {
  const spec = manifest['spec'] as Record<string, unknown>;
  const selector = spec['selector'] as Deployment['spec']['selector'];
  // apps/v1 made the selector immutable: the API server refuses a change in these words.
  if (existing !== undefined) {
    const issues = selectorIssues({ object, ref }, selector, existing.spec.selector);
    if (issues.length > 0) throw SimError.of(issues);
  }
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
