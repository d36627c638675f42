import type { HttpRequest } from '../datapath/packet.ts';
import type { Direction } from '../policy/direction.ts';
import { explainPolicy } from '../policy/explain.ts';
import type { PolicyDecision, PolicyRef } from '../policy/policyDecision.ts';
import type { PolicyEngine } from '../policy/policyEngine.ts';
import { PROTOCOL_NUMBERS } from '../policy/u8proto.ts';
import { httpAllowed } from '../proxy/httpMatch.ts';
import type { ConnectionProtocol, ConnectionVerdict, ObservedConnection, ObservedPeer, ObservedRequest } from './observedConnections.ts';

/**
 * Observed traffic replayed against policy: each distinct (source, destination, port, HTTP
 * request) seen in Hubble is judged by the policy maps of a policy state (and the L7 rules),
 * and the ones whose verdict would differ are reported with the policies that decide the new
 * one. Judged from the maps, not by sending packets again. "Before" is a second policy state
 * (a dry run) or what Hubble recorded (a replay of an export).
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
  /** The policies that decide the new verdict: the allowing ones, the denying ones, or the ones whose default deny drops it. */
  readonly decidedBy: readonly string[];
  /** How they decide it, in a few words: `ingress default deny, no rule allows it`, `a deny rule`. */
  readonly reason: string;
}

interface Item {
  readonly conn: ObservedConnection;
  readonly request?: ObservedRequest;
}

/** How the judged engine sees a peer: its identity there, undefined when it has none (a pod gone). */
export type PeerIdentity = (peer: ObservedPeer) => number | undefined;

/** What a policy state makes of one item. */
export interface Judgement {
  readonly verdict: ReplayVerdict;
  readonly decidedBy: readonly string[];
  readonly reason: string;
}

export function replayConnections(
  conns: readonly ObservedConnection[],
  before: PolicyEngine | 'recorded',
  after: PolicyEngine,
  identity: PeerIdentity = (peer) => peer.identity,
): FlowVerdictChange[] {
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
    const b = before === 'recorded' ? (recorded === 'DROPPED' ? 'DROPPED' : 'FORWARDED') : judge(before, item, (p) => p.identity)?.verdict;
    const a = judge(after, item, identity);
    if (a === undefined || b === undefined || a.verdict === b) continue;
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
      after: a.verdict,
      decidedBy: a.decidedBy,
      reason: a.reason,
    });
  }
  return out;
}

function requestText(r: ObservedRequest | undefined): string {
  return r === undefined ? '' : `${r.method} ${r.path}`;
}

interface Lookup {
  readonly direction: Direction;
  readonly subject: number;
  readonly remote: number;
  readonly decision: PolicyDecision;
}

/** Undefined when a pod side has no identity in the engine, so the item cannot be judged. */
function judge(engine: PolicyEngine, { conn, request }: Item, identity: PeerIdentity): Judgement | undefined {
  const proto = PROTOCOL_NUMBERS[conn.protocol];
  const src = identity(conn.source);
  const dst = identity(conn.destination);
  if (src === undefined || dst === undefined) return undefined;
  const lookups: Lookup[] = [];
  for (const [peer, subject, remote, direction] of [
    [conn.source, src, dst, 'EGRESS'],
    [conn.destination, dst, src, 'INGRESS'],
  ] as const) {
    if (peer.kind !== 'pod') continue;
    if (engine.cache.identity(subject) === undefined) return undefined;
    lookups.push({ direction, subject, remote, decision: engine.policyMap(subject).lookup(remote, direction, proto, conn.port) });
  }
  const dropped = lookups.find((l) => !l.decision.allowed);
  if (dropped !== undefined) return droppedBy(engine, dropped, proto, conn.port);
  const names = (refs: readonly PolicyRef[]): string[] =>
    refs.map((p) => `${p.kind} ${p.namespace === undefined ? '' : `${p.namespace}/`}${p.name}`);
  const allowing = [...new Set(lookups.flatMap((l) => names(l.decision.policies)))];
  if (request !== undefined) {
    const denying = lookups.find((l) => l.decision.l7?.http !== undefined && !httpAllowed(l.decision.l7.http, asHttpRequest(request)));
    if (denying !== undefined)
      return { verdict: 'DROPPED', decidedBy: names(denying.decision.policies), reason: 'no HTTP rule matches the request' };
  }
  return { verdict: 'FORWARDED', decidedBy: allowing, reason: allowing.length === 0 ? 'no policy enforces it' : 'allowed' };
}

function droppedBy(engine: PolicyEngine, l: Lookup, proto: number, port: number): Judgement {
  const dir = l.direction === 'INGRESS' ? 'ingress' : 'egress';
  if (l.decision.denied)
    return {
      verdict: 'DROPPED',
      decidedBy: l.decision.policies.map((p) => `${p.kind} ${p.namespace === undefined ? '' : `${p.namespace}/`}${p.name}`),
      reason: `${dir} deny rule`,
    };
  const subject = engine.cache.identity(l.subject)!;
  const remote = engine.cache.identity(l.remote) ?? { id: l.remote, labels: [] };
  const e = explainPolicy(engine, { subject, remote, direction: l.direction, proto, port });
  const selecting = [...new Set(e.selecting.filter((s) => (l.direction === 'INGRESS' ? s.ingress : s.egress)).map((s) => s.policy))];
  return { verdict: 'DROPPED', decidedBy: selecting, reason: `${dir} default deny, no rule allows it` };
}

function asHttpRequest(r: ObservedRequest): HttpRequest {
  return { method: r.method, path: r.path, host: r.host, headers: [], body: '', scheme: 'http' };
}
