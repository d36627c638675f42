import type { EgressGatewayReconciler, Watcher } from './watcher.ts';

/**
 * CiliumEgressGatewayPolicies and Nodes, and the endpoints they select: the egress gateway
 * manager rebuilds the egress map once per commit that changed a policy or a node (a gateway
 * node labelled, unlabelled or deleted), or any pod while the feature runs (a selected pod
 * started, moved or relabelled). It flushes after the pods, so their endpoints are current.
 */
export function egressGatewayWatcher(manager: EgressGatewayReconciler): Watcher {
  let changed = false;
  return {
    changed() {
      changed = true;
    },
    flush(batch) {
      if (changed || (batch.pods.size > 0 && manager.enabled)) manager.reconcile(batch.state);
      changed = false;
    },
  };
}
