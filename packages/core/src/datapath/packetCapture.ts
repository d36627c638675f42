import { SimError } from '../errors.ts';
import { hash32 } from '../sim/rng.ts';
import type { CtEntry } from './conntrack.ts';
import type { NetStack } from './netStack.ts';
import type { Packet, Protocol, TcpFlags } from './packet.ts';
import { wirePayload } from './wirePayload.ts';

/** The VXLAN port Cilium's tunnel uses (Linux's historical default). */
export const VXLAN_PORT = 8472;

/** Packets one capture keeps before it drops the rest, as a full kernel buffer would. */
export const MAX_CAPTURED_PACKETS = 100_000;

/** The TCP header fields a capture shows. */
export interface CapturedTcp {
  readonly flags: TcpFlags;
  readonly seq: number;
  readonly ack: number;
  /** The window field as sent (scaled by 2^7 after the handshake, as Linux's wscale 7). */
  readonly window: number;
  readonly tsval: number;
  readonly tsecr: number;
}

/** The outer headers of a packet the tunnel carries between nodes (VXLAN over UDP). */
export interface CapturedEncap {
  readonly srcIp: string;
  readonly dstIp: string;
  readonly sport: number;
  readonly dport: number;
  /** The VXLAN network identifier: the source's security identity, as Cilium sets it. */
  readonly vni: number;
}

/**
 * One packet as a capture on a node saw it crossing one of the node's interfaces: when, where,
 * which way, its headers, and the bytes it carried. Addresses and ports are the ones on that
 * interface (a pod's packet leaves the node masqueraded to the node's address; the TLS leg of the
 * SPIFFE upgrade runs on its own port).
 */
export interface CapturedPacket {
  /** Virtual nanoseconds since the cluster started. */
  readonly timeNs: number;
  /** Microseconds since the Unix epoch, as a capture file stamps packets. */
  readonly epochUs: number;
  readonly node: string;
  /** `lxc...` (a pod's veth), `cilium_vxlan` (the tunnel), `eth0` (the node's link). */
  readonly iface: string;
  readonly ifindex: number;
  /** `In`: the node received it on the interface; `Out`: the node sent it. */
  readonly direction: 'In' | 'Out';
  readonly proto: Protocol;
  readonly srcIp: string;
  readonly dstIp: string;
  readonly sport: number;
  readonly dport: number;
  readonly tcp: CapturedTcp | undefined;
  /** The IPv4 identification field. */
  readonly ipId: number;
  /** The application's bytes (TLS records on the upgraded leg). */
  readonly payload: Uint8Array;
  /** Set on the node's link when the packet travels inside the tunnel. */
  readonly encap: CapturedEncap | undefined;
}

/** What the captures read from the rest of the cluster. */
export interface CaptureEnv {
  nowNs(): number;
  readonly startMs: number;
  nodeIp(node: string): string | undefined;
  endpointId(ip: string): number | undefined;
  identityOf(ip: string, viewerNode: string | undefined): number;
}

/** A running capture on one node (`tcpdump -i any`): the packets it saw, until it stops. */
export interface PacketCapture {
  readonly node: string;
  /** The packets captured since the last `take`, oldest first. */
  take(): CapturedPacket[];
  /** Every packet captured so far. */
  packets(): readonly CapturedPacket[];
  /** Packets a full buffer could not keep. */
  readonly dropped: number;
  readonly stopped: boolean;
  stop(): void;
}

class NodeCapture implements PacketCapture {
  readonly node: string;
  readonly #filter: ((c: CapturedPacket) => boolean) | undefined;
  readonly #all: CapturedPacket[] = [];
  #taken = 0;
  dropped = 0;
  stopped = false;
  readonly #onStop: () => void;

  constructor(node: string, filter: ((c: CapturedPacket) => boolean) | undefined, onStop: () => void) {
    this.node = node;
    this.#filter = filter;
    this.#onStop = onStop;
  }

  offer(c: CapturedPacket): void {
    if (this.#filter !== undefined && !this.#filter(c)) return;
    if (this.#all.length >= MAX_CAPTURED_PACKETS) this.dropped++;
    else this.#all.push(c);
  }

  take(): CapturedPacket[] {
    const out = this.#all.slice(this.#taken);
    this.#taken = this.#all.length;
    return out;
  }

  packets(): readonly CapturedPacket[] {
    return this.#all;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.#onStop();
  }
}

/**
 * The datapath's capture hook: copies each packet crossing a node's interfaces to the captures
 * running on that node. The datapath asks `running` first, so while no capture runs a packet
 * costs one property read.
 *
 * Where a packet is seen, on the nodes it crosses (tunnel routing, as the labs install Cilium):
 * - leaving a pod: on the pod's veth, `In` (before egress policy, so a dropped SYN shows);
 * - between nodes: on the sender `cilium_vxlan Out` and `eth0 Out` (the VXLAN packet), on the
 *   receiver `eth0 In` and `cilium_vxlan In`; traffic between two nodes' own addresses needs no
 *   tunnel and shows on `eth0` only;
 * - to or from outside the cluster: on `eth0`, a pod's address masqueraded to the node's;
 * - delivered to a pod: on its veth, `Out`.
 */
export class PacketCaptures {
  readonly #env: CaptureEnv;
  readonly #byNode = new Map<string, NodeCapture[]>();
  #running = 0;

  constructor(env: CaptureEnv) {
    this.#env = env;
  }

  get running(): boolean {
    return this.#running > 0;
  }

  /** Starts a capture on `node`; `filter` keeps only the packets it accepts (tcpdump's expression). */
  open(node: string, filter?: (c: CapturedPacket) => boolean): PacketCapture {
    if (this.#env.nodeIp(node) === undefined)
      throw new SimError({ code: 'NOT_FOUND', ref: { kind: 'Node', name: node }, message: 'not found' });
    const capture: NodeCapture = new NodeCapture(node, filter, () => {
      const left = (this.#byNode.get(node) ?? []).filter((c) => c !== capture);
      if (left.length === 0) this.#byNode.delete(node);
      else this.#byNode.set(node, left);
      this.#running--;
    });
    this.#byNode.set(node, [...(this.#byNode.get(node) ?? []), capture]);
    this.#running++;
    return capture;
  }

  /** A pod sent `p`: its veth received it. */
  sent(from: NetStack, p: Packet): void {
    if (from.kind === 'pod' && from.nodeName !== undefined) this.#lxc(from.nodeName, from.ip, 'In', p);
  }

  /** `p` leaves `from`'s node towards `to` (after egress policy and the egress proxy). */
  leaving(from: NetStack, to: NetStack, p: Packet, ct: CtEntry, isReply: boolean): void {
    const node = from.nodeName;
    if (node === undefined || !this.#byNode.has(node) || node === to.nodeName) return;
    const wire = onWire(p, ct, isReply);
    if (to.nodeName === undefined) this.#link(node, 'Out', this.#masqueraded(wire, node, 'src'));
    else if (from.kind === 'pod' || to.kind === 'pod') this.#tunnel(node, 'Out', wire, node, to.nodeName);
    else this.#link(node, 'Out', wire);
  }

  /** `p` from `from` reaches `to`'s node (before ingress policy). */
  arriving(from: NetStack, to: NetStack, p: Packet, ct: CtEntry, isReply: boolean): void {
    const node = to.nodeName;
    if (node === undefined || !this.#byNode.has(node) || node === from.nodeName) return;
    const wire = onWire(p, ct, isReply);
    if (from.nodeName === undefined) this.#link(node, 'In', this.#masqueraded(wire, node, 'dst'));
    else if (from.kind === 'pod' || to.kind === 'pod') this.#tunnel(node, 'In', wire, from.nodeName, node);
    else this.#link(node, 'In', wire);
  }

  /** `p` is handed to the pod at `to`: its veth sent it. */
  delivered(to: NetStack, p: Packet): void {
    if (to.kind === 'pod' && to.nodeName !== undefined) this.#lxc(to.nodeName, to.ip, 'Out', p);
  }

  #lxc(node: string, podIp: string, direction: 'In' | 'Out', p: Packet): void {
    const captures = this.#byNode.get(node);
    if (captures === undefined) return;
    const id = this.#env.endpointId(podIp) ?? 0;
    const name = vethName(node, podIp, id);
    this.#offer(captures, this.#record(node, name, 10 + 2 * (hash32(name) % 500), direction, p, false));
  }

  #link(node: string, direction: 'In' | 'Out', w: Wire): void {
    const captures = this.#byNode.get(node);
    if (captures === undefined) return;
    this.#offer(captures, this.#record(node, 'eth0', ETH0_IFINDEX, direction, w.p, w.tls));
  }

  #tunnel(node: string, direction: 'In' | 'Out', w: Wire, fromNode: string, toNode: string): void {
    const captures = this.#byNode.get(node);
    if (captures === undefined) return;
    const inner = this.#record(node, 'cilium_vxlan', VXLAN_IFINDEX, direction, w.p, w.tls);
    const encap: CapturedEncap = {
      srcIp: this.#env.nodeIp(fromNode) ?? '',
      dstIp: this.#env.nodeIp(toNode) ?? '',
      // Linux picks the outer source port from a hash of the inner flow, so a flow keeps one.
      sport: 32768 + (hash32(`${w.p.srcIp}:${w.p.sport}>${w.p.dstIp}:${w.p.dport}`) % 28232),
      dport: VXLAN_PORT,
      vni: this.#env.identityOf(w.p.srcIp, fromNode),
    };
    // The node's link carries the VXLAN packet: the inner packet is its payload.
    const outer: CapturedPacket = Object.freeze({ ...inner, iface: 'eth0', ifindex: ETH0_IFINDEX, encap });
    if (direction === 'Out') this.#offer(captures, inner, outer);
    else this.#offer(captures, outer, inner);
  }

  #offer(captures: readonly NodeCapture[], ...records: CapturedPacket[]): void {
    for (const r of records) for (const c of captures) c.offer(r);
  }

  #record(node: string, iface: string, ifindex: number, direction: 'In' | 'Out', p: Packet, tls: boolean): CapturedPacket {
    const nowNs = this.#env.nowNs();
    return Object.freeze({
      timeNs: nowNs,
      epochUs: this.#env.startMs * 1000 + Math.floor(nowNs / 1000),
      node,
      iface,
      ifindex,
      direction,
      proto: p.proto,
      srcIp: p.srcIp,
      dstIp: p.dstIp,
      sport: p.sport,
      dport: p.dport,
      tcp: p.proto === 'TCP' ? tcpHeader(p) : undefined,
      ipId: hash32(`${p.srcIp}>${p.dstIp}/${p.seq ?? p.sport}/${p.ack ?? 0}`) & 0xffff,
      payload: p.payload === undefined ? EMPTY : wirePayload(p.payload, tls),
      encap: undefined,
    });
  }

  /** A pod's address as it leaves (`src`) or comes back (`dst`) through the node: the node's own. */
  #masqueraded(w: Wire, node: string, side: 'src' | 'dst'): Wire {
    const ip = this.#env.nodeIp(node) ?? '';
    const p = w.p;
    const isPod = (addr: string): boolean => this.#env.endpointId(addr) !== undefined;
    if (side === 'src' && isPod(p.srcIp)) return { ...w, p: { ...p, srcIp: ip } };
    if (side === 'dst' && isPod(p.dstIp)) return { ...w, p: { ...p, dstIp: ip } };
    return w;
  }
}

const EMPTY = new Uint8Array(0);
const ETH0_IFINDEX = 9;
const VXLAN_IFINDEX = 4;

/** A packet as it crosses between the nodes, and whether it is inside TLS there. */
interface Wire {
  readonly p: Packet;
  readonly tls: boolean;
}

/** Between the nodes a connection the proxies upgraded runs on its TLS port, both ways. */
function onWire(p: Packet, ct: CtEntry, isReply: boolean): Wire {
  const port = ct.tlsPort;
  if (port === undefined) return { p, tls: false };
  const tls = p.payload !== undefined;
  if (isReply) return { p: p.sport === port ? p : { ...p, sport: port }, tls };
  return { p, tls: tls && p.dport === port };
}

/**
 * The window Linux advertises: unscaled on the handshake (64240 for the client's SYN, 65160 for
 * the SYN-ACK), then in units of 128 (wscale 7): 502 from the client (its ephemeral port is the
 * higher one), 509 from the server.
 */
function tcpHeader(p: Packet): CapturedTcp {
  const f = p.flags;
  const window = f.RST === true ? 0 : f.SYN === true ? (f.ACK === true ? 65160 : 64240) : p.sport > p.dport ? 502 : 509;
  return { flags: f, seq: p.seq ?? 0, ack: p.ack ?? 0, window, tsval: p.tsval ?? 0, tsecr: p.tsecr ?? 0 };
}

/** The host side of a pod's veth as Cilium names it: `lxc` and 12 hex digits. */
function vethName(node: string, podIp: string, endpointId: number): string {
  const a = hash32(`${node}/${podIp}/${endpointId}`).toString(16).padStart(8, '0');
  const b = hash32(`${endpointId}/${podIp}`).toString(16).padStart(8, '0');
  return `lxc${a}${b.slice(0, 4)}`;
}
