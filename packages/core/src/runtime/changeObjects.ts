import type { ApplyContext } from '../k8s/context.ts';
import { getObject, type K8sState } from '../k8s/state.ts';
import type { ObjectResult } from '../k8s/store.ts';
import { reconcileGateways } from './gatewayReconcile.ts';
import type { Runtime } from './runtime.ts';

/** One change of the API server's objects: the new state and what each object's change gave. */
export type ObjectChange = (state: K8sState, ctx: ApplyContext) => { state: K8sState; results: readonly ObjectResult[] };

/**
 * Runs a change against the API server: commits its state, lets the watchers react and
 * announces the results once all that is done. A dry run commits nothing and draws from a throwaway stream.
 */
export function changeObjects(rt: Runtime, change: ObjectChange, dryRun: boolean): ObjectResult[] {
  return rt.events.run(() => {
    const prev = rt.api.state;
    const out = change(prev, dryRun ? { ...rt.applyContext, rng: rt.api.dryRunRng(rt.rng) } : rt.applyContext);
    if (dryRun) return [...out.results];
    rt.api.commit(out.state);
    rt.watchers.sync(prev, out.state);
    if (out.state !== prev) removeAgentsOfDeletedNodes(rt, out.state);
    reconcileGateways(rt);
    // Delivered once the change is committed and the agents have reacted (EventBus.run).
    rt.events.emitAfter('applied', { results: out.results });
    return [...out.results];
  });
}

/** The agent of a Node deleted from the API leaves the runtime: `cilium status`, Hubble and `docker exec` no longer reach it. */
function removeAgentsOfDeletedNodes(rt: Runtime, state: K8sState): void {
  for (const name of rt.agents.names()) if (getObject(state, { kind: 'Node', name }) === undefined) rt.agents.remove(name);
}
