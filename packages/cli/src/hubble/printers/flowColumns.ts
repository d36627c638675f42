import { dropReasonText, hubble, identityName, isReservedIdentity, type Flow } from '@cilium-sim/core';
import { formatTime } from '../timeFormat.ts';
import type { PrintOptions } from './printOptions.ts';

type Policy = hubble.Policy;
const { EventType, TRACE_POINTS, flowPorts, policyMatchTypeName } = hubble;

/** The timestamp column; `N/A` for a flow without a usable time, as Hubble prints. */
export function timestampColumn(flow: Flow, opts: PrintOptions): string {
  try {
    return formatTime(hubble.flowInstant(flow.time), opts.timeFormat);
  } catch {
    return 'N/A';
  }
}

/** net.JoinHostPort: IPv6 addresses get brackets. */
function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * One side's host as Hubble names it: `namespace/pod`, else `namespace/service`, else the DNS
 * names joined by `,`, else the IP; with `:port` unless the port is 0 or there is none (ICMP).
 */
function hostName(
  ip: string,
  port: number | undefined,
  ns: string,
  pod: string,
  svc: string,
  names: readonly string[],
  opts: PrintOptions,
): string {
  let host = ip;
  if (opts.ipTranslation) {
    if (pod !== '') host = ns === '' ? pod : `${ns}/${pod}`;
    else if (svc !== '') host = ns === '' ? svc : `${ns}/${svc}`;
    else if (names.length > 0) host = names.join(',');
  }
  return port === undefined || port === 0 ? host : joinHostPort(host, String(port));
}

/** Source and destination hosts, in the flow's own direction (the compact printer swaps replies). */
export function hostColumns(flow: Flow, opts: PrintOptions): [string, string] {
  if (flow.IP === undefined) return ['', ''];
  const ports = flowPorts(flow);
  const srcNs = flow.source_service?.namespace ?? flow.source?.namespace ?? '';
  const dstNs = flow.destination_service?.namespace ?? flow.destination?.namespace ?? '';
  return [
    hostName(
      flow.IP.source,
      ports?.source_port,
      srcNs,
      flow.source?.pod_name ?? '',
      flow.source_service?.name ?? '',
      flow.source_names ?? [],
      opts,
    ),
    hostName(
      flow.IP.destination,
      ports?.destination_port,
      dstNs,
      flow.destination?.pod_name ?? '',
      flow.destination_service?.name ?? '',
      flow.destination_names ?? [],
      opts,
    ),
  ];
}

/** `(world)` for reserved identities, `(ID:16530)` otherwise. */
export function identityColumn(identity: number | undefined): string {
  const id = identity ?? 0;
  return isReservedIdentity(id) ? `(${identityName(id)})` : `(ID:${id})`;
}

/** The type column: `to-endpoint`, `Policy denied`, `policy-verdict:L3-L4 INGRESS`, `http-request`, `dns-response proxy`. */
export function typeColumn(flow: Flow): string {
  const l7 = flow.l7;
  if (l7 !== undefined) {
    const kind = l7.type.toLowerCase();
    if (l7.http !== undefined) return `http-${kind}`;
    if (l7.dns !== undefined) return `dns-${kind} ${l7.dns.observation_source ?? ''}`;
    return `l7-${kind}`;
  }
  const sub = flow.event_type.sub_type ?? 0;
  switch (flow.event_type.type) {
    case EventType.trace:
      return TRACE_POINTS.find((p) => p.subType === sub)?.name ?? 'unknown';
    case EventType.drop:
      return dropReasonText(sub);
    case EventType['policy-verdict']:
      return `policy-verdict:${policyMatchTypeName(flow.policy_match_type ?? 0)} ${flow.traffic_direction ?? 'TRAFFIC_DIRECTION_UNKNOWN'}`;
    default:
      return 'UNKNOWN';
  }
}

/** ` BY name (Kind), other (Kind)` for the policies that have both a name and a kind. */
function policyNamesSuffix(policies: readonly Policy[] | undefined): string {
  const named = (policies ?? []).filter((p) => p.name !== '' && p.kind !== '');
  return named.length === 0 ? '' : ` BY ${named.map((p) => `${p.name} (${p.kind})`).join(', ')}`;
}

function verdictPolicies(flow: Flow, allowed: boolean): readonly Policy[] | undefined {
  if (flow.traffic_direction === 'EGRESS') return allowed ? flow.egress_allowed_by : flow.egress_denied_by;
  if (flow.traffic_direction === 'INGRESS') return allowed ? flow.ingress_allowed_by : flow.ingress_denied_by;
  return undefined;
}

/** The verdict column: the enum name, or ALLOWED / DENIED / AUDITED on policy-verdict events. */
export function verdictColumn(flow: Flow, opts: PrintOptions): string {
  if (flow.event_type.type !== EventType['policy-verdict']) return flow.verdict;
  switch (flow.verdict) {
    case 'FORWARDED':
    case 'REDIRECTED':
      return `ALLOWED${opts.policyNames ? policyNamesSuffix(verdictPolicies(flow, true)) : ''}`;
    case 'DROPPED':
    case 'ERROR':
      return `DENIED${opts.policyNames ? policyNamesSuffix(verdictPolicies(flow, false)) : ''}`;
    case 'AUDIT':
      return 'AUDITED';
    default:
      return flow.verdict;
  }
}

/**
 * The summary column: the flow's Summary, plus `; Auth: SPIRE` when an auth type other than
 * DISABLED is set (lab transcripts of mutual authentication show exactly this suffix).
 */
export function summaryColumn(flow: Flow): string {
  const auth = flow.auth_type;
  return (flow.Summary ?? '') + (auth !== undefined && auth !== 'DISABLED' ? `; Auth: ${auth}` : '');
}
