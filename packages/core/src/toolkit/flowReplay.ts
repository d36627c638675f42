import type { HttpRequest } from '../datapath/packet.ts';
import type { PolicyDecision } from '../policy/policyDecision.ts';
import type { PolicyEngine } from '../policy/policyEngine.ts';
import { PROTOCOL_NUMBERS } from '../policy/u8proto.ts';
import { httpAllowed } from '../proxy/httpMatch.ts';
import type { ConnectionProtocol, ConnectionVerdict, ObservedConnection, ObservedRequest } from './observedConnections.ts';

/**
 * Observed traffic replayed against two policy states: each distinct (source, destination,
 * port, HTTP request) seen in Hubble is judged by the policy maps before and after a change,
 * and the ones whose verdict differs are reported. Judged from the maps and the L7 rules, not
 * by sending packets again.
 */
export type ReplayVerdict = 'FORWARDED' | 'DROPPED';

export interface FlowVerdictChange {
  readonly source: string;
  readonly destination: string;
  readonly protocol: ConnectionProtocol;
  readonly port: number;
  /** `POST /v1/request-landing` when the change is about one HTTP request. */
  readonly request?: string;
  /** How many observed connections (or requests) this line stands for. */
  readonly count: number;
  /** What Hubble recorded for them (the last one's verdict). */
  readonly recorded: ConnectionVerdict;
  readonly before: ReplayVerdict;
  readonly after: ReplayVerdict;
}

interface Item {
  readonly conn: ObservedConnection;
  readonly request?: ObservedRequest;
}

export function replayConnections(conns: readonly ObservedConnection[], before: PolicyEngine, after: PolicyEngine): FlowVerdictChange[] {
  const groups = new Map<string, { item: Item; count: number; recorded: ConnectionVerdict }>();
  for (const conn of conns) {
    const items: Item[] = conn.requests.length === 0 ? [{ conn }] : conn.requests.map((request) => ({ conn, request }));
    for (const item of items) {
      const key = [
        conn.source.identity,
        conn.destination.identity,
        conn.source.name,
        conn.destination.name,
        conn.protocol,
        conn.port,
        requestText(item.request),
      ].join('|');
      const g = groups.get(key);
      if (g === undefined) groups.set(key, { item, count: 1, recorded: item.request?.verdict ?? conn.verdict });
      else groups.set(key, { item: g.item, count: g.count + 1, recorded: item.request?.verdict ?? conn.verdict });
    }
  }
  const out: FlowVerdictChange[] = [];
  for (const { item, count, recorded } of groups.values()) {
    const b = judge(before, item);
    const a = judge(after, item);
    if (a === undefined || b === undefined || a === b) continue;
    const { conn, request } = item;
    out.push({
      source: conn.source.name,
      destination: conn.destination.name,
      protocol: conn.protocol,
      port: conn.port,
      ...(request === undefined ? {} : { request: requestText(request) }),
      count,
      recorded,
      before: b,
      after: a,
    });
  }
  return out;
}

function requestText(r: ObservedRequest | undefined): string {
  return r === undefined ? '' : `${r.method} ${r.path}`;
}

/** Undefined when a pod side's identity is gone, so the item cannot be judged. */
function judge(engine: PolicyEngine, { conn, request }: Item): ReplayVerdict | undefined {
  const proto = PROTOCOL_NUMBERS[conn.protocol];
  const decisions: PolicyDecision[] = [];
  if (conn.source.kind === 'pod') {
    if (engine.cache.identity(conn.source.identity) === undefined) return undefined;
    decisions.push(engine.policyMap(conn.source.identity).lookup(conn.destination.identity, 'EGRESS', proto, conn.port));
  }
  if (conn.destination.kind === 'pod') {
    if (engine.cache.identity(conn.destination.identity) === undefined) return undefined;
    decisions.push(engine.policyMap(conn.destination.identity).lookup(conn.source.identity, 'INGRESS', proto, conn.port));
  }
  if (decisions.some((d) => !d.allowed)) return 'DROPPED';
  if (request === undefined) return 'FORWARDED';
  const allowed = decisions.every((d) => {
    const http = d.l7?.http;
    return http === undefined || httpAllowed(http, asHttpRequest(request));
  });
  return allowed ? 'FORWARDED' : 'DROPPED';
}

function asHttpRequest(r: ObservedRequest): HttpRequest {
  return { method: r.method, path: r.path, host: r.host, headers: [], body: '', scheme: 'http' };
}
