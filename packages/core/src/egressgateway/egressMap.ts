import { ipToInt, networkOf } from '../ipv4.ts';
import type { Ipv4Prefix } from './egressGatewayPolicy.ts';

/** The gateway address the map holds when no node matches the policy's node selector. */
export const GATEWAY_NOT_FOUND = '0.0.0.0';
/** The gateway address of an excluded CIDR's entry: traffic to it leaves as if no policy matched. */
export const EXCLUDED_CIDR = '0.0.0.1';

/** One entry of the egress policy map: (source IP, destination prefix) -> (egress IP, gateway IP). */
export interface EgressMapEntry {
  readonly sourceIp: string;
  readonly destination: Ipv4Prefix;
  /** The gateway node's InternalIP, GATEWAY_NOT_FOUND or EXCLUDED_CIDR. */
  readonly gatewayIp: string;
  readonly gatewayNode: string | undefined;
  /** The address the gateway SNATs to, as the gateway itself programs it ('0.0.0.0' when it could not derive one). */
  readonly egressIp: string;
}

/** One entry as `cilium-dbg bpf egress list` reads it from a node's map. */
export interface EgressMapRow {
  readonly sourceIp: string;
  readonly destinationCidr: string;
  /** `0.0.0.0` on every node but the gateway. */
  readonly egressIp: string;
  /** The gateway node's InternalIP; `0.0.0.0` when no node matched, `0.0.0.1` for an excluded CIDR. */
  readonly gatewayIp: string;
}

/**
 * The BPF egress policy map (`cilium_egress_gw_policy_v4`), an LPM trie keyed by source IP and
 * destination prefix: a lookup takes the longest destination prefix among the source's entries,
 * so an excluded CIDR inside a destination CIDR wins. Every node holds the same entries; only
 * the gateway node's carry the egress IP (`entriesOn`).
 */
export class EgressMap {
  #bySource = new Map<string, readonly EgressMapEntry[]>();
  #entries: readonly EgressMapEntry[] = [];

  get size(): number {
    return this.#entries.length;
  }

  /** Replaces every entry (the manager's reconciliation writes the whole desired state). */
  replace(entries: readonly EgressMapEntry[]): void {
    const bySource = new Map<string, EgressMapEntry[]>();
    for (const e of entries) {
      const list = bySource.get(e.sourceIp);
      if (list === undefined) bySource.set(e.sourceIp, [e]);
      else list.push(e);
    }
    for (const list of bySource.values()) list.sort((a, b) => b.destination.len - a.destination.len);
    this.#bySource = bySource;
    this.#entries = entries;
  }

  /** The entry for a packet from `sourceIp` to `destinationIp`, longest prefix first. */
  lookup(sourceIp: string, destinationIp: string): EgressMapEntry | undefined {
    const list = this.#bySource.get(sourceIp);
    if (list === undefined) return undefined;
    const dst = ipToInt(destinationIp);
    for (const e of list) if (networkOf(dst, e.destination.len) === e.destination.net) return e;
    return undefined;
  }

  /**
   * The entries as `node`'s map holds them, the egress IP only on the gateway node; without a
   * node, as each gateway programs them. Sorted by source, then destination.
   */
  rows(node?: string): EgressMapRow[] {
    return this.#entries
      .map((e) => ({
        sourceIp: e.sourceIp,
        destinationCidr: e.destination.text,
        egressIp: node === undefined || e.gatewayNode === node ? e.egressIp : GATEWAY_NOT_FOUND,
        gatewayIp: e.gatewayIp,
      }))
      .sort(
        (a, b) =>
          ipToInt(a.sourceIp) - ipToInt(b.sourceIp) ||
          (a.destinationCidr < b.destinationCidr ? -1 : a.destinationCidr > b.destinationCidr ? 1 : 0),
      );
  }
}
