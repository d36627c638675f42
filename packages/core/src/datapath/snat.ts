import { newCtEntry, type CtEntry } from './conntrack.ts';
import type { Packet, Protocol } from './packet.ts';

/**
 * Where a pod's connection to an address outside the cluster leaves the cluster, and as whom:
 * - `masquerade`: through its own node, SNATed to `ip` (the node's address; the pod's own when
 *   the agent does not masquerade);
 * - `gateway`: through an egress gateway node, SNATed to that node's egress IP (Egress Gateway);
 * - `drop`: nowhere; the egress gateway policy matched but has no usable gateway.
 */
export type WorldExit =
  | { readonly kind: 'masquerade'; readonly ip: string }
  | { readonly kind: 'gateway'; readonly ip: string; readonly gatewayNode: string }
  | { readonly kind: 'drop'; readonly reason: 'NO_EGRESS_GATEWAY' | 'DROP_NO_EGRESS_IP'; readonly node: string };

/**
 * One translated connection, as the NAT map of the node that SNATs it holds it: the address and
 * port the outside host sees, the node that did it, and that node's own conntrack entry for the
 * translated tuple (its monitor aggregation is the gateway's, not the source node's).
 */
export interface SnatEntry {
  readonly ip: string;
  readonly port: number;
  /** The node that translated: the gateway for egress gateway traffic, else the pod's own. */
  readonly node: string;
  /** True when an egress gateway translated it (Hubble reports the SNAT of gateway traffic). */
  readonly gateway: boolean;
  /** True when the connection went through an egress gateway on another node (one more hop each way). */
  readonly tunnelled: boolean;
  /** The connection as the pod opened it. */
  readonly original: CtEntry;
  /** The translating node's conntrack entry of the translated tuple. */
  readonly translated: CtEntry;
}

/**
 * The BPF SNAT map of the nodes (Cilium's `cilium_snat_v4_external`), keyed by the reply tuple the
 * outside host answers with. A connection keeps its source port when no other connection to the
 * same peer holds it there, as Cilium's SNAT tries the original port first.
 */
export class SnatTable {
  readonly #byReply = new Map<string, SnatEntry>();
  readonly #byConnection = new Map<CtEntry, SnatEntry>();

  get size(): number {
    return this.#byReply.size;
  }

  /** Translates `ct`'s connection, opened by a pod on `sourceNode`, as `exit` says. */
  open(ct: CtEntry, exit: Exclude<WorldExit, { kind: 'drop' }>, sourceNode: string, nowNs: number): SnatEntry {
    const ip = exit.ip;
    const node = exit.kind === 'gateway' ? exit.gatewayNode : sourceNode;
    let port = ct.sport;
    while (this.#byReply.has(replyKey(ct.proto, ct.dstIp, ct.dport, ip, port))) port = port >= 65535 ? 1024 : port + 1;
    const translated = newCtEntry({ proto: ct.proto, srcIp: ip, sport: port, dstIp: ct.dstIp, dport: ct.dport }, nowNs);
    const entry: SnatEntry = { ip, port, node, gateway: exit.kind === 'gateway', tunnelled: node !== sourceNode, original: ct, translated };
    this.#byReply.set(replyKey(ct.proto, ct.dstIp, ct.dport, ip, port), entry);
    this.#byConnection.set(ct, entry);
    return entry;
  }

  /** The translation of a connection the pod opened, once its first packet left. */
  ofConnection(ct: CtEntry): SnatEntry | undefined {
    return this.#byConnection.get(ct);
  }

  /** The connection a packet from outside answers, if it is a reply to a translated one. */
  reverse(p: Packet): SnatEntry | undefined {
    return this.#byReply.get(replyKey(p.proto, p.srcIp, p.sport, p.dstIp, p.dport));
  }

  /** Forgets translations whose connection conntrack no longer holds (run with conntrack's GC). */
  collect(alive: (ct: CtEntry) => boolean): void {
    for (const [key, entry] of this.#byReply) {
      if (alive(entry.original)) continue;
      this.#byReply.delete(key);
      this.#byConnection.delete(entry.original);
    }
  }
}

/** The packet as the pod sent it, with the translated source. */
export function translatedPacket(p: Packet, nat: SnatEntry): Packet {
  return { ...p, srcIp: nat.ip, sport: nat.port };
}

/** The outside host's answer, addressed back to the pod. */
export function untranslatedPacket(p: Packet, nat: SnatEntry): Packet {
  return { ...p, dstIp: nat.original.srcIp, dport: nat.original.sport };
}

function replyKey(proto: Protocol, remoteIp: string, remotePort: number, ip: string, port: number): string {
  return `${proto} ${remoteIp}:${remotePort} ${ip}:${port}`;
}
