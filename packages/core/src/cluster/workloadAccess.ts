import { SimError } from '../errors.ts';
import { KUBE_DNS_SERVICE_IP } from '../k8s/ipam.ts';
import { isIPv4 } from '../k8s/names.ts';
import type { Rng } from '../sim/rng.ts';
import type { Scheduler } from '../sim/scheduler.ts';
import { podResolvConf } from '../workload/dnsResolver.ts';
import type { Cluster } from './cluster.ts';
import type { Network } from './network.ts';
import { requireEndpointStack, splitPodRef, workloadExec, type WorkloadExec } from './podExec.ts';

export interface WorkloadAccess {
  readonly cluster: Cluster;
  readonly scheduler: Scheduler;
  readonly rng: Rng;
  readonly network: Network;
}

/** `kubectl exec POD --`: the pod's network namespace (the node's, for host-network pods). */
export function podExec(w: WorkloadAccess, pod: string): WorkloadExec {
  const { namespace, name } = splitPodRef(pod);
  const obj = w.cluster.get('Pod', name, namespace);
  if (obj === undefined) throw new SimError({ code: 'NOT_FOUND', ref: { kind: 'Pod', namespace, name }, message: 'not found' });
  const conf = podResolvConf(namespace, KUBE_DNS_SERVICE_IP);
  if (obj.spec.hostNetwork === true) return workloadExec(w, w.network.stack(w.network.node(obj.spec.nodeName ?? '')?.ip ?? '')!, conf);
  return workloadExec(w, requireEndpointStack(w.network, w.cluster.endpoints.byPod(namespace, name), `${namespace}/${name}`), conf);
}

/** `docker exec NODE`: a kind node's host namespace (identity host there, remote-node elsewhere). */
export function hostExec(w: WorkloadAccess, nodeName: string): WorkloadExec {
  const node = w.network.node(nodeName);
  if (node === undefined) throw new SimError({ code: 'NOT_FOUND', ref: { kind: 'Node', name: nodeName }, message: 'not found' });
  return workloadExec(w, w.network.stack(node.ip)!, podResolvConf('default', KUBE_DNS_SERVICE_IP));
}

/** A client outside the cluster (identity world); it resolves names without the cluster's search list. */
export function outsideExec(w: WorkloadAccess, ip: string): WorkloadExec {
  if (!isIPv4(ip))
    throw new SimError({
      code: 'INVALID_FLAG',
      object: 'outside',
      path: '--ip',
      message: `${JSON.stringify(ip)} is not an IPv4 address; pass one such as 192.0.2.10`,
    });
  const stack = w.network.stack(ip);
  if (stack === undefined || stack.kind !== 'world')
    throw new SimError({
      code: 'INVALID_FLAG',
      object: 'outside',
      path: '--ip',
      message: `${ip} is inside the cluster's address ranges; pick an address outside 10.244.0.0/16, 10.96.0.0/12 and 172.18.0.0/24`,
    });
  return workloadExec(w, stack, { ...podResolvConf('default', KUBE_DNS_SERVICE_IP), search: [] });
}
