import type { Rng } from '../sim/rng.ts';
import { cidrContains } from './ipam.ts';
import type { Node, Pod, Taint, Toleration } from './objects.ts';

/** The taint kind (and kubeadm) put on a control-plane node that has workers beside it. */
export const CONTROL_PLANE_TAINT: Taint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

/**
 * Picks a node for a pod, as kube-scheduler's default profile would in effect:
 * - nodes whose NoSchedule taints the pod does not tolerate, or whose labels miss the pod's
 *   nodeSelector, are out;
 * - a pinned `status.podIP` inside a node's pod CIDR sends the pod to that node;
 * - otherwise the feasible node with the fewest pods wins, ties drawn from the Rng.
 * Returns undefined when no node fits (the pod stays Pending). Pure apart from the Rng draw.
 */
export function scheduleNode(pod: Pod, nodes: readonly Node[], podsPerNode: ReadonlyMap<string, number>, rng: Rng): Node | undefined {
  const feasible = nodes.filter((n) => tolerates(pod, n) && selects(pod, n));
  const pinned = pod.status.podIP;
  if (pinned !== undefined) {
    const owner = feasible.find((n) => cidrContains(n.spec.podCIDR, pinned));
    if (owner !== undefined) return owner;
  }
  if (feasible.length === 0) return undefined;
  const load = (n: Node): number => podsPerNode.get(n.metadata.name) ?? 0;
  const least = Math.min(...feasible.map(load));
  return rng.pick(feasible.filter((n) => load(n) === least));
}

/** The pod may run on the node: it tolerates the node's NoSchedule taints and the node has its nodeSelector's labels. */
export function nodeFits(pod: Pod, node: Node): boolean {
  return tolerates(pod, node) && selects(pod, node);
}

function tolerates(pod: Pod, node: Node): boolean {
  return (node.spec.taints ?? []).every(
    (t) => t.effect === 'PreferNoSchedule' || (pod.spec.tolerations ?? []).some((tol) => tolerationMatches(tol, t)),
  );
}

function tolerationMatches(tol: Toleration, taint: Taint): boolean {
  if (tol.effect !== undefined && tol.effect !== taint.effect) return false;
  if (tol.operator === 'Exists') return tol.key === undefined || tol.key === taint.key;
  return tol.key === taint.key && (tol.value ?? '') === (taint.value ?? '');
}

function selects(pod: Pod, node: Node): boolean {
  return Object.entries(pod.spec.nodeSelector ?? {}).every(([k, v]) => node.metadata.labels[k] === v);
}
