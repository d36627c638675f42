import type { CtEntry } from '../datapath/conntrack.ts';
import type { FlowEmitter, L7Record } from '../datapath/flowEmitter.ts';
import { reversed, type HttpRequest, type Packet } from '../datapath/packet.ts';
import type { PolicyDecision } from '../datapath/policyDecision.ts';
import { fqdnSelectorMatches } from '../policy/fqdn.ts';
import type { L7Rules } from '../policy/types.ts';
import type { Scheduler } from '../sim/scheduler.ts';
import { httpResponse } from '../workload/serverApp.ts';
import { httpAllowed } from './httpMatch.ts';

/** Envoy's local reply for a request the policy denies: 403 with this body. */
export const ACCESS_DENIED_BODY = 'Access denied\r\n';

/** DNS rcodes as the flow's `rcode` number holds them. */
const RCODE_NUMBER = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;

export interface L7ProxyEnv {
  readonly scheduler: Scheduler;
  readonly emit: FlowEmitter;
  /** Sends a packet the proxy answers with, as if from the packet's destination. */
  answer(p: Packet): void;
  /** An allowed DNS answer for `name` reached endpoint `clientIp`: learn it for toFQDNs. */
  learnDns(clientIp: string, name: string, ips: readonly string[], ttlS: number): void;
  /** `tofqdns-dns-reject-response-code`: refused (default) or nameError. */
  dnsRejectCode(): 'REFUSED' | 'NXDOMAIN';
}

interface ProxiedRequest {
  readonly request: HttpRequest;
  readonly atNs: number;
  readonly side: 'ingress' | 'egress';
  readonly node: string;
}

/**
 * The node's L7 proxies: Envoy for HTTP and TLS SNI, the agent's DNS proxy for DNS. A port whose
 * policy entry carries L7 rules is redirected here; requests the rules allow go on to the
 * server, others get the proxy's answer (403 "Access denied", DNS REFUSED, a reset for an
 * unlisted SNI). Every request and response becomes an L7 flow.
 */
export class L7Proxy {
  readonly #env: L7ProxyEnv;
  readonly #inFlight = new WeakMap<CtEntry, ProxiedRequest[]>();

  constructor(env: L7ProxyEnv) {
    this.#env = env;
  }

  /** Handles an original-direction packet on a redirected port; true when it took it over. */
  redirect(p: Packet, ct: CtEntry, side: 'ingress' | 'egress', decision: PolicyDecision, node: string, deliver: (p: Packet) => void): boolean {
    const rules = decision.l7 as L7Rules;
    const dir = side === 'ingress' ? 'INGRESS' : 'EGRESS';
    const payload = p.payload;
    if (payload?.kind === 'http-request' && rules.http !== undefined) {
      const req = payload.request;
      const record: L7Record = { type: 'REQUEST', http: { method: req.method, url: urlOf(req), protocol: 'HTTP/1.1' } };
      if (httpAllowed(rules.http, req)) {
        this.#env.emit.l7(p, dir, 'FORWARDED', node, record, false, ct);
        const list = this.#inFlight.get(ct) ?? [];
        list.push({ request: req, atNs: this.#env.scheduler.clock.nowNs, side, node });
        this.#inFlight.set(ct, list);
        deliver(p);
      } else {
        this.#env.emit.l7(p, dir, 'DROPPED', node, record, false, ct);
        const response = httpResponse(403, ACCESS_DENIED_BODY);
        const answer = reversed(p, { ACK: true, PSH: true }, { kind: 'http-response', request: req, response });
        this.#env.emit.l7(answer, dir, 'FORWARDED', node, responseRecord(req, 403, 0), true, ct);
        this.#env.answer(answer);
      }
      return true;
    }
    if (payload?.kind === 'dns-query' && rules.dns !== undefined) {
      const record: L7Record = { type: 'REQUEST', dns: { query: fqdn(payload.name), qtypes: [payload.qtype], observation_source: 'proxy' } };
      if (rules.dns.some((r) => fqdnSelectorMatches(r, payload.name))) {
        this.#env.emit.l7(p, dir, 'FORWARDED', node, record, false, ct);
        deliver(p);
      } else {
        this.#env.emit.l7(p, dir, 'DROPPED', node, record, false, ct);
        const rcode = this.#env.dnsRejectCode();
        const answer = reversed(p, {}, { kind: 'dns-answer', id: payload.id, name: payload.name, qtype: payload.qtype, rcode, ips: [], ttl: 0 });
        this.#env.emit.l7(answer, dir, 'FORWARDED', node, { type: 'RESPONSE', dns: { query: fqdn(payload.name), qtypes: [payload.qtype], rcode: RCODE_NUMBER[rcode], ttl: 0, observation_source: 'proxy' } }, true, ct);
        this.#env.answer(answer);
      }
      return true;
    }
    if (payload?.kind === 'tls-client-hello' && rules.serverNames !== undefined) {
      if (rules.serverNames.some((pattern) => fqdnSelectorMatches({ matchPattern: pattern }, payload.sni))) {
        deliver(p);
      } else {
        this.#env.emit.drop(p, dir, 'POLICY_DENIED', node, decision);
        this.#env.answer(reversed(p, { RST: true, ACK: true }));
      }
      return true;
    }
    return false;
  }

  /** Sees a reply on a proxied connection: logs HTTP responses, learns allowed DNS answers. */
  observeReply(p: Packet, ct: CtEntry): void {
    const payload = p.payload;
    if (payload?.kind === 'http-response') {
      const pending = this.#inFlight.get(ct)?.shift();
      if (pending === undefined) return;
      const latency = this.#env.scheduler.clock.nowNs - pending.atNs;
      this.#env.emit.l7(p, pending.side === 'ingress' ? 'INGRESS' : 'EGRESS', 'FORWARDED', pending.node, responseRecord(pending.request, payload.response.status, latency), true, ct);
    } else if (payload?.kind === 'dns-answer' && ct.egress?.l7 !== undefined && (ct.egress.l7 as L7Rules).dns !== undefined) {
      if (payload.rcode === 'NOERROR' && payload.ips.length > 0) this.#env.learnDns(p.dstIp, payload.name, payload.ips, payload.ttl);
      const record: L7Record = {
        type: 'RESPONSE',
        dns: { query: fqdn(payload.name), ips: payload.ips, ttl: payload.ttl, rcode: RCODE_NUMBER[payload.rcode], qtypes: [payload.qtype], rrtypes: payload.ips.length > 0 ? [payload.qtype] : [], observation_source: 'proxy' },
      };
      this.#env.emit.l7(p, 'EGRESS', 'FORWARDED', nodeOfCt(ct), record, true, ct);
    }
  }
}

function urlOf(req: HttpRequest): string {
  return `${req.scheme}://${req.host}${req.path}`;
}

function fqdn(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}

function responseRecord(req: HttpRequest, code: number, latencyNs: number): L7Record {
  return { type: 'RESPONSE', latency_ns: latencyNs, http: { code, method: req.method, url: urlOf(req), protocol: 'HTTP/1.1' } };
}

/** DNS proxying happens on the client's node; conntrack remembers which it was. */
function nodeOfCt(ct: CtEntry): string {
  return ct.egressNode ?? '';
}
