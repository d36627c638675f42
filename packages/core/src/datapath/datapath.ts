import { isReservedIdentity } from '../identity/reserved.ts';
import type { ScheduledEvent, Scheduler } from '../sim/scheduler.ts';
import { stateRevision } from '../sim/stateRevision.ts';
import type { AuthKey, AuthMap } from './authMap.ts';
import { CtTupleTable, portsKey } from './ctTupleTable.ts';
import { Conntrack, newCtEntry, type CtEntry, type CtFrontend } from './conntrack.ts';
import type { NetStack } from './netStack.ts';
import { FLAG_BITS, tcpFlagBits, type Packet, type Protocol } from './packet.ts';
import type { Frontend, LoadBalancer } from './loadBalancer.ts';
import { AUTH_TYPE } from '../policy/authType.ts';
import { directionSide, type Direction, type DirectionSide } from '../policy/direction.ts';
import { ALLOW_UNENFORCED, type EndpointPolicyView, type PolicyDecision } from '../policy/policyDecision.ts';
import { PROTOCOL_NUMBERS } from '../policy/u8proto.ts';
import type { FlowEmitter } from './flowEmitter.ts';
import { policyDropReason } from './dropReason.ts';
import type { LxcEndpoint } from './lxcEndpoint.ts';
import { DEFAULT_MONITOR_AGGREGATION, reportTrace, type MonitorAggregation } from './monitorAggregation.ts';
import { PacketCaptures } from './packetCapture.ts';
import { SnatTable, translatedPacket, untranslatedPacket, type SnatEntry, type WorldExit } from './snat.ts';

/** How often conntrack GC runs (virtual time). */
const CT_GC_INTERVAL_NS = 60_000_000_000;

/** The flags that close a connection. */
const CLOSING = FLAG_BITS.FIN | FLAG_BITS.RST;

/** One-way latencies on the virtual wire, fixed so flows are reproducible. */
export const LATENCY_NS = { loopback: 10_000, sameNode: 40_000, crossNode: 250_000, world: 5_000_000 } as const;

export interface NodeRef {
  readonly name: string;
  readonly ip: string;
  /** Cilium's node ID, the auth map's remote_node_id. */
  readonly id: number;
}

/** What the datapath reads from the rest of the cluster; all lookups are O(1) map reads. */
export interface DatapathEnv {
  readonly scheduler: Scheduler;
  readonly lb: LoadBalancer;
  stack(ip: string): NetStack | undefined;
  endpoint(ip: string): LxcEndpoint | undefined;
  node(name: string): NodeRef | undefined;
  nodeOfIp(ip: string): NodeRef | undefined;
  /** The identity of `ip` as seen from `viewerNode` (host vs remote-node differ by viewer). */
  identityOf(ip: string, viewerNode: string | undefined): number;
  policy(ep: LxcEndpoint): EndpointPolicyView;
  auditMode(ep: LxcEndpoint): boolean;
  authMap(nodeName: string): AuthMap;
  requestAuth(nodeName: string, key: AuthKey): void;
  /** L7 proxy hook: returns true when it took over the packet. */
  redirect?(p: Packet, ct: CtEntry, side: DirectionSide, decision: PolicyDecision, node: string, deliver: (p: Packet) => void): boolean;
  /** Lets the proxy see replies on connections it proxies (responses, DNS answers). */
  observeReply?(p: Packet, ct: CtEntry): void;
  /**
   * How a pod's connection to an outside address leaves the cluster (masquerade, egress
   * gateway); asked once per connection. Without it, packets leave with the pod's address.
   */
  worldExit?(srcIp: string, node: string, dstIp: string): WorldExit;
}

/**
 * The per-packet path: source endpoint egress policy -> the wire -> destination endpoint
 * ingress policy -> delivery. Service translation happened at connect() (socket LB), so
 * packets carry backend addresses. Conntrack makes replies skip policy; only the first packet
 * of a connection on each side yields a policy-verdict event. No rule iteration here: each
 * decision is one policy-map lookup.
 */
export class Datapath {
  readonly env: DatapathEnv;
  readonly conntrack = new Conntrack();
  /** The nodes' SNAT maps: connections to the world, translated. */
  readonly snat = new SnatTable();
  readonly emit: FlowEmitter;
  /** Packets sent through `send`, for the benchmark. */
  packets = 0;
  /** Which delivered packets become trace events (the agent's `monitor-aggregation`). */
  readonly monitor: MonitorAggregation = { ...DEFAULT_MONITOR_AGGREGATION };
  /**
   * Translated tuples -> the service frontend the client addressed, until conntrack takes it;
   * keyed by the tuple as conntrack is, in a flat table that noting and taking a frontend allocate nothing in.
   */
  readonly #frontends = new CtTupleTable<CtFrontend>();
  /**
   * The frontend noted last, in front of the table: a socket's first packet follows its connect()
   * at once, so the table is used only when connects overlap. Its tuple, and undefined: none.
   */
  #noted: CtFrontend | undefined = undefined;
  #notedProto: Protocol = 'TCP';
  #notedSrc = '';
  #notedDst = '';
  #notedPorts = 0;
  /** Packet captures running on the nodes (tcpdump); the stages below copy packets to them. */
  readonly captures: PacketCaptures;
  /** Packet events that have run, for the next packets to reuse. */
  readonly #idle: PacketInFlight[] = [];

  constructor(env: DatapathEnv, emit: FlowEmitter) {
    this.env = env;
    this.emit = emit;
    this.captures = new PacketCaptures({
      nowNs: () => env.scheduler.clock.nowNs,
      startMs: env.scheduler.clock.startMs,
      nodeIp: (name) => env.node(name)?.ip,
      endpointId: (ip) => env.endpoint(ip)?.id,
      identityOf: (ip, viewer) => env.identityOf(ip, viewer),
    });
    this.#scheduleConntrackGc();
  }

  /** Conntrack GC, on a background timer so long simulations keep only live connections. */
  #scheduleConntrackGc(): void {
    this.env.scheduler.after(
      CT_GC_INTERVAL_NS,
      'conntrack-gc',
      () => {
        this.conntrack.collect(this.env.scheduler.clock.nowNs);
        this.snat.collect((ct) => this.conntrack.has(ct));
        this.#scheduleConntrackGc();
      },
      { background: true },
    );
  }

  /** Sends `sent` from `from`; delivery happens later on the virtual clock, or never (a drop). */
  send(from: NetStack, sent: Packet): void {
    this.packets++;
    // A packet to the sender's own address or to 127.0.0.0/8 never leaves its network namespace
    // (the kernel routes it over lo), so Cilium's programs on the veth never see it: no policy, no
    // conntrack, no flow.
    if (sent.dstIp === from.ip || isLoopbackIp(sent.dstIp)) {
      this.#loopback(from, sent);
      return;
    }
    // An outside host's answer to a translated connection: the SNATing node reverses it.
    const nat = from.kind === 'world' && this.snat.size > 0 ? this.snat.reverse(sent) : undefined;
    const p = nat === undefined ? sent : untranslatedPacket(sent, nat);
    if (this.captures.running) this.captures.sent(from, p);
    const found = this.conntrack.find(p);
    const bits = tcpFlagBits(p.flags);
    if (found !== undefined && this.conntrack.foundReply) {
      const ct = found;
      this.conntrack.seen(ct, this.env.scheduler.clock.nowNs, (bits & CLOSING) !== 0);
      if (ct.ingress?.l7 !== undefined || ct.egress?.l7 !== undefined) this.env.observeReply?.(p, ct);
      this.#transit(from, p, ct, true, nat?.tunnelled === true ? LATENCY_NS.crossNode : 0);
      return;
    }
    let ct = found;
    // A fresh SYN on a tuple whose old connection was answered starts a new connection.
    const reopened = ct?.established && (bits & (FLAG_BITS.SYN | FLAG_BITS.ACK)) === FLAG_BITS.SYN;
    // The frontend connect() noted for this tuple: a new entry keeps it; a live entry the packet
    // found (a query reusing a port) has its own, and the note goes, or a later connection on
    // the tuple would be told of a service it never addressed.
    const frontend =
      this.#noted === undefined && this.#frontends.size === 0 ? undefined : this.#takeFrontend(p.proto, p.srcIp, p.sport, p.dstIp, p.dport);
    if (ct === undefined || reopened) {
      if (ct !== undefined) this.conntrack.delete(ct);
      ct = this.conntrack.create(newCtEntry(p, this.env.scheduler.clock.nowNs, frontend));
    }
    this.conntrack.seen(ct, this.env.scheduler.clock.nowNs, (bits & CLOSING) !== 0);
    const revision = stateRevision();
    if (ct.egressPassed !== revision) {
      const srcEp = from.kind === 'pod' ? this.env.endpoint(p.srcIp) : undefined;
      if (srcEp !== undefined) {
        const decision = this.#enforce(srcEp, 'EGRESS', p, ct, p.dstIp);
        if (decision === undefined) return;
        ct.egressNode = srcEp.nodeName;
        if (decision.l7 !== undefined && this.#redirectEgress(from, p, ct, decision, srcEp.nodeName)) return;
        if (settled(ct.egress, decision)) ct.egressPassed = revision;
      } else ct.egressPassed = revision;
    }
    this.#transit(from, p, ct, false);
  }

  /** Apart from `send`, whose variables would otherwise all live in a context per packet. */
  #loopback(from: NetStack, sent: Packet): void {
    this.env.scheduler.after(LATENCY_NS.loopback, 'packet', () => from.receive(sent));
  }

  /**
   * Socket-level service translation at connect(), as Cilium's socket LB does: a ClusterIP:port
   * becomes one backend for the whole connection. Returns the address to use, or undefined when
   * the service has no backend (connect() then fails with ECONNREFUSED).
   */
  translate(
    srcIp: string,
    sport: number,
    dstIp: string,
    dport: number,
    proto: Protocol,
    pick: (n: number) => number,
  ): { ip: string; port: number } | undefined {
    const fe = this.env.lb.lookup(dstIp, dport, proto);
    if (fe === undefined) return { ip: dstIp, port: dport };
    if (fe.backends.length === 0) return undefined;
    const be = fe.backends[pick(fe.backends.length)]!;
    this.#note(proto, srcIp, be.ip, portsKey(sport, be.port), ctFrontend(fe));
    return be;
  }

  /** Notes `fe` for a tuple, moving the one noted before it (another tuple's) to the table. */
  #note(proto: Protocol, srcIp: string, dstIp: string, ports: number, fe: CtFrontend): void {
    const noted = this.#noted;
    if (noted !== undefined && !this.#isNoted(proto, srcIp, dstIp, ports))
      this.#frontends.set(this.#notedProto, this.#notedSrc, this.#notedDst, this.#notedPorts, noted);
    this.#noted = fe;
    this.#notedProto = proto;
    this.#notedSrc = srcIp;
    this.#notedDst = dstIp;
    this.#notedPorts = ports;
  }

  #isNoted(proto: Protocol, srcIp: string, dstIp: string, ports: number): boolean {
    return this.#notedPorts === ports && this.#notedProto === proto && this.#notedSrc === srcIp && this.#notedDst === dstIp;
  }

  /**
   * The frontend `translate` noted for this tuple, removed: conntrack keeps it from now on. The
   * one noted last is the tuple's latest; the table may still hold an older one, which goes too.
   */
  #takeFrontend(proto: Protocol, srcIp: string, sport: number, dstIp: string, dport: number): CtFrontend | undefined {
    const key = portsKey(sport, dport);
    let fe: CtFrontend | undefined;
    if (this.#noted !== undefined && this.#isNoted(proto, srcIp, dstIp, key)) {
      fe = this.#noted;
      this.#noted = undefined;
      this.#notedSrc = '';
      this.#notedDst = '';
    }
    if (this.#frontends.size === 0) return fe;
    const older = this.#frontends.take(proto, srcIp, dstIp, key);
    return fe ?? older;
  }

  #transit(from: NetStack, p: Packet, ct: CtEntry, isReply: boolean, extraNs = 0): void {
    const dst = this.#stackOf(p.dstIp, ct, isReply);
    if (dst === undefined) return;
    if (this.captures.running) this.captures.leaving(from, dst, p, ct, isReply);
    if (dst.kind === 'world' && from.kind === 'pod' && !isReply) {
      this.#toWorld(from, dst, p, ct);
      return;
    }
    const latency =
      from.nodeName === undefined || dst.nodeName === undefined
        ? LATENCY_NS.world
        : from.nodeName === dst.nodeName
          ? LATENCY_NS.sameNode
          : LATENCY_NS.crossNode;
    this.#fly(latency + extraNs, from, dst, p, ct, isReply);
  }

  /** The stack a packet of `ct` goes to, noted on the entry while the state revision holds. */
  #stackOf(ip: string, ct: CtEntry, isReply: boolean): NetStack | undefined {
    const revision = stateRevision();
    if (ct.stacksRevision === revision) {
      const noted = isReply ? ct.clientStack : ct.serverStack;
      if (noted !== undefined && noted.ip === ip) return noted;
    } else {
      ct.stacksRevision = revision;
      ct.serverStack = undefined;
      ct.clientStack = undefined;
    }
    const found = this.env.stack(ip);
    if (isReply) ct.clientStack = found;
    else ct.serverStack = found;
    return found;
  }

  /** Puts a packet on the wire for `delayNs`: a pooled event, no closure per packet. */
  #fly(delayNs: number, from: NetStack, dst: NetStack, p: Packet, ct: CtEntry, isReply: boolean): void {
    const scheduler = this.env.scheduler;
    const f = this.#idle.pop() ?? new PacketInFlight(scheduler, this.#land);
    f.from = from;
    f.dst = dst;
    f.p = p;
    f.ct = ct;
    f.isReply = isReply;
    scheduler.enqueue(f.event, delayNs);
  }

  /** A packet's event came due: the event goes back to the pool before the packet arrives. */
  readonly #land = (f: PacketInFlight): void => {
    const { from, dst, p, ct, isReply } = f;
    f.p = undefined;
    f.ct = undefined;
    this.#idle.push(f);
    this.#arrive(from!, dst!, p!, ct!, isReply);
  };

  /**
   * A pod's packet leaving the cluster: translated as its connection's first packet decided
   * (masquerade to the node, or an egress gateway's SNAT), or dropped when the egress gateway
   * policy that matched has no usable gateway. Traffic through a gateway on another node is
   * tunnelled there first (a `to-overlay` trace on the pod's node) and leaves the gateway with
   * its egress IP (`to-network`, the pod's address in `IP.source`, the egress IP in
   * `IP.source_xlated`, as Hubble's parser reports an SNATed trace).
   */
  #toWorld(from: NetStack, dst: NetStack, p: Packet, ct: CtEntry): void {
    const node = from.nodeName!;
    let nat = this.snat.ofConnection(ct);
    if (nat === undefined) {
      const exit = this.env.worldExit?.(p.srcIp, node, p.dstIp);
      if (exit?.kind === 'drop') {
        this.emit.drop(p, 'EGRESS', exit.reason, exit.node, ALLOW_UNENFORCED);
        return;
      }
      if (exit === undefined || (exit.kind === 'masquerade' && exit.ip === p.srcIp)) {
        this.#fly(LATENCY_NS.world, from, dst, p, ct, false);
        return;
      }
      nat = this.snat.open(ct, exit, node, this.env.scheduler.clock.nowNs);
    }
    this.#leaveThrough(from, dst, p, ct, nat);
  }

  #leaveThrough(from: NetStack, dst: NetStack, p: Packet, ct: CtEntry, nat: SnatEntry): void {
    const now = this.env.scheduler.clock.nowNs;
    if (nat.tunnelled && reportTrace(ct, p.flags, false, now, this.monitor)) this.emit.trace(p, 'TO_OVERLAY', false, ct, from.nodeName);
    if (nat.gateway && reportTrace(nat.translated, p.flags, false, now, this.monitor))
      this.emit.trace(p, 'TO_NETWORK', false, ct, nat.node, nat.ip);
    const out = translatedPacket(p, nat);
    const latency = LATENCY_NS.world + (nat.tunnelled ? LATENCY_NS.crossNode : 0);
    this.#fly(latency, from, dst, out, ct, false);
  }

  #arrive(from: NetStack, dst: NetStack, p: Packet, ct: CtEntry, isReply: boolean): void {
    if (this.captures.running) this.captures.arriving(from, dst, p, ct, isReply);
    const revision = stateRevision();
    if (!isReply && ct.ingressPassed !== revision) {
      const dstEp = dst.kind === 'pod' ? this.env.endpoint(p.dstIp) : undefined;
      if (dstEp !== undefined) {
        const decision = this.#enforce(dstEp, 'INGRESS', p, ct, p.srcIp, from.nodeName);
        if (decision === undefined) return;
        if (decision.l7 !== undefined && this.#redirectIngress(dst, p, ct, decision, dstEp.nodeName)) return;
        if (settled(ct.ingress, decision)) ct.ingressPassed = revision;
      } else ct.ingressPassed = revision;
    }
    this.#deliver(dst, p, ct, isReply);
  }

  /*
   * The proxy redirects build their continuation here, not in `send` and `#arrive`: a closure
   * there would make V8 allocate a context for every packet, redirected or not.
   */
  #redirectEgress(from: NetStack, p: Packet, ct: CtEntry, decision: PolicyDecision, node: string): boolean {
    return this.env.redirect?.(p, ct, 'egress', decision, node, (q) => this.#transit(from, q, ct, false)) === true;
  }

  #redirectIngress(dst: NetStack, p: Packet, ct: CtEntry, decision: PolicyDecision, node: string): boolean {
    return this.env.redirect?.(p, ct, 'ingress', decision, node, (q) => this.#deliver(dst, q, ct, false)) === true;
  }

  #deliver(dst: NetStack, p: Packet, ct: CtEntry, isReply: boolean): void {
    if (dst.kind === 'pod' && reportTrace(ct, p.flags, isReply, this.env.scheduler.clock.nowNs, this.monitor))
      this.emit.trace(p, 'TO_ENDPOINT', isReply, ct, dst.nodeName);
    if (isReply) this.conntrack.established(ct);
    if (this.captures.running) this.captures.delivered(dst, p);
    dst.receive(p);
  }

  /**
   * Looks the packet up in `ep`'s policy map for one direction, for the identity of `remoteIp` as
   * `ep`'s node sees it (worked out only when the endpoint enforces policy). Returns the decision
   * when the packet may pass, undefined when it was dropped (the flows are emitted here).
   */
  #enforce(ep: LxcEndpoint, dir: Direction, p: Packet, ct: CtEntry, remoteIp: string, remoteNode?: string): PolicyDecision | undefined {
    const side = directionSide(dir);
    const isNew = ct[side] === undefined;
    const view = this.env.policy(ep);
    const enforced = dir === 'INGRESS' ? view.ingressEnforced : view.egressEnforced;
    if (!enforced) {
      if (isNew) ct[side] = ALLOW_UNENFORCED;
      return ALLOW_UNENFORCED;
    }
    const remote = this.env.identityOf(remoteIp, ep.nodeName);
    const decision = view.lookup(remote, dir, PROTOCOL_NUMBERS[p.proto], p.dport);
    if (!decision.allowed) {
      if (this.env.auditMode(ep)) {
        if (isNew) this.emit.policyVerdict(p, dir, decision, 'AUDIT', ep.nodeName);
        ct[side] = decision;
        return { ...decision, allowed: true };
      }
      this.emit.policyVerdict(p, dir, decision, 'DROPPED', ep.nodeName);
      this.emit.drop(p, dir, policyDropReason(decision), ep.nodeName, decision);
      return undefined;
    }
    if (decision.authType !== AUTH_TYPE.disabled && !this.#authenticated(ep, remote, remoteIp, remoteNode, decision, p, dir))
      return undefined;
    if (isNew) {
      this.emit.policyVerdict(p, dir, decision, 'FORWARDED', ep.nodeName);
      ct[side] = decision;
    }
    return decision;
  }

  /**
   * Mutual authentication on the enforcing node: a packet between two workload identities
   * needs an unexpired auth-map entry; without one it is dropped and the agent is signalled.
   */
  #authenticated(
    ep: LxcEndpoint,
    remote: number,
    remoteIp: string,
    remoteNode: string | undefined,
    decision: PolicyDecision,
    p: Packet,
    dir: Direction,
  ): boolean {
    const peerNode = remoteNode ?? this.env.endpoint(remoteIp)?.nodeName;
    const remoteNodeID = peerNode === undefined || peerNode === ep.nodeName ? 0 : (this.env.node(peerNode)?.id ?? 0);
    const key: AuthKey = { localIdentity: ep.identity, remoteIdentity: remote, remoteNodeID, authType: decision.authType };
    const now = this.env.scheduler.clock.nowNs;
    if (!isReservedIdentity(remote) && this.env.authMap(ep.nodeName).valid(key, now)) return true;
    this.emit.policyVerdict(p, dir, { ...decision, allowed: false }, 'DROPPED', ep.nodeName);
    this.emit.drop(p, dir, 'AUTH_REQUIRED', ep.nodeName, decision);
    this.env.requestAuth(ep.nodeName, key);
    return false;
  }
}

/**
 * The service address conntrack keeps for a connection, one per load-balancer frontend: every
 * connection to a service shares it (the frontend's fields never change).
 */
function ctFrontend(fe: Frontend): CtFrontend {
  let ct = CT_FRONTENDS.get(fe);
  if (ct === undefined) CT_FRONTENDS.set(fe, (ct = Object.freeze({ ip: fe.ip, port: fe.port, namespace: fe.namespace, name: fe.name })));
  return ct;
}

const CT_FRONTENDS = new WeakMap<Frontend, CtFrontend>();

/**
 * Whether a packet that passed with `decision` leaves its connection's next packets nothing to
 * check while the state stays as it is: the verdict is the one the connection holds (not an
 * audited drop, not a verdict that changed since the connection opened), and it asks neither the
 * proxy nor an authentication, which are per packet.
 */
function settled(held: PolicyDecision | undefined, decision: PolicyDecision): boolean {
  // An endpoint without enforcement (the most common verdict) is settled without reading fields
  // that the policy map's own decisions, of another shape, share.
  if (held !== decision) return false;
  return decision === ALLOW_UNENFORCED || (decision.allowed && decision.l7 === undefined && decision.authType === AUTH_TYPE.disabled);
}

/** Whether `ip` is in 127.0.0.0/8; the fourth character first, which is a digit in the pod networks' `10.x`. */
function isLoopbackIp(ip: string): boolean {
  return ip.charCodeAt(3) === 46 /* . */ && ip.startsWith('127.');
}

/** A packet on the wire, with the reusable event that lands it: the datapath pools them. */
class PacketInFlight {
  from: NetStack | undefined = undefined;
  dst: NetStack | undefined = undefined;
  p: Packet | undefined = undefined;
  ct: CtEntry | undefined = undefined;
  isReply = false;
  readonly event: ScheduledEvent;

  constructor(scheduler: Scheduler, land: (inFlight: PacketInFlight) => void) {
    this.event = scheduler.reusable('packet', () => land(this));
  }
}

/** Ports and protocol as one number: 16 bits each, times the protocol number (below 256). */
