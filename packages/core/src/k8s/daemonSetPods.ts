import { systemPod } from './bootstrap.ts';
import { txEnv, type ApplyContext } from './context.ts';
import { runControllers } from './controllers/reconcile.ts';
import type { K8sState } from './state.ts';
import type { SystemPod } from './systemWorkloads.ts';
import { Tx } from './transaction.ts';

/**
 * Deletes the pods of a DaemonSet (`kubectl delete pod -l k8s-app=cilium`, which is how
 * cilium-cli restarts the agents) and lets the DaemonSet recreate them: one new pod per node the
 * old ones ran on, with a new name and uid, created now, Running once the controllers pass. Without
 * the DaemonSet there is nothing to restart.
 * `ctx` should carry a stream of its own, so a restart shifts no other object's name.
 */
export function recreateDaemonSetPods(state: K8sState, ctx: ApplyContext, template: SystemPod): K8sState {
  const tx = new Tx(state, txEnv(ctx));
  // The pods belong to the DaemonSet as stored now: one applied anew has a uid of its own.
  const ds = tx.get({ kind: 'DaemonSet', namespace: template.namespace, name: template.owner.name });
  if (ds === undefined) return state;
  const owner = { uid: ds.metadata.uid, generation: ds.metadata.generation };
  const old = tx
    .list('Pod', template.namespace)
    .filter((p) => p.metadata.ownerReferences?.some((o) => o.kind === 'DaemonSet' && o.name === template.owner.name));
  for (const pod of old) tx.remove({ kind: 'Pod', namespace: template.namespace, name: pod.metadata.name });
  for (const pod of old) tx.put(systemPod(tx, template, pod.spec.nodeName, tx.env.streams, owner));
  runControllers(tx);
  return tx.commit();
}
