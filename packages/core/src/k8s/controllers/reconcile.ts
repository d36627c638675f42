import { txEnv, type ApplyContext } from '../context.ts';
import type { K8sState } from '../state.ts';
import { Tx } from '../transaction.ts';
import { reconcileDaemonSets } from './daemonSet.ts';
import { reconcileDeployments, updateDeploymentStatus } from './deployment.ts';
import { collectGarbage } from './garbageCollector.ts';
import { collectOwned } from './ownerGc.ts';
import { restoreKubernetesService } from './kubernetesService.ts';
import { ensureDefaultServiceAccounts } from './namespace.ts';
import { runPendingPods } from './podLifecycle.ts';
import { reconcileStatefulSets } from './statefulSet.ts';
import { restoreSystemPods } from './systemPods.ts';

/**
 * Runs the controllers inside a transaction, in the order their effects feed each other:
 * service accounts (pods need them), the API server's Service, garbage collection, the system workloads' pods, DaemonSets,
 * StatefulSets and Deployments (create/delete pods),
 * scheduling and IPs (pods start), then Deployment status (counts the running pods), and the
 * owner-reference collector once more for what the controllers deleted.
 * The base state must be reconciled (the store keeps every committed state so): the passes then
 * look only at what the transaction wrote. `full` looks at every object instead.
 */
export function runControllers(tx: Tx, full = false): void {
  ensureDefaultServiceAccounts(tx);
  restoreKubernetesService(tx);
  const collected = collectGarbage(tx, full);
  restoreSystemPods(tx);
  reconcileDaemonSets(tx, full);
  reconcileStatefulSets(tx, full);
  reconcileDeployments(tx, full);
  runPendingPods(tx, full);
  updateDeploymentStatus(tx, full);
  // What the controllers deleted (a scaled-down replica) may own objects in turn: the collector follows them too.
  collectOwned(tx, false, collected);
}

/**
 * Brings the cluster to its desired state as one transaction. Pure apart from the context's Rng;
 * returns the same state when nothing needed doing. The store calls it after every object; call
 * it yourself after changing the state some other way (e.g. a node coming back).
 */
export function reconcile(state: K8sState, ctx: ApplyContext): K8sState {
  const tx = new Tx(state, txEnv(ctx));
  runControllers(tx, true);
  return tx.commit();
}
