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
  return new NodePicker(nodes, new Map(podsPerNode)).pick(pod, rng);
}

/** The nodes one kind of pod (same tolerations and nodeSelector) fits, and the least loaded of them. */
interface FitClass {
  readonly feasible: readonly Node[];
  /** The feasible nodes holding `least` pods, in node order; empty when it must be found again. */
  candidates: Node[];
}

/**
 * `scheduleNode` for many pods in a row, as a controller places a ReplicaSet's pods: the nodes a
 * kind of pod fits, and the least loaded of them, are found once and kept as pods are placed,
 * instead of filtering every node for every pod (which made a 50,000-pod apply cost nodes × pods).
 * The picks, and the Rng draws, are those of `scheduleNode` called pod after pod.
 */
export class NodePicker {
  readonly #nodes: readonly Node[];
  readonly #load: Map<string, number>;
  readonly #classes = new Map<string, FitClass>();

  /** `load` (pods per node) is the picker's own from now on: `placed` counts into it. */
  constructor(nodes: readonly Node[], load: Map<string, number>) {
    this.#nodes = nodes;
    this.#load = load;
  }

  pick(pod: Pod, rng: Rng): Node | undefined {
    const fit = this.#classOf(pod);
    const pinned = pod.status.podIP;
    if (pinned !== undefined) {
      const owner = fit.feasible.find((n) => cidrContains(n.spec.podCIDR, pinned));
      if (owner !== undefined) return owner;
    }
    if (fit.feasible.length === 0) return undefined;
    if (fit.candidates.length === 0) this.#findLeast(fit);
    return rng.pick(fit.candidates);
  }

  /** One more pod counts towards `node`: it leaves the least loaded nodes of every kind of pod. */
  placed(node: Node): void {
    const name = node.metadata.name;
    this.#load.set(name, (this.#load.get(name) ?? 0) + 1);
    for (const fit of this.#classes.values()) {
      const i = fit.candidates.indexOf(node);
      if (i >= 0) fit.candidates.splice(i, 1);
    }
  }

  #classOf(pod: Pod): FitClass {
    const key = JSON.stringify([pod.spec.tolerations ?? [], pod.spec.nodeSelector ?? {}]);
    let fit = this.#classes.get(key);
    if (fit === undefined) {
      fit = { feasible: this.#nodes.filter((n) => tolerates(pod, n) && selects(pod, n)), candidates: [] };
      this.#classes.set(key, fit);
    }
    return fit;
  }

  /** Loads only grow while a picker lives, so the least loaded nodes are found again only once all of them filled. */
  #findLeast(fit: FitClass): void {
    let least = Number.POSITIVE_INFINITY;
    for (const n of fit.feasible) least = Math.min(least, this.#load.get(n.metadata.name) ?? 0);
    fit.candidates = fit.feasible.filter((n) => (this.#load.get(n.metadata.name) ?? 0) === least);
  }
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
