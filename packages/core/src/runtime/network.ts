import type { CtEntry } from '../datapath/conntrack.ts';
import { Datapath, type DatapathEnv, type NodeRef } from '../datapath/datapath.ts';
import type { FlowEmitter } from '../datapath/flowEmitter.ts';
import { LoadBalancer } from '../datapath/loadBalancer.ts';
import type { NetStack } from '../datapath/netStack.ts';
import type { Packet } from '../datapath/packet.ts';
import { isClusterAddress } from '../k8s/ipam.ts';
import { bumpStateRevision } from '../sim/stateRevision.ts';
import type { DirectionSide } from '../policy/direction.ts';
import type { PolicyDecision } from '../policy/policyDecision.ts';
import { worldApp } from '../workload/httpbinApp.ts';
import { genericHttpServer, type ServerApp } from '../workload/serverApp.ts';
import { WorkloadStack } from '../workload/workloadStack.ts';

/** What the nodes' L7 proxy does for the datapath: take over redirected packets, see replies. */
export interface ProxyPort {
  redirect(p: Packet, ct: CtEntry, side: DirectionSide, decision: PolicyDecision, node: string, deliver: (p: Packet) => void): boolean;
  observeReply(p: Packet, ct: CtEntry): void;
}

/** What the datapath reads from the agents (every lookup one map read), and the proxy to build. */
export type NetworkEnv = Omit<DatapathEnv, 'lb' | 'stack' | 'redirect' | 'observeReply'> & {
  readonly emit: FlowEmitter;
  /** Builds the L7 proxy, given how it sends the answers it makes itself (from the packet's source address). */
  proxy(answer: (p: Packet) => void): ProxyPort;
};

/**
 * Everything that carries packets: the stacks of pods, nodes and outside hosts, the load
 * balancer, the L7 proxy, and the datapath that connects them.
 */
export class Network {
  readonly lb = new LoadBalancer();
  readonly datapath: Datapath;
  readonly proxy: ProxyPort;
  readonly #stacks = new Map<string, WorkloadStack>();
  /** The addresses of Gateways and Ingresses, each served by one node's Envoy. */
  readonly #frontends = new Map<string, WorkloadStack>();
  readonly #ingress = new Map<string, WorkloadStack>();

  constructor(env: NetworkEnv) {
    const proxy = env.proxy((p) => this.stack(p.srcIp)?.send(p));
    this.proxy = proxy;
    const datapathEnv: DatapathEnv = {
      scheduler: env.scheduler,
      lb: this.lb,
      stack: (ip) => this.stack(ip),
      endpoint: env.endpoint,
      node: env.node,
      nodeOfIp: env.nodeOfIp,
      identityOf: env.identityOf,
      policy: env.policy,
      auditMode: env.auditMode,
      authMap: env.authMap,
      requestAuth: env.requestAuth,
      ...(env.worldExit === undefined ? {} : { worldExit: env.worldExit }),
      redirect: (p, ct, side, decision, node, deliver) => proxy.redirect(p, ct, side, decision, node, deliver),
      observeReply: (p, ct) => proxy.observeReply(p, ct),
    };
    this.datapath = new Datapath(datapathEnv, env.emit);
  }

  /** The host stack of a node: the kubelet on 10250, the API server on 6443 where it runs. */
  addHostStack(node: NodeRef, apiServer: boolean): WorkloadStack {
    const stack = new WorkloadStack(this.datapath, node.ip, 'host', node.name);
    stack.listen('TCP', 10250, genericHttpServer);
    if (apiServer) stack.listen('TCP', 6443, genericHttpServer);
    this.#setStack(node.ip, stack);
    return stack;
  }

  /**
   * The node's `reserved:ingress` address, the source of Envoy's connections to the backends of
   * Gateways and Ingresses.
   */
  addIngressStack(node: NodeRef, ip: string): WorkloadStack {
    const stack = new WorkloadStack(this.datapath, ip, 'host', node.name);
    this.#setStack(ip, stack);
    this.#ingress.set(node.name, stack);
    return stack;
  }

  ingressStack(node: string): WorkloadStack | undefined {
    return this.#ingress.get(node);
  }

  /** Whether some node's Envoy serves a Gateway or Ingress address. */
  get servesFrontends(): boolean {
    return this.#frontends.size > 0;
  }

  /**
   * Serves each load balancer address from `node`'s Envoy, with one app per listener port;
   * addresses no longer listed stop answering.
   */
  serveFrontends(frontends: readonly { readonly address: string; readonly ports: ReadonlyMap<number, ServerApp> }[], node: string): void {
    const wanted = new Set(frontends.map((f) => f.address));
    for (const ip of this.#frontends.keys()) {
      if (wanted.has(ip)) continue;
      this.#frontends.delete(ip);
      this.#deleteStack(ip);
    }
    for (const f of frontends) {
      const stack = new WorkloadStack(this.datapath, f.address, 'host', node);
      for (const [port, app] of f.ports) stack.listen('TCP', port, app);
      this.#frontends.set(f.address, stack);
      this.#setStack(f.address, stack);
    }
  }

  /** Adds (or replaces) the stack of a pod IP. */
  addPodStack(ip: string, nodeName: string): WorkloadStack {
    const stack = new WorkloadStack(this.datapath, ip, 'pod', nodeName);
    this.#setStack(ip, stack);
    return stack;
  }

  removeStack(ip: string): void {
    if (this.#stacks.get(ip)?.kind === 'pod') this.#deleteStack(ip);
  }

  /** Every change of the stacks is one the datapath's per-connection notes must see. */
  #setStack(ip: string, stack: WorkloadStack): void {
    bumpStateRevision();
    this.#stacks.set(ip, stack);
  }

  #deleteStack(ip: string): void {
    bumpStateRevision();
    this.#stacks.delete(ip);
  }

  /** The stack of `ip`: a pod, a node, or an outside host made on first contact. */
  stack(ip: string): WorkloadStack | undefined {
    const s = this.#stacks.get(ip);
    if (s !== undefined) return s;
    if (isClusterAddress(ip) || isLinkLocal(ip)) return undefined;
    const world = new WorkloadStack(this.datapath, ip, 'world', undefined, worldApp);
    this.#setStack(ip, world);
    return world;
  }

  podStack(ip: string): WorkloadStack | undefined {
    const s = this.#stacks.get(ip);
    return s?.kind === 'pod' ? s : undefined;
  }

  /** A stack for traffic from outside the cluster at `ip`. */
  outside(ip: string): NetStack | undefined {
    return this.stack(ip);
  }
}

/**
 * 169.254.0.0/16 is link-local (RFC 3927): no router forwards it, so nothing beyond a node's own
 * link answers it. Cilium gives it no identity of its own (policy sees `world`, and a policy
 * that denies it drops it), but the simulated cluster, like kind, runs no cloud metadata service
 * at 169.254.169.254: a pod's connection there is never answered and times out.
 */
function isLinkLocal(ip: string): boolean {
  return ip.startsWith('169.254.');
}
