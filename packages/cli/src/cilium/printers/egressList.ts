import type { EgressMapRow } from '@cilium-sim/core';
import { tabwriteText as tabwrite } from '@cilium-sim/core';

/** The gateway addresses the map uses as markers, as `cilium-dbg bpf egress list` spells them. */
const GATEWAY_MARKERS: Readonly<Record<string, string>> = { '0.0.0.0': 'Not Found', '0.0.0.1': 'Excluded CIDR' };

/**
 * `cilium-dbg bpf egress list` (cilium-dbg/cmd/bpf_egress_list.go): the egress gateway policy
 * map, a tabwriter of minimum width 5 and padding 3, the two marker gateway addresses in words.
 * An empty map prints nothing on stdout and `No entries found.` on stderr.
 */
export function formatEgressList(rows: readonly EgressMapRow[]): { readonly stdout: string; readonly stderr: string } {
  if (rows.length === 0) return { stdout: '', stderr: 'No entries found.\n' };
  let text = 'Source IP\tDestination CIDR\tEgress IP\tGateway IP\n';
  for (const r of rows) text += `${r.sourceIp}\t${r.destinationCidr}\t${r.egressIp}\t${GATEWAY_MARKERS[r.gatewayIp] ?? r.gatewayIp}\n`;
  return { stdout: tabwrite(text, { minWidth: 5, padding: 3 }), stderr: '' };
}

/** `-o json`: the entries as the command's JSON printer writes them. */
export function formatEgressListJson(rows: readonly EgressMapRow[]): string {
  const list = rows.map((r) => ({ SourceIP: r.sourceIp, DestCIDR: r.destinationCidr, EgressIP: r.egressIp, GatewayIP: r.gatewayIp }));
  return `${JSON.stringify(list, null, 2)}\n`;
}
