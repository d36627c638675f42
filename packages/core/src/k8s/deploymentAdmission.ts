import type { Deployment } from './builtinObjects.ts';
import type { AdmissionRequest } from './kindDefinition.ts';
import { admitPodSpec } from './podAdmission.ts';

/**
 * A Deployment as the API server stores it: one replica unless written, its template's pod spec
 * defaulted as a pod's, its status kept across updates (the controller writes it).
 */
export function admitDeployment({ manifest, metadata, existing }: AdmissionRequest<Deployment>): Deployment {
  const spec = manifest['spec'] as Record<string, unknown>;
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
      selector: spec['selector'] as Deployment['spec']['selector'],
      template: {
        metadata: { labels: template.metadata?.labels ?? {}, ...(tplAnnotations === undefined ? {} : { annotations: tplAnnotations }) },
        spec: admitPodSpec(template.spec),
      },
    },
    status: existing?.status ?? { observedGeneration: 0, replicas: 0, readyReplicas: 0, availableReplicas: 0, updatedReplicas: 0 },
  };
}
