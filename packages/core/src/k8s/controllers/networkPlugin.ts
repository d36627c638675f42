import { podConditions } from '../conditions.ts';
import type { Pod } from '../objects.ts';
import { listObjects, type K8sState } from '../state.ts';
import { defineIndex } from '../stateIndex.ts';
import type { Tx } from '../transaction.ts';

/** The DaemonSet whose pod on a node is the network plugin's agent there: Cilium's. */
const AGENT_NAMESPACE = 'kube-system';
const AGENT_DAEMONSET = 'cilium';

/**
 * Which nodes can set up a pod's network: those where the Cilium agent's pod runs. Once Cilium is
 * installed (its ServiceAccount stands; deleting the DaemonSet leaves it, as `helm` would), the
 * kubelet's CNI call on a node without an agent fails, so a new pod there waits in
 * `ContainerCreating` with no address and no endpoint until an agent runs on the node again.
 * Pods of the host's network need no plugin. During the install nothing waits: the agents'
 * pods come last. Undefined when every node can.
 */
export function nodesWithNetwork(tx: Tx): ReadonlySet<string> | undefined {
  if (tx.env.ctx.installing === true) return undefined;
  if (tx.get({ kind: 'ServiceAccount', namespace: AGENT_NAMESPACE, name: AGENT_DAEMONSET }) === undefined) return undefined;
  for (const key of tx.changes.keys()) if (key.startsWith(AGENT_POD_KEYS)) return agentNodes(tx.list('Pod', AGENT_NAMESPACE));
  return agentNodesIndex.of(tx.base);
}

const AGENT_POD_KEYS = `Pod/${AGENT_NAMESPACE}/`;

/**
 * The nodes where an agent's pod stands, kept by the state until a commit writes a kube-system
 * pod: every transaction that schedules a pod asks, and the system namespace holds a pod of every
 * DaemonSet on every node.
 */
const agentNodesIndex = defineIndex<K8sState, ReadonlySet<string>>({
  name: 'agentNodes',
  build: (state) => agentNodes(listObjects(state, 'Pod', AGENT_NAMESPACE)),
  carry: (nodes, _prev, _next, changes) => {
    for (const key of changes.keys()) if (key.startsWith(AGENT_POD_KEYS)) return undefined;
    return nodes;
  },
});

function agentNodes(pods: readonly Pod[]): ReadonlySet<string> {
  const nodes = new Set<string>();
  for (const p of pods) if (isAgentPod(p) && p.spec.nodeName !== undefined && p.status.phase !== 'Succeeded') nodes.add(p.spec.nodeName);
  return nodes;
}

/** A pod of the agent's DaemonSet: one written may let waiting pods start. */
export function isAgentPod(pod: Pod): boolean {
  return (
    pod.metadata.namespace === AGENT_NAMESPACE &&
    pod.metadata.ownerReferences?.some((o) => o.kind === 'DaemonSet' && o.name === AGENT_DAEMONSET && o.controller === true) === true
  );
}

/** A pod bound to its node whose containers wait for the network plugin. */
export function waitingForNetwork(pod: Pod, nodeName: string, now: string): Pod {
  return {
    ...pod,
    spec: { ...pod.spec, nodeName },
    status: {
      phase: 'Pending',
      conditions: podConditions(
        false,
        pod.spec.containers.map((c) => c.name),
        now,
        pod.status.conditions,
      ),
      containerStatuses: pod.spec.containers.map((c) => ({
        name: c.name,
        image: c.image,
        ready: false,
        started: false,
        restartCount: 0,
        state: { waiting: { reason: 'ContainerCreating' } },
      })),
    },
  };
}
