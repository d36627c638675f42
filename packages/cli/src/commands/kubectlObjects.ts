import { type Cluster, k8s, SimError } from '@cilium-sim/core';
import type { KubeObject } from '../kubectl/objects.ts';
import type { ResourceType } from '../kubectl/resources.ts';

/**
 * The objects `kubectl get TYPE` lists, as the API server serves them (stored and derived kinds
 * alike, from core). `namespace` undefined lists every namespace.
 */
export function listObjectsOf(cluster: Cluster, type: ResourceType, namespace: string | undefined): KubeObject[] {
  return [...cluster.inspect.objects(type.kind, type.namespaced ? namespace : undefined)] as KubeObject[];
}

/** Filters by a `-l` selector: `app=web`, `env!=prod`, `tier`, `!tier`, `env in (a,b)`. */
export function matchingLabels(objects: readonly KubeObject[], selector: string | undefined): KubeObject[] {
  if (selector === undefined) return [...objects];
  const parsed = k8s.parseLabelSelector(selector, 'kubernetes');
  if ('problem' in parsed) throw new SimError({ code: 'INVALID_SELECTOR', path: '-l', message: parsed.problem });
  const sel = k8s.makeSelector(parsed.requirements);
  return objects.filter((o) => k8s.selectorMatches(sel, o.metadata.labels ?? {}));
}
