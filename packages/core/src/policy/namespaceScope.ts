import { NAMESPACE_KEY, NAMESPACE_LABELS_PREFIX } from '../identity/endpointLabels.ts';
import { makeSelector, type Selector } from '../k8s/labelSelector.ts';

/**
 * How a policy's endpoint selectors are scoped to namespaces (Cilium's rule sanitising): a
 * namespaced policy's selectors select in its namespace unless they say which namespace they
 * mean; a clusterwide policy's select pods of any namespace.
 */

/** True when the selector already says which namespace(s) it means (§2.5). */
export function mentionsNamespace(sel: Selector): boolean {
  return sel.requirements.some(
    (r) =>
      (r.key === NAMESPACE_KEY && (r.source === 'k8s' || r.source === 'any')) ||
      r.key.startsWith(NAMESPACE_LABELS_PREFIX) ||
      r.source === 'reserved',
  );
}

/** The selector restricted to one namespace (a CNP's endpointSelector replaces any namespace match). */
export function inNamespace(sel: Selector, namespace: string, replace: boolean): Selector {
  const kept = replace
    ? sel.requirements.filter((r) => !(r.key === NAMESPACE_KEY && (r.source === 'k8s' || r.source === 'any')))
    : sel.requirements;
  return makeSelector([...kept, { source: 'k8s', key: NAMESPACE_KEY, operator: 'In', values: [namespace] }]);
}

/** The selector restricted to pods of any namespace (CCNP peers, NetworkPolicy namespaceSelector). */
export function inAnyNamespace(sel: Selector): Selector {
  return makeSelector([...sel.requirements, { source: 'k8s', key: NAMESPACE_KEY, operator: 'Exists', values: [] }]);
}
