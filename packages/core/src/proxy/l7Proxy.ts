import type { CtEntry } from '../datapath/conntrack.ts';
import type { FlowEmitter, L7Record } from '../datapath/flowEmitter.ts';
import { reversed, type HttpRequest, type HttpResponse, type Packet, type Payload } from '../datapath/packet.ts';
import { tcpReply } from '../datapath/tcpSegment.ts';
import { sideDirection, type Direction, type DirectionSide } from '../policy/direction.ts';
import type { PolicyDecision } from '../policy/policyDecision.ts';
import type { L7Rules } from '../policy/types.ts';
import type { Scheduler } from '../sim/scheduler.ts';
import { httpResponse } from '../workload/serverApp.ts';
import { dnsQueryAllowed, dnsRequestRecord, dnsResponseRecord, rejectAnswer } from './dnsProxy.ts';
import { httpAllowed } from './httpMatch.ts';
import { restrictsSni, sniAllowed } from './tlsSni.ts';
import type { NameMatching } from '../policy/fqdn.ts';
import type { PeerSvid } from './tlsUpgrade.ts';
import { TlsUpgradeProxy } from './tlsUpgradeProxy.ts';

/**
 * A client's data in a protocol the port's proxy does not parse: TLS, raw bytes or DNS to a port
 * whose rules are HTTP ones (Envoy's HTTP codec fails and closes the connection), HTTP or bytes to
 * a port whose rules are DNS ones (the DNS proxy cannot read a query). Such data never passes,
 * as it never reaches the server in Cilium. A port that also names server names, TLS contexts or
 * a listener leaves TLS to them.
 */
function speaksOtherProtocol(rules: L7Rules, payload: Payload): boolean {
  if (rules.http === undefined && rules.dns === undefined) return false;
  if (
    rules.serverNames !== undefined ||
    rules.terminatingTLS !== undefined ||
    rules.originatingTLS !== undefined ||
    rules.listener !== undefined
  )
    return false;
  switch (payload.kind) {
    case 'http-request':
      return rules.http === undefined;
    case 'dns-query':
      return rules.dns === undefined;
    case 'tls-client-hello':
    case 'bytes':
      return true;
    default:
      return false;
  }
}

/** Envoy's local reply for a request the policy denies: 403 with this body. */
export const ACCESS_DENIED_BODY = 'Access denied\r\n';

export interface L7ProxyEnv {
  readonly scheduler: Scheduler;
  readonly emit: FlowEmitter;
  /** Sends a packet the proxy answers with, as if from the packet's destination. */
  answer(p: Packet): void;
  /** An allowed DNS answer for `name` reached endpoint `clientIp`: learn it for toFQDNs. */
  learnDns(clientIp: string, name: string, ips: readonly string[], ttlS: number): void;
  /** `tofqdns-dns-reject-response-code`: refused (default) or nameError. */
  dnsRejectCode(): 'REFUSED' | 'NXDOMAIN';
  /** How the cluster's Cilium version reads DNS patterns and server names; default the newest. */
  readonly names?: NameMatching;
  /** The SVID of the pod at `ip` as `verifierNode` judges it, for the SPIFFE TLS upgrade (undefined: none). */
  workloadSvid?(ip: string, verifierNode: string): PeerSvid | undefined;
}

interface ProxiedRequest {
  readonly request: HttpRequest;
  readonly atNs: number;
  readonly dir: Direction;
  readonly node: string;
  /** The server port the request went to on this proxy's side (the response comes from it). */
  readonly serverPort: number;
}

type Deliver = (p: Packet) => void;

/**
 * The node's L7 proxies: Envoy for HTTP and TLS SNI, the agent's DNS proxy for DNS. A port whose
 * policy entry carries L7 rules is redirected here. A port with AccuKnox's SPIFFE TLS context
 * (originatingTLS / terminatingTLS with `spiffe` or `dstPort`) goes through TlsUpgradeProxy
 * first, on every segment. Then, per data segment:
 * - no payload (handshake, ACK, FIN): passes, the proxy only terminates the byte stream;
 * - `serverNames` restrict the port and the connection has not shown an admitted ClientHello:
 *   dropped with a flow, the client gets a reset (curl exit 35);
 * - an HTTP request under `rules.http`: forwarded when a rule matches, else Envoy answers 403
 *   `Access denied`; both give http-request / http-response flows;
 * - a DNS query under `rules.dns`: forwarded when a rule matches, else the proxy answers
 *   REFUSED itself; both give dns-request / dns-response flows;
 * - anything else passes untouched.
 */
export class L7Proxy {
  readonly #env: L7ProxyEnv;
  readonly #inFlight = new WeakMap<CtEntry, ProxiedRequest[]>();
  /** Connections whose ClientHello the SNI rules admitted. */
  readonly #sniAdmitted = new WeakSet<CtEntry>();
  /** DNS answers the proxy made itself: already logged, never logged or learned again on the way back. */
  readonly #ownAnswers = new WeakSet<Packet>();

  readonly #tls: TlsUpgradeProxy;

  constructor(env: L7ProxyEnv) {
    this.#env = env;
    this.#tls = new TlsUpgradeProxy({
      svid: (ip, viewer) => env.workloadSvid?.(ip, viewer),
      answer: (q) => env.answer(q),
      nowNs: () => env.scheduler.clock.nowNs,
    });
  }

  /** Handles an original-direction packet on a redirected port; true when it took it over. */
  redirect(p: Packet, ct: CtEntry, side: DirectionSide, decision: PolicyDecision, node: string, deliver: Deliver): boolean {
    const rules = decision.l7!;
    // TLS origination/termination with SPIFFE IDs (spiffeTlsUpgrade): before SNI and HTTP, on
    // every segment, since the upgrade also re-targets the handshake.
    const upgrade = this.#tls.step(p, ct, side, rules, node, deliver);
    if (upgrade?.kind === 'consumed') return true;
    if (upgrade === undefined) return this.#l7(p, ct, side, decision, node, deliver);
    const forward = upgrade.kind === 'forward' ? upgrade.deliver : deliver;
    const localReply = upgrade.kind === 'local-reply' ? upgrade.response : undefined;
    if (!this.#l7(p, ct, side, decision, node, forward, localReply)) forward(p);
    return true;
  }

  /** SNI, HTTP and DNS rules on one data segment; false when none applies (the packet passes). */
  #l7(
    p: Packet,
    ct: CtEntry,
    side: DirectionSide,
    decision: PolicyDecision,
    node: string,
    deliver: Deliver,
    localReply?: HttpResponse,
  ): boolean {
    const rules = decision.l7!;
    const payload = p.payload;
    if (payload === undefined) return false;
    const dir = sideDirection(side);
    if (rules.serverNames !== undefined && restrictsSni(rules.serverNames) && !this.#sniAdmitted.has(ct)) {
      if (!sniAllowed(rules.serverNames, payload.kind === 'tls-client-hello' ? payload.sni : undefined, this.#env.names?.sniPatterns)) {
        this.#env.emit.drop(p, dir, 'POLICY_DENIED', node, decision);
        this.#env.answer(tcpReply(p, { RST: true, ACK: true }, this.#env.scheduler.clock.nowNs));
        return true;
      }
      this.#sniAdmitted.add(ct);
    }
    if (payload.kind === 'http-request' && rules.http !== undefined) {
      this.#http(p, payload.request, ct, rules.http, dir, node, deliver, localReply);
      return true;
    }
    if (payload.kind === 'dns-query' && rules.dns !== undefined) {
      this.#dns(p, payload, ct, rules.dns, dir, node, deliver);
      return true;
    }
    if (speaksOtherProtocol(rules, payload)) {
      this.#env.emit.drop(p, dir, 'POLICY_DENIED', node, decision);
      this.#env.answer(tcpReply(p, { RST: true, ACK: true }, this.#env.scheduler.clock.nowNs));
      return true;
    }
    return false;
  }

  /** Sees a reply on a proxied connection: logs HTTP responses, learns allowed DNS answers. */
  observeReply(p: Packet, ct: CtEntry): void {
    const payload = p.payload;
    if (payload === undefined) return;
    if (payload.kind === 'http-response') this.#httpResponse(p, payload.request, payload.response, ct);
    else if (payload.kind === 'dns-answer' && !this.#ownAnswers.has(p) && ct.egress?.l7?.dns !== undefined) {
      if (payload.rcode === 'NOERROR' && payload.ips.length > 0) this.#env.learnDns(p.dstIp, payload.name, payload.ips, payload.ttl);
      this.#env.emit.l7(p, 'EGRESS', 'FORWARDED', ct.egressNode ?? '', dnsResponseRecord(payload), true, ct);
    }
  }

  #http(
    p: Packet,
    req: HttpRequest,
    ct: CtEntry,
    rules: NonNullable<L7Rules['http']>,
    dir: Direction,
    node: string,
    deliver: Deliver,
    localReply?: HttpResponse,
  ): void {
    const record = requestRecord(req);
    if (httpAllowed(rules, req)) {
      this.#env.emit.l7(p, dir, 'FORWARDED', node, record, false, ct);
      if (localReply !== undefined) return this.#localReply(p, req, ct, localReply, dir, node);
      const list = this.#inFlight.get(ct) ?? [];
      list.push({ request: req, atNs: this.#env.scheduler.clock.nowNs, dir, node, serverPort: p.dport });
      this.#inFlight.set(ct, list);
      deliver(p);
      return;
    }
    this.#env.emit.l7(p, dir, 'DROPPED', node, record, false, ct);
    this.#localReply(p, req, ct, accessDenied(), dir, node);
  }

  /** Envoy answers the request itself (403 from the policy, 503 without an upstream). */
  #localReply(p: Packet, req: HttpRequest, ct: CtEntry, response: HttpResponse, dir: Direction, node: string): void {
    const answer = tcpReply(p, { ACK: true, PSH: true }, this.#env.scheduler.clock.nowNs, {
      kind: 'http-response',
      request: req,
      response,
    });
    this.#env.emit.l7(answer, dir, 'FORWARDED', node, responseRecord(req, response.status, 0), true, ct);
    this.#env.answer(answer);
  }

  /** Logs the response once per proxy that forwarded its request (egress and ingress may both). */
  #httpResponse(p: Packet, req: HttpRequest, res: HttpResponse, ct: CtEntry): void {
    const list = this.#inFlight.get(ct);
    if (list === undefined) return;
    const now = this.#env.scheduler.clock.nowNs;
    // The proxy nearest the server sees the response first.
    for (let i = list.length - 1; i >= 0; i--) {
      const pending = list[i]!;
      if (pending.request !== req) continue;
      list.splice(i, 1);
      const seen = p.sport === pending.serverPort ? p : { ...p, sport: pending.serverPort };
      this.#env.emit.l7(seen, pending.dir, 'FORWARDED', pending.node, responseRecord(req, res.status, now - pending.atNs), true, ct);
    }
  }

  #dns(
    p: Packet,
    query: Extract<Payload, { kind: 'dns-query' }>,
    ct: CtEntry,
    rules: NonNullable<L7Rules['dns']>,
    dir: Direction,
    node: string,
    deliver: Deliver,
  ): void {
    if (dnsQueryAllowed(rules, query, this.#env.names?.doubleStarAnyDepth)) {
      this.#env.emit.l7(p, dir, 'FORWARDED', node, dnsRequestRecord(query), false, ct);
      deliver(p);
      return;
    }
    this.#env.emit.l7(p, dir, 'DROPPED', node, dnsRequestRecord(query), false, ct);
    const reply = rejectAnswer(query, this.#env.dnsRejectCode());
    const answer = reversed(p, {}, reply);
    this.#env.emit.l7(answer, dir, 'FORWARDED', node, dnsResponseRecord(reply), true, ct);
    this.#ownAnswers.add(answer);
    this.#env.answer(answer);
  }
}

/** Envoy's local reply: `content-length: 15`, `content-type: text/plain`, `server: envoy`. */
export function accessDenied(): HttpResponse {
  const base = httpResponse(403, ACCESS_DENIED_BODY);
  const length = base.headers.find(([k]) => k === 'content-length')!;
  return { ...base, headers: [length, ['content-type', 'text/plain'], ['server', 'envoy']] };
}

function urlOf(req: HttpRequest): string {
  return `${req.scheme}://${req.host}${req.path}`;
}

export function requestRecord(req: HttpRequest): L7Record {
  return {
    type: 'REQUEST',
    http: {
      method: req.method,
      url: urlOf(req),
      protocol: req.version ?? 'HTTP/1.1',
      headers: req.headers.map(([key, value]) => ({ key: key.toLowerCase(), value })),
    },
  };
}

export function responseRecord(req: HttpRequest, code: number, latencyNs: number): L7Record {
  return {
    type: 'RESPONSE',
    latency_ns: latencyNs,
    http: { code, method: req.method, url: urlOf(req), protocol: req.version ?? 'HTTP/1.1' },
  };
}
