import { allocatePodIp, nodeIp, usedPodIps } from '../ipam.ts';
import type { Node, Pod } from '../objects.ts';
import { scheduleNode } from '../scheduler.ts';
import type { Tx } from '../transaction.ts';

/**
 * Kubelet and scheduler in one step: every Pending pod gets a node (its own `nodeName`, or the
 * scheduler's pick), an IP (the node's for hostNetwork pods, else a pinned `status.podIP` or a
 * free one of the node's pod CIDR) and goes straight to Running. A pod no node fits, or whose
 * node has no free IP, stays Pending, as it would in a real cluster.
 */
export function runPendingPods(tx: Tx): void {
  const nodes = tx.list('Node');
  const pods = tx.list('Pod');
  const pending = pods.filter((p) => p.status.phase === 'Pending');
  if (pending.length === 0) return;
  const used = usedPodIps(pods);
  const load = new Map<string, number>();
  for (const p of pods) {
    if (p.spec.nodeName !== undefined && p.spec.hostNetwork !== true) load.set(p.spec.nodeName, (load.get(p.spec.nodeName) ?? 0) + 1);
  }
  for (const pod of pending) {
    const node = nodeFor(tx, pod, nodes, load);
    if (node === undefined) continue;
    const ip = podIpFor(tx, pod, node, used);
    if (ip === undefined) continue;
    used.add(ip);
    if (pod.spec.hostNetwork !== true && pod.spec.nodeName === undefined) load.set(node.metadata.name, (load.get(node.metadata.name) ?? 0) + 1);
    tx.put(running(pod, node, ip, tx.env.now));
  }
}

function nodeFor(tx: Tx, pod: Pod, nodes: readonly Node[], load: ReadonlyMap<string, number>): Node | undefined {
  const named = pod.spec.nodeName;
  if (named !== undefined) return nodes.find((n) => n.metadata.name === named);
  return scheduleNode(pod, nodes, load, tx.env.streams.scheduling);
}

function podIpFor(tx: Tx, pod: Pod, node: Node, used: ReadonlySet<string>): string | undefined {
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
