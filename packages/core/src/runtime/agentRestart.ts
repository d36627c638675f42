import { recreateDaemonSetPods } from '../k8s/daemonSetPods.ts';
import { agentPod } from '../k8s/systemWorkloads.ts';
import { changeObjects } from './changeObjects.ts';
import type { Runtime } from './runtime.ts';

/**
 * Restarts the Cilium agents as `cilium config set` does (cilium-cli deletes the agent pods):
 * the cilium DaemonSet's pods are recreated with new names, created now, and each agent's log
 * starts over with its start-up lines. The datapath's state survives, as it does across a real
 * agent restart. Each restart names its pods from a stream of its own.
 */
export function restartAgents(rt: Runtime): void {
  const rng = rt.applyContext.rng.fork(`cilium-restart/${rt.agents.nextRestart()}`);
  const template = agentPod(rt.options.ciliumVersion);
  changeObjects(rt, (state, ctx) => ({ state: recreateDaemonSetPods(state, { ...ctx, rng }, template), results: [] }), false);
  for (const agent of rt.agents.list()) agent.start(rt.clock.epochMs());
  rt.egressGateway.agentsStarted();
}
