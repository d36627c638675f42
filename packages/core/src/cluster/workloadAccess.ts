import { SimError } from '../errors.ts';
import { KUBE_DNS_SERVICE_IP } from '../k8s/ipam.ts';
import { isIPv4 } from '../k8s/names.ts';
import { getObject } from '../k8s/state.ts';
import type { Runtime } from '../runtime/runtime.ts';
import type { Pod } from '../k8s/objects.ts';
import type { Endpoint } from '../agent/endpoint.ts';
import type { K8sState } from '../k8s/state.ts';
import type { WorkloadStack } from '../workload/workloadStack.ts';
import { podContext } from '../tetragon/podInfo.ts';
import { podResolvConf } from '../workload/dnsResolver.ts';
import { stateRevision } from '../sim/stateRevision.ts';
import { runCommand } from './command.ts';
import { type ExecEnv, type ExecTracing, requireEndpointStack, splitPodRef, type WorkloadExec, workloadExec } from './podExec.ts';

function execEnv(rt: Runtime): ExecEnv {
  // One per runtime: every exec into a pod needs it, and nothing in it changes.
  let env = EXEC_ENVS.get(rt);
  if (env === undefined) {
    env = { command: (name, fn) => runCommand(rt, name, fn), scheduler: rt.scheduler, rng: rt.execRng, network: rt.network };
    EXEC_ENVS.set(rt, env);
  }
  return env;
}

const EXEC_ENVS = new WeakMap<Runtime, ExecEnv>();

/**
 * `kubectl exec POD [-c CONTAINER] --`: the pod's network namespace (the node's, for host-network
 * pods), its processes in `container` (the pod's first when omitted).
 */
export function podExec(rt: Runtime, pod: string, container?: string): WorkloadExec {
  const state = rt.api.state;
  const cached = podExecs(rt).get(pod)?.get(container);
  // The same stored pod on the same endpoint and socket stack runs commands as before: a script
  // or benchmark execs into a few pods over and over, and the exec has no state of its own.
  if (cached !== undefined && cached.state === state && stillServes(rt, cached)) return cached.exec;
  const { namespace, name } = splitPodRef(pod);
  const obj = getObject(state, { kind: 'Pod', namespace, name });
  if (obj === undefined) throw new SimError({ code: 'NOT_FOUND', ref: { kind: 'Pod', namespace, name }, message: 'not found' });
  // Asked only when the state changed since this pod's exec was made: a pod's phase changes with it.
  if (obj.status.phase !== 'Running') throw notRunning(obj, namespace);
  const tracing = podTracing(rt, obj, container);
  const conf = podResolvConf(namespace, KUBE_DNS_SERVICE_IP);
  const w = execEnv(rt);
  if (obj.spec.hostNetwork === true) {
    const stack = rt.network.stack(hostIp(rt, obj))!;
    const exec = workloadExec(w, stack, conf, tracing);
    rememberExec(rt, pod, container, { state, pod: obj, endpoint: undefined, stack, exec, checkedAt: -1 });
    return exec;
  }
  const endpoint = rt.endpoints.byPod(namespace, name);
  const stack = requireEndpointStack(rt.network, endpoint, `${namespace}/${name}`);
  const exec = workloadExec(w, stack, conf, tracing);
  rememberExec(rt, pod, container, { state, pod: obj, endpoint, stack, exec, checkedAt: -1 });
  return exec;
}

/**
 * A pod that exists but runs no containers cannot be exec'd into, as the API server and kubelet
 * refuse it: one not yet bound to a node, one whose containers are not created, one the kubelet
 * has stopped (deleted, held by finalizers).
 */
function notRunning(pod: Pod, namespace: string): SimError {
  const { name } = pod.metadata;
  const message =
    pod.status.phase === 'Succeeded'
      ? `cannot exec into a container in a completed pod; current phase is ${pod.status.phase}`
      : pod.spec.nodeName === undefined
        ? `pod ${name} does not have a host assigned`
        : 'its containers are not running yet';
  return new SimError({ code: 'INVALID_COMMAND', ref: { kind: 'Pod', namespace, name }, message });
}

/** The address of a host-network pod's node ('' when the node has no agent). */
function hostIp(rt: Runtime, pod: Pod): string {
  return rt.agents.node(pod.spec.nodeName ?? '')?.ip ?? '';
}

/**
 * Whether the exec's endpoint (or node) and stack are still the pod's. Which endpoint holds an
 * address, the nodes and the stacks change only with the state revision (sim/stateRevision.ts):
 * while it holds since the last check, nothing needs asking again.
 */
function stillServes(rt: Runtime, cached: CachedExec): boolean {
  const revision = stateRevision();
  if (cached.checkedAt === revision) return true;
  const ep = cached.endpoint;
  const serves =
    ep === undefined
      ? rt.network.stack(hostIp(rt, cached.pod)) === cached.stack
      : rt.endpoints.byIp(ep.ip) === ep && rt.network.podStack(ep.ip) === cached.stack;
  if (serves) cached.checkedAt = revision;
  return serves;
}

interface CachedExec {
  /** The API state the pod was read from: while it stands, so does the pod. */
  readonly state: K8sState;
  readonly pod: Pod;
  /** The pod's endpoint; undefined for a host-network pod. */
  readonly endpoint: Endpoint | undefined;
  readonly stack: WorkloadStack;
  readonly exec: WorkloadExec;
  /** The state revision at which the endpoint and stack were last found still the pod's (-1: never). */
  checkedAt: number;
}

/** Execs by pod reference, then container, per runtime. */
const POD_EXECS = new WeakMap<Runtime, Map<string, Map<string | undefined, CachedExec>>>();
/** Pods a session execs into; the table is a cache, emptied when it grows past this. */
const MAX_POD_EXECS = 1024;

function podExecs(rt: Runtime): Map<string, Map<string | undefined, CachedExec>> {
  let execs = POD_EXECS.get(rt);
  if (execs === undefined) POD_EXECS.set(rt, (execs = new Map()));
  return execs;
}

function rememberExec(rt: Runtime, pod: string, container: string | undefined, entry: CachedExec): void {
  const execs = podExecs(rt);
  let byContainer = execs.get(pod);
  if (byContainer === undefined) {
    if (execs.size >= MAX_POD_EXECS) execs.clear();
    execs.set(pod, (byContainer = new Map()));
  }
  byContainer.set(container, entry);
}

/** Who sees the pod's processes: the Tetragon agent of its node, when the cluster runs Tetragon. */
function podTracing(rt: Runtime, pod: Pod, container: string | undefined): ExecTracing | undefined {
  const ctx = podContext(pod, container);
  if (ctx === undefined) {
    throw new SimError({
      code: 'NOT_FOUND',
      ref: { kind: 'Pod', namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name },
      path: 'container',
      message: `container ${JSON.stringify(container)} not found; the pod has ${pod.spec.containers.map((c) => c.name).join(', ')}`,
    });
  }
  const node = pod.spec.nodeName;
  if (rt.tetragon === undefined || node === undefined) return undefined;
  return { tetragon: rt.tetragon, origin: { node, pod: ctx } };
}

/** `docker exec NODE`: a kind node's host namespace (identity host there, remote-node elsewhere). */
export function hostExec(rt: Runtime, nodeName: string): WorkloadExec {
  const node = rt.agents.node(nodeName);
  if (node === undefined) throw new SimError({ code: 'NOT_FOUND', ref: { kind: 'Node', name: nodeName }, message: 'not found' });
  const tracing = rt.tetragon === undefined ? undefined : { tetragon: rt.tetragon, origin: { node: nodeName, pod: undefined } };
  return workloadExec(execEnv(rt), rt.network.stack(node.ip)!, podResolvConf('default', KUBE_DNS_SERVICE_IP), tracing);
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
