import { SimError } from '../errors.ts';
import type { DaemonSet, LabelSelector, PodTemplate, StatefulSet } from './builtinObjects.ts';
import { selectorIssues, statefulSetIssues } from './immutableFields.ts';
import type { AdmissionRequest } from './kindDefinition.ts';
import { admitPodSpec } from './podAdmission.ts';

type Spec = Readonly<Record<string, unknown>>;

/**
 * A DaemonSet as the API server stores it: its template's pod spec defaulted as a pod's. Its
 * selector is immutable; the controller (controllers/daemonSet.ts) writes no status here, the
 * API view derives it from the pods.
 */
export function admitDaemonSet({ object, ref, manifest, metadata, existing }: AdmissionRequest<DaemonSet>): DaemonSet {
  const spec = manifest['spec'] as Spec;
  const selector = spec['selector'] as LabelSelector;
  if (existing !== undefined) {
    const issues = selectorIssues({ object, ref }, selector, existing.spec.selector);
    if (issues.length > 0) throw SimError.of(issues);
  }
  return { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata, spec: { ...spec, selector, template: template(spec) } };
}

/** A StatefulSet as the API server stores it: one replica unless written; only some of its spec may change. */
export function admitStatefulSet({ object, ref, manifest, metadata, existing }: AdmissionRequest<StatefulSet>): StatefulSet {
  const written = manifest['spec'] as Spec;
  const spec = {
    ...written,
    replicas: (written['replicas'] as number | undefined) ?? 1,
    serviceName: (written['serviceName'] as string | undefined) ?? '',
    selector: written['selector'] as LabelSelector,
    template: template(written),
  };
  if (existing !== undefined) {
    const issues = statefulSetIssues({ object, ref }, spec, existing.spec);
    if (issues.length > 0) throw SimError.of(issues);
  }
  return { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata, spec };
}

function template(spec: Spec): PodTemplate {
  const t = spec['template'] as { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec: Spec };
  const annotations = t.metadata?.annotations;
  return {
    metadata: { labels: t.metadata?.labels ?? {}, ...(annotations === undefined ? {} : { annotations }) },
    spec: admitPodSpec(t.spec as Record<string, unknown>),
  };
}
