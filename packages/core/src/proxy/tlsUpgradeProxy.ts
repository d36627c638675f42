import type { DirectionSide } from '../policy/direction.ts';
import type { CtEntry } from '../datapath/conntrack.ts';
import type { HttpResponse, Packet } from '../datapath/packet.ts';
import { tcpReply } from '../datapath/tcpSegment.ts';
import type { L7Rules } from '../policy/types.ts';
import { httpResponse } from '../workload/serverApp.ts';
import { isSpiffeTls, originateTls, terminateTls, type PeerSvid } from './tlsUpgrade.ts';

type Deliver = (p: Packet) => void;

export interface TlsUpgradeEnv {
  /** The SVID the pod at `ip` presents, as the agent on `verifierNode` judges it (undefined: none). */
  svid(ip: string, verifierNode: string): PeerSvid | undefined;
  /** Sends a packet the proxy answers with, as if from the packet's destination. */
  answer(p: Packet): void;
  /** The virtual clock, for the answers' TCP timestamps. */
  nowNs(): number;
}

/**
 * What the L7 proxy does next with a packet on a port whose TLS context is AccuKnox's:
 * - `consumed`: the upgrade handled it (a handshake segment forwarded to the re-targeted port,
 *   or a refused connection answered);
 * - `forward`: run the port's L7 rules as usual, forwarding through `deliver`, which re-targets;
 * - `local-reply`: run the L7 rules, but answer an allowed request with `response` (the TLS
 *   origination failed, so Envoy's router has no upstream).
 */
export type TlsUpgradeStep =
  | { readonly kind: 'consumed' }
  | { readonly kind: 'forward'; readonly deliver: Deliver }
  | { readonly kind: 'local-reply'; readonly response: HttpResponse };

/** Envoy's prefix for a request whose upstream connection failed. */
const UPSTREAM_FAILURE =
  'upstream connect error or disconnect/reset before headers. reset reason: connection failure, transport failure reason: ';

/**
 * The proxies' side of the SPIFFE TLS upgrade (spiffeTlsUpgrade extension). On the client's
 * node the egress proxy takes the app's plain connection and carries it to `dstPort` of the
 * server inside TLS with the client's SVID; on the server's node the ingress proxy terminates it
 * and hands plain bytes to the app on its own `dstPort`. The model keeps one connection (one
 * conntrack entry, keyed by the app's tuple) and re-targets each segment's destination port,
 * so replies match the client's socket unchanged.
 *
 * Cases, in order, for each original-direction segment on such a port:
 * - no payload (handshake, ACK, FIN): re-targeted and forwarded; at the server, for a client no
 *   originating proxy carries, the proxy completes the handshake itself;
 * - egress, the client's SVID, the server's SVID or its peer ID fails: an HTTP request gets
 *   Envoy's 503 `upstream connect error ...`; anything else a reset;
 * - egress, all good: the connection is marked as originated and the L7 rules run;
 * - ingress, the client did not come through an originating proxy, or its SVID is refused: a
 *   proxied HTTP request gets the 503 its own proxy would give (the handshake failed), anything
 *   else a reset (curl sees the connection reset);
 * - ingress, all good: the L7 rules run, forwarding to the app's port.
 */
export class TlsUpgradeProxy {
  readonly #env: TlsUpgradeEnv;
  /** Connections an originating egress proxy carries (from their first segment). */
  readonly #carried = new WeakSet<CtEntry>();
  /** Connections whose egress proxy originated TLS with the client's SVID. */
  readonly #originated = new WeakSet<CtEntry>();

  constructor(env: TlsUpgradeEnv) {
    this.#env = env;
  }

  /** The step for `p`, or undefined when the port carries no SPIFFE TLS context for `side`. */
  step(p: Packet, ct: CtEntry, side: DirectionSide, rules: L7Rules, node: string, deliver: Deliver): TlsUpgradeStep | undefined {
    const ctx = side === 'egress' ? rules.originatingTLS : rules.terminatingTLS;
    if (!isSpiffeTls(ctx)) return undefined;
    const port = ctx.dstPort ?? p.dport;
    const retargeted: Deliver = (q) => deliver(q.dport === port ? q : { ...q, dport: port });
    if (side === 'egress') {
      this.#carried.add(ct);
      ct.tlsPort = port;
    }
    if (p.payload === undefined) {
      if (side === 'egress' || this.#carried.has(ct)) retargeted(p);
      else this.#handshake(p);
      return { kind: 'consumed' };
    }
    if (side === 'egress') {
      const verdict = originateTls(ctx, p.dport, this.#env.svid(p.srcIp, node), this.#env.svid(p.dstIp, node));
      if (verdict.ok) {
        this.#originated.add(ct);
        return { kind: 'forward', deliver: retargeted };
      }
      if (p.payload.kind === 'http-request') return { kind: 'local-reply', response: upstreamFailure(verdict.reason) };
      this.#reset(p, ct);
      return { kind: 'consumed' };
    }
    const client = this.#originated.has(ct) ? this.#env.svid(p.srcIp, node) : undefined;
    const verdict = terminateTls(ctx, p.dport, this.#env.svid(p.dstIp, node), client);
    if (verdict.ok) return { kind: 'forward', deliver: retargeted };
    const appTuple = { ...p, dport: ct.dport };
    if (this.#originated.has(ct) && p.payload.kind === 'http-request') {
      // The client's proxy saw the handshake fail and answers its app; the answer travels back
      // on the connection, so that proxy logs it against the request it forwarded.
      this.#env.answer(
        tcpReply(appTuple, { ACK: true, PSH: true }, this.#env.nowNs(), {
          kind: 'http-response',
          request: p.payload.request,
          response: upstreamFailure(verdict.reason),
        }),
      );
      return { kind: 'consumed' };
    }
    this.#reset(p, ct);
    return { kind: 'consumed' };
  }

  /**
   * A client no originating proxy carries: the terminating proxy completes the TCP handshake
   * itself on the TLS port (the app is not listening there), and resets at the first data.
   */
  #handshake(p: Packet): void {
    if (p.flags.SYN === true && p.flags.ACK !== true) this.#env.answer(tcpReply(p, { SYN: true, ACK: true }, this.#env.nowNs()));
    else if (p.flags.FIN === true) this.#env.answer(tcpReply(p, { FIN: true, ACK: true }, this.#env.nowNs()));
  }

  #reset(p: Packet, ct: CtEntry): void {
    this.#env.answer(tcpReply({ ...p, dport: ct.dport }, { RST: true, ACK: true }, this.#env.nowNs()));
  }
}

/** Envoy's local reply when the upstream TLS handshake failed: 503, `server: envoy`. */
function upstreamFailure(reason: string): HttpResponse {
  const base = httpResponse(503, `${UPSTREAM_FAILURE}${reason}`);
  const length = base.headers.find(([k]) => k === 'content-length')!;
  return { ...base, headers: [length, ['content-type', 'text/plain'], ['server', 'envoy']] };
}
