import type { Rng } from '../sim/rng.ts';
import { cidrContains } from './ipam.ts';
import type { Node, Pod, Taint, Toleration } from './objects.ts';
import { listObjects, type K8sState } from './state.ts';
import { defineIndex } from './stateIndex.ts';

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
  return new NodePicker(freshFits(nodes), (n) => podsPerNode.get(n) ?? 0).pick(pod, rng);
}

/**
 * The cluster's nodes in key order and, filled as pods ask, the nodes each kind of pod (same
 * tolerations and nodeSelector) fits. Kept by the state until a commit writes a Node, so a chain
 * of commits that schedule pods filters the nodes once per kind of pod, not once per commit.
 */
export interface NodeFits {
  readonly nodes: readonly Node[];
  readonly fits: Map<string, readonly Node[]>;
}

const nodeFitsIndex = defineIndex<K8sState, NodeFits>({
  name: 'nodeFits',
  build: (state) => freshFits(listObjects(state, 'Node')),
  carry: (fits, _prev, _next, changes) => {
    for (const key of changes.keys()) if (key.startsWith('Node/')) return undefined;
    return fits;
  },
});

/** The nodes of `state` and the kinds of pods they fit. */
export function nodeFits(state: K8sState): NodeFits {
  return nodeFitsIndex.of(state);
}

/** `nodes` with no fit found yet. */
export function freshFits(nodes: readonly Node[]): NodeFits {
  return { nodes, fits: new Map() };
}

/** The nodes one kind of pod fits, and the least loaded of them. */
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
  readonly #nodes: NodeFits;
  readonly #load: (node: string) => number;
  /** Pods placed by this picker, per node, on top of `#load`. */
  readonly #placed = new Map<string, number>();
  readonly #classes = new Map<string, FitClass>();

  /** `load`: pods per node before the picker places any. */
  constructor(nodes: NodeFits, load: (node: string) => number) {
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
    this.#placed.set(name, (this.#placed.get(name) ?? 0) + 1);
    for (const fit of this.#classes.values()) {
      const i = fit.candidates.indexOf(node);
      if (i >= 0) fit.candidates.splice(i, 1);
    }
  }

  #classOf(pod: Pod): FitClass {
    const key = JSON.stringify([pod.spec.tolerations ?? [], pod.spec.nodeSelector ?? {}]);
    let fit = this.#classes.get(key);
    if (fit === undefined) {
      let feasible = this.#nodes.fits.get(key);
      if (feasible === undefined) {
        feasible = this.#nodes.nodes.filter((n) => tolerates(pod, n) && selects(pod, n));
        this.#nodes.fits.set(key, feasible);
      }
      fit = { feasible, candidates: [] };
      this.#classes.set(key, fit);
    }
    return fit;
  }

  #loadOf(node: Node): number {
    const name = node.metadata.name;
    return this.#load(name) + (this.#placed.get(name) ?? 0);
  }

  /** Loads only grow while a picker lives, so the least loaded nodes are found again only once all of them filled. */
  #findLeast(fit: FitClass): void {
    let least = Number.POSITIVE_INFINITY;
    const loads = fit.feasible.map((n) => this.#loadOf(n));
    for (const l of loads) least = Math.min(least, l);
    fit.candidates = fit.feasible.filter((_, i) => loads[i] === least);
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
