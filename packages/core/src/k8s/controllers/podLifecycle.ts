import { podConditions, unschedulableConditions } from '../conditions.ts';
import { allocatePodIp, nodeIp, usedPodIps, type IpSet } from '../ipam.ts';
import { loadAfter, ownIp, pendingPodKeys, podsAtIp } from '../podIndex.ts';
import type { Node, Pod } from '../objects.ts';
import { freshFits, NodePicker, nodeFits, unschedulableMessage, writesNode, type NodeFits } from '../scheduler.ts';
import { getByKey, type K8sState } from '../state.ts';
import { isAgentPod, nodesWithNetwork, waitingForNetwork } from './networkPlugin.ts';
import type { Tx } from '../transaction.ts';

/**
 * Kubelet and scheduler in one step: every Pending pod gets a node (its own `nodeName`, or the
 * scheduler's pick), an IP (the node's for hostNetwork pods, else a pinned `status.podIP` or a
 * free one of the node's pod CIDR) and goes straight to Running. A pod no node fits, or whose
 * node has no free IP, stays Pending, as it would in a real cluster.
 */
export function runPendingPods(tx: Tx, full = false): void {
  // A pod marked for deletion is never started: the kubelet only stops what it has.
  const pending = (full ? tx.list('Pod').filter((p) => p.status.phase === 'Pending') : pendingPods(tx)).filter(
    (p) => p.metadata.deletionTimestamp === undefined,
  );
  if (pending.length === 0) return;
  // The base's nodes (and what each kind of pod fits) serve while the transaction writes no Node.
  const fits = full || writesNode(tx.changes.keys()) ? freshFits(tx.list('Node')) : nodeFits(tx.base);
  const nodes = fits.nodes;
  const { used, load } = full ? countAll(tx.list('Pod'), fits) : { used: new UsedIps(tx), load: loadAfter(tx.base, tx.changes, fits) };
  const picker = new NodePicker(fits, load);
  const networked = pending.some((p) => p.spec.hostNetwork !== true) ? nodesWithNetwork(tx) : undefined;
  for (const pod of pending) {
    const node = nodeFor(tx, pod, nodes, picker);
    if (node === undefined) {
      // A pod bound to a node that does not exist is the kubelet's to leave, not the scheduler's to judge.
      if (pod.status.conditions === undefined && pod.spec.nodeName === undefined) {
        const message = unschedulableMessage(pod, nodes);
        tx.put({ ...pod, status: { ...pod.status, conditions: unschedulableConditions(tx.env.now, message) } });
      }
      continue;
    }
    if (networked !== undefined && pod.spec.hostNetwork !== true && !networked.has(node.metadata.name)) {
      if (pod.spec.nodeName === undefined) picker.placed(node);
      if (pod.status.containerStatuses === undefined) tx.put(waitingForNetwork(pod, node.metadata.name, tx.env.now));
      continue;
    }
    const ip = podIpFor(tx, pod, node, used);
    if (ip === undefined) continue;
    used.add(ip);
    if (pod.spec.hostNetwork !== true && pod.spec.nodeName === undefined) picker.placed(node);
    tx.put(running(pod, node, ip, tx.env.now));
  }
}

/**
 * The pods to try, by key: those the transaction wrote Pending, and the base's Pending pods only
 * when the transaction may have made room for them. As kube-scheduler requeues unschedulable pods
 * on cluster events, not on every change, a cluster full of Pending pods costs each new object
 * nothing extra.
 */
function pendingPods(tx: Tx): Pod[] {
  const keys = new Set<string>();
  if (mayMakeRoom(tx)) for (const k of pendingPodKeys(tx.base)) if (!tx.changes.has(k)) keys.add(k);
  for (const [key, obj] of tx.changes) if (obj?.kind === 'Pod' && obj.status.phase === 'Pending') keys.add(key);
  return [...keys].sort().map((k) => tx.getByKey(k) as Pod);
}

/** A node written, or a pod removed or no longer Running: what can free a node or an address. */
function mayMakeRoom(tx: Tx): boolean {
  for (const [key, obj] of tx.changes) {
    if (key.startsWith('Node/')) return true;
    if (obj?.kind === 'Pod' && isAgentPod(obj)) return true;
    if (
      key.startsWith('Pod/') &&
      (obj === null || (obj.kind === 'Pod' && obj.status.phase !== 'Running' && obj.status.phase !== 'Pending'))
    )
      return true;
  }
  return false;
}

function countAll(pods: readonly Pod[], fits: NodeFits): { used: Set<string>; load: Int32Array } {
  const load = new Int32Array(fits.nodes.length);
  for (const p of pods) {
    const slot = p.spec.nodeName === undefined || p.spec.hostNetwork === true ? undefined : fits.slots.get(p.spec.nodeName);
    if (slot !== undefined) load[slot]!++;
  }
  return { used: usedPodIps(pods), load };
}

/** Addresses taken, seen through the transaction: its pods' own, and the base's it left alone. */
class UsedIps {
  readonly #tx: Tx;
  readonly #added = new Set<string>();
  /** Addresses of base pods the transaction wrote or removed: the base's count of them no longer holds. */
  readonly #released = new Map<string, number>();

  constructor(tx: Tx) {
    this.#tx = tx;
    for (const [key, obj] of tx.changes) {
      const was = podIpOf(tx.base, key);
      if (was !== undefined) this.#released.set(was, (this.#released.get(was) ?? 0) + 1);
      const ip = obj?.kind === 'Pod' ? ownIp(obj) : undefined;
      if (ip !== undefined) this.#added.add(ip);
    }
  }

  has(ip: string): boolean {
    return this.#added.has(ip) || podsAtIp(this.#tx.base, ip) > (this.#released.get(ip) ?? 0);
  }

  add(ip: string): void {
    this.#added.add(ip);
  }
}

function podIpOf(state: K8sState, key: string): string | undefined {
  if (!key.startsWith('Pod/')) return undefined;
  const pod = getByKey(state, key);
  return pod?.kind === 'Pod' ? ownIp(pod) : undefined;
}

function nodeFor(tx: Tx, pod: Pod, nodes: readonly Node[], picker: NodePicker): Node | undefined {
  const named = pod.spec.nodeName;
  if (named !== undefined) return nodes.find((n) => n.metadata.name === named);
  return picker.pick(pod, tx.env.streams.scheduling);
}

function podIpFor(tx: Tx, pod: Pod, node: Node, used: IpSet): string | undefined {
  if (pod.spec.hostNetwork === true) return nodeIp(node);
  return pod.status.podIP ?? allocatePodIp(node, used, tx.env.streams.podIps);
}

function running(pod: Pod, node: Node, ip: string, now: string): Pod {
  return {
    ...pod,
    spec: { ...pod.spec, nodeName: node.metadata.name },
    status: {
      phase: 'Running',
      podIP: ip,
      podIPs: [{ ip }],
      hostIP: nodeIp(node),
      startTime: now,
      conditions: podConditions(true, [], now, pod.status.conditions),
      containerStatuses: pod.spec.containers.map((c) => ({
        name: c.name,
        image: c.image,
        ready: true,
        started: true,
        restartCount: 0,
        state: { running: { startedAt: now } },
      })),
    },
  };
}
