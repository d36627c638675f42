import { type Cluster, hubble, isSimError, k8s, SimError } from '@cilium-sim/core';
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
  const sel = kubectlSelector(selector);
  return objects.filter((o) =>
    hubble.selectorMatches(
      sel,
      Object.entries(o.metadata.labels ?? {}).map(([k, v]) => `${k}=${v}`),
    ),
  );
}

/** Parses `-l` as kubectl does: Hubble's grammar, but plain Kubernetes label keys and values. */
function kubectlSelector(text: string): ReturnType<typeof hubble.parseLabelSelector> {
  const invalid = (why: string): SimError =>
    new SimError({ code: 'INVALID_SELECTOR', path: '-l', message: `invalid label selector ${JSON.stringify(text)}: ${why}` });
  let sel: ReturnType<typeof hubble.parseLabelSelector>;
  try {
    sel = hubble.parseLabelSelector(text, '-l');
  } catch (e) {
    if (!isSimError(e)) throw e;
    throw new SimError({ code: 'INVALID_SELECTOR', path: '-l', message: e.issues[0]!.message });
  }
  for (const req of sel) {
    const key = req.source === 'any' ? req.key : `${req.source}:${req.key}`;
    const problem = k8s.labelKeyProblem(key) ?? req.values.map((v) => k8s.labelValueProblem(v)).find((p) => p !== undefined);
    if (problem !== undefined) throw invalid(problem);
    if ((req.op === 'in' || req.op === 'notIn') && req.values.every((v) => v === ''))
      throw invalid(`for 'in', 'notin' operators, values set can't be empty (key ${JSON.stringify(key)})`);
  }
  return sel;
}
