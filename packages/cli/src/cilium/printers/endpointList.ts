import { tabwriteText as tabwrite } from '@cilium-sim/core';

/**
 * `cilium-dbg endpoint list` (cilium-dbg/cmd/endpoint_list.go): one row per endpoint sorted by
 * endpoint id, the first security-relevant label on the row and the others on continuation lines
 * under LABELS. Every row ends with a tab in the Go code, so rows carry trailing spaces as the
 * real output does.
 */
export type PolicyEnforcementCell = 'Enabled' | 'Disabled' | 'Disabled (Audit)' | 'Unknown';

export interface EndpointListEntry {
  /** The agent-local endpoint id. */
  readonly id: number;
  readonly policyIngress: PolicyEnforcementCell;
  readonly policyEgress: PolicyEnforcementCell;
  /** undefined before an identity is assigned: prints `<no label id>`. */
  readonly identity: number | undefined;
  /** `k8s:org=empire`, `reserved:host`; sorted on output; none prints `no labels`. */
  readonly labels: readonly string[];
  /** undefined when the endpoint has no address yet: both columns print `No address`. */
  readonly addressing: { readonly ipv6: string; readonly ipv4: string } | undefined;
  /** `ready`, `waiting-for-identity`, `regenerating`, `not-ready`, `disconnecting`. */
  readonly state: string;
}

export function formatEndpointList(entries: readonly EndpointListEntry[], options: { readonly noHeaders?: boolean } = {}): string {
  let text = '';
  if (options.noHeaders !== true) {
    text += 'ENDPOINT\tPOLICY (ingress)\tPOLICY (egress)\tIDENTITY\tLABELS (source:key[=value])\tIPv6\tIPv4\tSTATUS\t\n';
    text += '\tENFORCEMENT\tENFORCEMENT\t\t\t\t\t\n';
  }
  for (const ep of [...entries].sort((a, b) => a.id - b.id)) {
    const labels = ep.labels.length === 0 ? ['no labels'] : [...ep.labels].sort();
    const [ipv6, ipv4] = ep.addressing === undefined ? ['No address', 'No address'] : [ep.addressing.ipv6, ep.addressing.ipv4];
    const id = ep.identity === undefined ? '<no label id>' : String(ep.identity);
    text += `${ep.id}\t${ep.policyIngress}\t${ep.policyEgress}\t${id}\t${labels[0]}\t${ipv6}\t${ipv4}\t${ep.state}\t\n`;
    for (const label of labels.slice(1)) text += `\t\t\t\t${label}\t\t\t\t\n`;
  }
  return tabwrite(text, { minWidth: 5, padding: 3 });
}
