import type { Endpoint } from '../agent/endpoint.ts';
import { AuthMap, type AuthKey } from '../datapath/authMap.ts';
import { Datapath, type DatapathEnv, type NodeRef } from '../datapath/datapath.ts';
import type { FlowEmitter } from '../datapath/flowEmitter.ts';
import { LoadBalancer } from '../datapath/loadBalancer.ts';
import type { NetStack } from '../datapath/netStack.ts';
import type { LxcEndpoint } from '../datapath/lxcEndpoint.ts';
import type { Packet } from '../datapath/packet.ts';
import type { DirectionSide } from '../policy/direction.ts';
import type { EndpointPolicyView, PolicyDecision } from '../policy/policyDecision.ts';
import type { CtEntry } from '../datapath/conntrack.ts';
import type { Ipcache } from '../identity/ipcache.ts';
import { ReservedIdentity } from '../identity/reserved.ts';
import { isClusterAddress } from '../k8s/ipam.ts';
import type { Scheduler } from '../sim/scheduler.ts';
import { genericHttpServer, udpEcho, type ServerApp } from '../workload/serverApp.ts';
import { WorkloadStack } from '../workload/workloadStack.ts';

/** An outside host: an HTTP server on every TCP port and an echo on every UDP port. */
const worldApp: ServerApp = { name: 'world', http: genericHttpServer.http!, udp: udpEcho.udp! };

export interface NetworkHooks {
  policy(ep: LxcEndpoint): EndpointPolicyView;
  auditMode(ep: Endpoint): boolean;
  requestAuth(nodeName: string, key: AuthKey): void;
  redirect?(p: Packet, ct: CtEntry, side: DirectionSide, decision: PolicyDecision, node: string, deliver: (p: Packet) => void): boolean;
  observeReply?(p: Packet, ct: CtEntry): void;
}

/**
 * Everything that carries packets: the stacks of pods, nodes and outside hosts, the per-node
 * auth maps, the load balancer, and the datapath that connects them. It answers the
 * datapath's lookups from maps kept up to date by the cluster's sync.
 */
export class Network {
  readonly lb = new LoadBalancer();
  readonly datapath: Datapath;
  readonly #ipcache: Ipcache;
  readonly #endpoint: (ip: string) => Endpoint | undefined;
  readonly #stacks = new Map<string, WorkloadStack>();
  readonly #nodes = new Map<string, NodeRef>();
  readonly #nodesByIp = new Map<string, NodeRef>();
  readonly #authMaps = new Map<string, AuthMap>();
  /** The node whose IP serves the Kubernetes API (kube-apiserver identity from elsewhere). */
  #apiServerNode: string | undefined;

  constructor(
    scheduler: Scheduler,
    ipcache: Ipcache,
    endpoint: (ip: string) => Endpoint | undefined,
    hooks: NetworkHooks,
    emit: FlowEmitter,
  ) {
    this.#ipcache = ipcache;
    this.#endpoint = endpoint;
    const env: DatapathEnv = {
      scheduler,
      lb: this.lb,
      stack: (ip) => this.stack(ip),
      endpoint,
      node: (name) => this.#nodes.get(name),
      nodeOfIp: (ip) => this.#nodesByIp.get(ip),
      identityOf: (ip, viewer) => this.identityOf(ip, viewer),
      policy: (ep) => hooks.policy(ep),
      // Audit mode is chosen per pod, which the datapath's endpoint view does not name; asked only on a drop.
      auditMode: (ep) => {
        const full = endpoint(ep.ip);
        return full !== undefined && hooks.auditMode(full);
      },
      authMap: (name) => this.authMap(name),
      requestAuth: (name, key) => hooks.requestAuth(name, key),
      ...(hooks.redirect === undefined ? {} : { redirect: hooks.redirect }),
      ...(hooks.observeReply === undefined ? {} : { observeReply: hooks.observeReply }),
    };
    this.datapath = new Datapath(env, emit);
  }

  addNode(node: NodeRef, apiServer: boolean): WorkloadStack {
    this.#nodes.set(node.name, node);
    this.#nodesByIp.set(node.ip, node);
    this.#authMaps.set(node.name, new AuthMap());
    if (apiServer) this.#apiServerNode = node.name;
    const stack = new WorkloadStack(this.datapath, node.ip, 'host', node.name);
    stack.listen('TCP', 10250, genericHttpServer);
    if (apiServer) stack.listen('TCP', 6443, genericHttpServer);
    this.#stacks.set(node.ip, stack);
    return stack;
  }

  node(name: string): NodeRef | undefined {
    return this.#nodes.get(name);
  }

  nodes(): NodeRef[] {
    return [...this.#nodes.values()];
  }

  authMap(nodeName: string): AuthMap {
    const m = this.#authMaps.get(nodeName);
    if (m === undefined) throw new Error(`invariant violated: no auth map for node ${nodeName}`);
    return m;
  }

  /** Adds (or replaces) the stack of a pod IP. */
  addPodStack(ip: string, nodeName: string): WorkloadStack {
    const stack = new WorkloadStack(this.datapath, ip, 'pod', nodeName);
    this.#stacks.set(ip, stack);
    return stack;
  }

  removeStack(ip: string): void {
    if (this.#stacks.get(ip)?.kind === 'pod') this.#stacks.delete(ip);
  }

  /** The stack of `ip`: a pod, a node, or an outside host made on first contact. */
  stack(ip: string): WorkloadStack | undefined {
    const s = this.#stacks.get(ip);
    if (s !== undefined) return s;
    if (isClusterAddress(ip)) return undefined;
    const world = new WorkloadStack(this.datapath, ip, 'world', undefined, worldApp);
    this.#stacks.set(ip, world);
    return world;
  }

  podStack(ip: string): WorkloadStack | undefined {
    const s = this.#stacks.get(ip);
    return s?.kind === 'pod' ? s : undefined;
  }

  /** The identity of `ip` as the agent on `viewer` sees it. */
  identityOf(ip: string, viewer: string | undefined): number {
    const ep = this.#endpoint(ip);
    if (ep !== undefined) return ep.identity;
    const node = this.#nodesByIp.get(ip);
    if (node !== undefined) {
      if (node.name === viewer) return ReservedIdentity.host;
      return node.name === this.#apiServerNode ? ReservedIdentity['kube-apiserver'] : ReservedIdentity['remote-node'];
    }
    return this.#ipcache.identityOf(ip);
  }

  /** A stack for traffic from outside the cluster at `ip`. */
  outside(ip: string): NetStack | undefined {
    return this.stack(ip);
  }
}
