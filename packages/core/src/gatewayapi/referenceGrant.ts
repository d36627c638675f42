import { listObjects, type K8sState } from '../k8s/state.ts';

/** One side of a cross-namespace reference: an object's API group, kind and namespace. */
export interface ReferenceEnd {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
}

/**
 * May an object (`from`) refer to `to` (named `name`)? A reference inside one namespace always
 * may; across namespaces only when a ReferenceGrant in the target's namespace lists the
 * referrer's group, kind and namespace in `from` and the target's group and kind (all of them,
 * or this one by name) in `to`, as the Gateway API defines it and Cilium checks it.
 */
export function referenceAllowed(state: K8sState, from: ReferenceEnd, to: ReferenceEnd & { readonly name: string }): boolean {
  if (from.namespace === to.namespace) return true;
  return listObjects(state, 'ReferenceGrant').some(
    (grant) =>
      (grant.metadata.namespace ?? 'default') === to.namespace &&
      grant.spec.from.some((f) => f.group === from.group && f.kind === from.kind && f.namespace === from.namespace) &&
      grant.spec.to.some(
        (t) => t.group === to.group && t.kind === to.kind && (t.name === undefined || t.name === '' || t.name === to.name),
      ),
  );
}
