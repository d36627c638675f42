import { allocatePodIp, nodeIp, usedPodIps, type IpSet } from '../ipam.ts';
import { loadAfter, ownIp, pendingPodKeys, podKeyByIp } from '../podIndex.ts';
import type { Node, Pod } from '../objects.ts';
import { scheduleNode } from '../scheduler.ts';
import { isAgentPod, nodesWithNetwork, waitingForNetwork } from './networkPlugin.ts';
import type { Tx } from '../transaction.ts';

/**
 * Kubelet and scheduler in one step: every Pending pod gets a node (its own `nodeName`, or the
 * scheduler's pick), an IP (the node's for hostNetwork pods, else a pinned `status.podIP` or a
 * free one of the node's pod CIDR) and goes straight to Running. A pod no node fits, or whose
 * node has no free IP, stays Pending, as it would in a real cluster.
 */
export function runPendingPods(tx: Tx, full = false): void {
  const pending = full ? tx.list('Pod').filter((p) => p.status.phase === 'Pending') : pendingPods(tx);
  if (pending.length === 0) return;
  const nodes = tx.list('Node');
  const { used, load } = full ? countAll(tx.list('Pod')) : { used: new UsedIps(tx), load: loadAfter(tx.base, tx.changes) };
  const networked = pending.some((p) => p.spec.hostNetwork !== true) ? nodesWithNetwork(tx) : undefined;
  for (const pod of pending) {
    const node = nodeFor(tx, pod, nodes, load);
    if (node === undefined) continue;
    if (networked !== undefined && pod.spec.hostNetwork !== true && !networked.has(node.metadata.name)) {
      if (pod.spec.nodeName === undefined) load.set(node.metadata.name, (load.get(node.metadata.name) ?? 0) + 1);
      if (pod.status.containerStatuses === undefined) tx.put(waitingForNetwork(pod, node.metadata.name));
      continue;
    }
    const ip = podIpFor(tx, pod, node, used);
    if (ip === undefined) continue;
    used.add(ip);
    if (pod.spec.hostNetwork !== true && pod.spec.nodeName === undefined)
      load.set(node.metadata.name, (load.get(node.metadata.name) ?? 0) + 1);
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

function countAll(pods: readonly Pod[]): { used: Set<string>; load: Map<string, number> } {
  const load = new Map<string, number>();
  for (const p of pods) {
    if (p.spec.nodeName !== undefined && p.spec.hostNetwork !== true) load.set(p.spec.nodeName, (load.get(p.spec.nodeName) ?? 0) + 1);
  }
  return { used: usedPodIps(pods), load };
}

/** Addresses taken, seen through the transaction: its pods' own, and the base's it left alone. */
class UsedIps {
  readonly #tx: Tx;
  readonly #added = new Set<string>();

  constructor(tx: Tx) {
    this.#tx = tx;
    for (const obj of tx.changes.values()) {
      const ip = obj?.kind === 'Pod' ? ownIp(obj) : undefined;
      if (ip !== undefined) this.#added.add(ip);
    }
  }

  has(ip: string): boolean {
    if (this.#added.has(ip)) return true;
    const key = podKeyByIp(this.#tx.base, ip);
    return key !== undefined && !this.#tx.changes.has(key);
  }

  add(ip: string): void {
    this.#added.add(ip);
  }
}

function nodeFor(tx: Tx, pod: Pod, nodes: readonly Node[], load: ReadonlyMap<string, number>): Node | undefined {
  const named = pod.spec.nodeName;
  if (named !== undefined) return nodes.find((n) => n.metadata.name === named);
  return scheduleNode(pod, nodes, load, tx.env.streams.scheduling);
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
