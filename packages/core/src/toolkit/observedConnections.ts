import { flowPorts, type Endpoint as FlowEndpoint, type Flow } from '../hubble/flow.ts';

/**
 * Hubble flows folded into connections: one per 5-tuple seen in the original direction (replies
 * are left out), with its final L3/L4 verdict and the HTTP requests it carried. Suggestion, the
 * service map and the dry run all reason about connections rather than packets, so a TCP
 * handshake counts once and a retransmitted SYN does not count twice.
 */
export type ConnectionVerdict = 'FORWARDED' | 'DROPPED' | 'AUDIT';
export type ConnectionProtocol = 'TCP' | 'UDP' | 'SCTP';

export interface ObservedPeer {
  readonly kind: 'pod' | 'reserved' | 'ip';
  /** `default/deathstar` for a pod of a workload, `default/xwing` for a bare pod, `world`, `host`, or the IP. */
  readonly name: string;
  readonly ip: string;
  readonly identity: number;
  readonly labels: readonly string[];
  readonly namespace?: string;
  readonly pod?: string;
  readonly workload?: { readonly name: string; readonly kind: string };
}

export interface ObservedRequest {
  readonly method: string;
  /** The URL's host (the Host header the client sent). */
  readonly host: string;
  /** The URL's path, without the query string. */
  readonly path: string;
  readonly verdict: ConnectionVerdict;
}

export interface ObservedConnection {
  readonly source: ObservedPeer;
  readonly destination: ObservedPeer;
  readonly protocol: ConnectionProtocol;
  readonly port: number;
  /** The last L3/L4 verdict: a SYN dropped for authentication, then let through, is FORWARDED. */
  readonly verdict: ConnectionVerdict;
  readonly dropReason?: string;
  readonly requests: readonly ObservedRequest[];
  /** The Service the client addressed, when Hubble recorded one. */
  readonly service?: { readonly namespace: string; readonly name: string };
}

interface Draft {
  source: ObservedPeer;
  destination: ObservedPeer;
  protocol: ConnectionProtocol;
  port: number;
  verdict: ConnectionVerdict | undefined;
  dropReason: string | undefined;
  requests: ObservedRequest[];
  service: { namespace: string; name: string } | undefined;
}

/** Connections in the order their first flow was seen. Pure. */
export function observedConnections(flows: readonly Flow[]): ObservedConnection[] {
  const drafts = new Map<string, Draft>();
  for (const f of flows) {
    const l4 = l4Of(f);
    if (l4 === undefined || f.is_reply === true || f.IP === undefined) continue;
    const key = `${l4.protocol} ${f.IP.source}:${l4.sport} ${f.IP.destination}:${l4.port}`;
    let d = drafts.get(key);
    if (d === undefined) {
      d = {
        source: peerOf(f.source, f.IP.source),
        destination: peerOf(f.destination, f.IP.destination),
        protocol: l4.protocol,
        port: l4.port,
        verdict: undefined,
        dropReason: undefined,
        requests: [],
        service: undefined,
      };
      drafts.set(key, d);
    }
    fold(d, f);
  }
  return [...drafts.values()].filter((d) => d.verdict !== undefined || d.requests.length > 0).map(finish);
}

function fold(d: Draft, f: Flow): void {
  const verdict = f.verdict === 'DROPPED' || f.verdict === 'AUDIT' ? f.verdict : f.verdict === 'FORWARDED' ? 'FORWARDED' : undefined;
  if (f.destination_service !== undefined && d.service === undefined)
    d.service = { namespace: f.destination_service.namespace ?? '', name: f.destination_service.name };
  const http = f.l7?.http;
  if (f.l7 !== undefined) {
    if (f.l7.type === 'REQUEST' && http?.method !== undefined && verdict !== undefined)
      d.requests.push({ method: http.method, ...splitUrl(http.url ?? '/'), verdict });
    return;
  }
  if (verdict === undefined) return;
  d.verdict = verdict;
  d.dropReason = verdict === 'DROPPED' ? f.drop_reason_desc : undefined;
}

function finish(d: Draft): ObservedConnection {
  return {
    source: d.source,
    destination: d.destination,
    protocol: d.protocol,
    port: d.port,
    verdict: d.verdict ?? 'FORWARDED',
    requests: d.requests,
    ...(d.dropReason === undefined ? {} : { dropReason: d.dropReason }),
    ...(d.service === undefined ? {} : { service: d.service }),
  };
}

function l4Of(f: Flow): { protocol: ConnectionProtocol; sport: number; port: number } | undefined {
  const ports = flowPorts(f);
  if (f.l4 === undefined || ports?.destination_port === undefined) return undefined;
  const protocol: ConnectionProtocol = 'TCP' in f.l4 ? 'TCP' : 'UDP' in f.l4 ? 'UDP' : 'SCTP';
  return { protocol, sport: ports.source_port ?? 0, port: ports.destination_port };
}

const RESERVED_PREFIX = 'reserved:';

/** How a flow endpoint reads on a map: its workload, else its reserved entity, else its IP. */
export function peerOf(ep: FlowEndpoint | undefined, ip: string): ObservedPeer {
  const labels = ep?.labels ?? [];
  const identity = ep?.identity ?? 0;
  if (ep?.pod_name !== undefined && ep.namespace !== undefined) {
    const workload = ep.workloads?.[0];
    return {
      kind: 'pod',
      name: `${ep.namespace}/${workload?.name ?? ep.pod_name}`,
      ip,
      identity,
      labels,
      namespace: ep.namespace,
      pod: ep.pod_name,
      ...(workload === undefined ? {} : { workload }),
    };
  }
  const reserved = labels.find((l) => l.startsWith(RESERVED_PREFIX));
  if (reserved !== undefined)
    return { kind: 'reserved', name: reserved.slice(RESERVED_PREFIX.length).split('=')[0]!, ip, identity, labels };
  return { kind: 'ip', name: ip, ip, identity, labels };
}

function splitUrl(url: string): { host: string; path: string } {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)(.*)$/i.exec(url);
  const rest = m === null ? url : m[2]!;
  const path = rest.split('?')[0]!.split('#')[0]!;
  return { host: m === null ? '' : m[1]!, path: path === '' ? '/' : path };
}
