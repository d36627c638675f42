import { SimError } from '../errors.ts';
import { KUBE_DNS_SERVICE_IP } from '../k8s/ipam.ts';
import { isIPv4 } from '../k8s/names.ts';
import { getObject } from '../k8s/state.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { podResolvConf } from '../workload/dnsResolver.ts';
import { runCommand } from './command.ts';
import { type ExecEnv, requireEndpointStack, splitPodRef, type WorkloadExec, workloadExec } from './podExec.ts';

function execEnv(rt: Runtime): ExecEnv {
  return { command: (name, fn) => runCommand(rt, name, fn), scheduler: rt.scheduler, rng: rt.execRng, network: rt.network };
}

/** `kubectl exec POD --`: the pod's network namespace (the node's, for host-network pods). */
export function podExec(rt: Runtime, pod: string): WorkloadExec {
  const { namespace, name } = splitPodRef(pod);
  const obj = getObject(rt.api.state, { kind: 'Pod', namespace, name });
  if (obj === undefined) throw new SimError({ code: 'NOT_FOUND', ref: { kind: 'Pod', namespace, name }, message: 'not found' });
  const conf = podResolvConf(namespace, KUBE_DNS_SERVICE_IP);
  const w = execEnv(rt);
  if (obj.spec.hostNetwork === true) return workloadExec(w, rt.network.stack(rt.agents.node(obj.spec.nodeName ?? '')?.ip ?? '')!, conf);
  return workloadExec(w, requireEndpointStack(rt.network, rt.endpoints.byPod(namespace, name), `${namespace}/${name}`), conf);
}

/** `docker exec NODE`: a kind node's host namespace (identity host there, remote-node elsewhere). */
export function hostExec(rt: Runtime, nodeName: string): WorkloadExec {
  const node = rt.agents.node(nodeName);
  if (node === undefined) throw new SimError({ code: 'NOT_FOUND', ref: { kind: 'Node', name: nodeName }, message: 'not found' });
  return workloadExec(execEnv(rt), rt.network.stack(node.ip)!, podResolvConf('default', KUBE_DNS_SERVICE_IP));
}

/** A client outside the cluster (identity world); it resolves names without the cluster's search list. */
export function outsideExec(rt: Runtime, ip: string): WorkloadExec {
  if (!isIPv4(ip))
    throw new SimError({
      code: 'INVALID_FLAG',
      object: 'outside',
      path: '--ip',
      message: `${JSON.stringify(ip)} is not an IPv4 address; pass one such as 192.0.2.10`,
    });
  const stack = rt.network.stack(ip);
  if (stack === undefined || stack.kind !== 'world')
    throw new SimError({
      code: 'INVALID_FLAG',
      object: 'outside',
      path: '--ip',
      message: `${ip} is inside the cluster's address ranges; pick an address outside 10.244.0.0/16, 10.96.0.0/12 and 172.18.0.0/24`,
    });
  return workloadExec(execEnv(rt), stack, { ...podResolvConf('default', KUBE_DNS_SERVICE_IP), search: [] });
}
