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
  const fits = freshFits(nodes);
  return new NodePicker(
    fits,
    Int32Array.from(nodes, (n) => podsPerNode.get(n.metadata.name) ?? 0),
  ).pick(pod, rng);
}

/**
 * The cluster's nodes in key order, each one's position, and, filled as pods ask, the positions
 * of the nodes each kind of pod (same tolerations and nodeSelector) fits. Kept by the state until
 * a commit writes a Node, so a chain of commits that schedule pods filters the nodes once per kind
 * of pod, not once per commit; pods per node are counted by position (podIndex.ts).
 */
export interface NodeFits {
  readonly nodes: readonly Node[];
  readonly slots: ReadonlyMap<string, number>;
  readonly fits: Map<string, Int32Array>;
}

const nodeFitsIndex = defineIndex<K8sState, NodeFits>({
  name: 'nodeFits',
  build: (state) => freshFits(listObjects(state, 'Node')),
  carry: (fits, _prev, _next, changes) => (writesNode(changes.keys()) ? undefined : fits),
});

/** The nodes of `state` and the kinds of pods they fit. */
export function nodeFits(state: K8sState): NodeFits {
  return nodeFitsIndex.of(state);
}

/** `nodes` with no fit found yet. */
export function freshFits(nodes: readonly Node[]): NodeFits {
  return { nodes, slots: new Map(nodes.map((n, i) => [n.metadata.name, i])), fits: new Map() };
}

/** True when one of the keys is a Node's. */
export function writesNode(keys: Iterable<string>): boolean {
  for (const key of keys) if (key.startsWith('Node/')) return true;
  return false;
}

/** The nodes one kind of pod fits, and the least loaded of them, by position. */
interface FitClass {
  readonly feasible: Int32Array;
  /** The feasible nodes holding the fewest pods, in node order: the first `count` positions. */
  readonly candidates: Int32Array;
  /** How many candidates there are; 0 when they must be found again. */
  count: number;
}

/**
 * `scheduleNode` for many pods in a row, as a controller places a ReplicaSet's pods: the nodes a
 * kind of pod fits, and the least loaded of them, are found once and kept as pods are placed,
 * instead of filtering every node for every pod (which made a 50,000-pod apply cost nodes × pods).
 * The candidates sit in a typed array made once per kind of pod (a list grown node by node for
 * every transaction was most of the scheduler's garbage).
 * The picks, and the Rng draws, are those of `scheduleNode` called pod after pod.
 */
export class NodePicker {
  readonly #nodes: NodeFits;
  /** Pods per node by position: the picker's own, counting the pods it places. */
  readonly #load: Int32Array;
  readonly #classes = new Map<string, FitClass>();
  #lastSpec: Pod['spec'] | undefined;
  #lastClass: FitClass | undefined;

  constructor(nodes: NodeFits, load: Int32Array) {
    this.#nodes = nodes;
    this.#load = load;
  }

  pick(pod: Pod, rng: Rng): Node | undefined {
    const fit = this.#classOf(pod);
    const nodes = this.#nodes.nodes;
    const pinned = pod.status.podIP;
    if (pinned !== undefined) {
      for (const i of fit.feasible) if (cidrContains(nodes[i]!.spec.podCIDR, pinned)) return nodes[i];
    }
    if (fit.feasible.length === 0) return undefined;
    if (fit.count === 0) this.#findLeast(fit);
    // The draw of `rng.pick` over the candidates.
    return nodes[fit.candidates[rng.int(0, fit.count - 1)]!];
  }

  /** One more pod counts towards `node`: it leaves the least loaded nodes of every kind of pod. */
  placed(node: Node): void {
    const slot = this.#nodes.slots.get(node.metadata.name);
    if (slot === undefined) return;
    this.#load[slot]!++;
    for (const fit of this.#classes.values()) {
      // Positions past `count` are left over from before: a find there is no candidate.
      const i = fit.candidates.indexOf(slot);
      if (i < 0 || i >= fit.count) continue;
      fit.candidates.copyWithin(i, i + 1, fit.count);
      fit.count--;
    }
  }

  #classOf(pod: Pod): FitClass {
    // The replicas of a workload share their template's spec, hence their kind.
    if (pod.spec === this.#lastSpec) return this.#lastClass!;
    const fit = this.#classOfSpec(pod);
    this.#lastSpec = pod.spec;
    this.#lastClass = fit;
    return fit;
  }

  #classOfSpec(pod: Pod): FitClass {
    const key = JSON.stringify([pod.spec.tolerations ?? [], pod.spec.nodeSelector ?? {}]);
    let fit = this.#classes.get(key);
    if (fit === undefined) {
      const { nodes, fits } = this.#nodes;
      let feasible = fits.get(key);
      if (feasible === undefined) {
        const slots: number[] = [];
        nodes.forEach((n, i) => {
          if (tolerates(pod, n) && selects(pod, n)) slots.push(i);
        });
        fits.set(key, (feasible = Int32Array.from(slots)));
      }
      fit = { feasible, candidates: new Int32Array(feasible.length), count: 0 };
      this.#classes.set(key, fit);
    }
    return fit;
  }

  /** Loads only grow while a picker lives, so the least loaded nodes are found again only once all of them filled. */
  #findLeast(fit: FitClass): void {
    const load = this.#load;
    let least = Number.POSITIVE_INFINITY;
    for (const i of fit.feasible) if (load[i]! < least) least = load[i]!;
    let count = 0;
    for (const i of fit.feasible) if (load[i] === least) fit.candidates[count++] = i;
    fit.count = count;
  }
}

/** The pod may run on the node: it tolerates the node's NoSchedule taints and the node has its nodeSelector's labels. */
export function podFitsNode(pod: Pod, node: Node): boolean {
  return tolerates(pod, node) && selects(pod, node);
}

function tolerates(pod: Pod, node: Node): boolean {
  return untolerated(pod, node) === undefined;
}

/** The first of the node's NoSchedule or NoExecute taints the pod does not tolerate. */
function untolerated(pod: Pod, node: Node): Taint | undefined {
  return (node.spec.taints ?? []).find(
    (t) => t.effect !== 'PreferNoSchedule' && !(pod.spec.tolerations ?? []).some((tol) => tolerationMatches(tol, t)),
  );
}

/**
 * Why no node fits the pod, as kube-scheduler words its FitError in the PodScheduled condition:
 * each node counted under the first filter it fails (taints before the node selector, the order
 * of the default profile's plugins), the counts sorted as strings; a pod no node fits for these
 * reasons cannot be helped by preempting others.
 */
export function unschedulableMessage(pod: Pod, nodes: readonly Node[]): string {
  if (nodes.length === 0) return 'no nodes available to schedule pods';
  const counts = new Map<string, number>();
  for (const node of nodes) {
    const taint = untolerated(pod, node);
    const reason =
      taint !== undefined
        ? `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`
        : selects(pod, node)
          ? undefined
          : "node(s) didn't match Pod's node affinity/selector";
    if (reason !== undefined) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  const reasons = [...counts].map(([reason, n]) => `${n} ${reason}`).sort();
  const all = nodes.length;
  return `0/${all} nodes are available: ${reasons.join(', ')}. preemption: 0/${all} nodes are available: ${all} Preemption is not helpful for scheduling.`;
}

function tolerationMatches(tol: Toleration, taint: Taint): boolean {
  if (tol.effect !== undefined && tol.effect !== taint.effect) return false;
  if (tol.operator === 'Exists') return tol.key === undefined || tol.key === taint.key;
  return tol.key === taint.key && (tol.value ?? '') === (taint.value ?? '');
}

function selects(pod: Pod, node: Node): boolean {
  return Object.entries(pod.spec.nodeSelector ?? {}).every(([k, v]) => node.metadata.labels[k] === v);
}
