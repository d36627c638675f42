import type { Endpoint as SimEndpoint } from './endpoint.ts';
import type { CtEntry } from '../datapath/conntrack.ts';
import type { DropReason } from '../datapath/dropReason.ts';
import type { FlowEmitter, L7Record } from '../datapath/flowEmitter.ts';
import type { Packet } from '../datapath/packet.ts';
import type { Direction } from '../policy/direction.ts';
import type { PolicyDecision } from '../policy/policyDecision.ts';
import type { Endpoint } from '../hubble/flow.ts';
import type { FlowRecord, NodeFlowRing } from '../hubble/observer.ts';
import { type FlowEnd, type FlowEvent, type FlowStamp, PendingFlow, type TracePoint, traceEvent } from './pendingFlow.ts';
import { formatLabel } from '../identity/labels.ts';
import { identityName, reservedLabels } from '../identity/reserved.ts';
import type { Clock } from '../sim/clock.ts';

export interface HubbleEmitterEnv {
  readonly clock: Clock;
  /** The cluster's seed: flow UUIDs derive from it and the flow's sequence number. */
  readonly seed: number;
  readonly clusterName: string;
  endpoint(ip: string): SimEndpoint | undefined;
  identityOf(ip: string, viewer: string | undefined): number;
  /**
   * Whether traffic between these two addresses' nodes is encrypted (WireGuard/IPsec);
   * undefined when the cluster encrypts nothing, so a flow asks nothing.
   */
  readonly encrypted: ((srcIp: string, dstIp: string) => boolean) | undefined;
  /** DNS names the FQDN cache holds for an outside IP (Hubble's source_names / destination_names). */
  names(ip: string): readonly string[];
  /** The ring `node`'s flows go to (its agent's Hubble server); asked once per node name. */
  ring(node: string): NodeFlowRing;
  /** Told each flow as it is recorded (the cluster's `flow` listeners). */
  recorded(rec: FlowRecord): void;
}

const NO_NAMES: readonly string[] = Object.freeze([]);

/**
 * Turns the datapath's and proxy's monitor events into Hubble flows, with the fields Hubble's
 * parsers fill: endpoints with identity, labels and pod, service names, policy names.
 */
export class HubbleEmitter implements FlowEmitter {
  readonly #env: HubbleEmitterEnv;
  readonly #described = new WeakMap<SimEndpoint, Endpoint>();
  readonly #stamp: FlowStamp;
  /** Each node's ring, found once: a flow is recorded for every packet. */
  readonly #rings = new Map<string, NodeFlowRing>();
  /** The two nodes recorded for last and their rings: a packet crossing nodes alternates between two. */
  #lastNode = '';
  #lastRing: NodeFlowRing | undefined;
  #otherNode = '';
  #otherRing: NodeFlowRing | undefined;
  #seq = 0;

  constructor(env: HubbleEmitterEnv) {
    this.#env = env;
    this.#stamp = { clock: env.clock, seed: env.seed, describe: (end) => this.#describe(end) };
  }

  trace(p: Packet, point: TracePoint, isReply: boolean, ct: CtEntry, nodeName: string | undefined, sourceXlated?: string): void {
    // Conntrack state changes as the connection goes on: read it now, build the rest on demand.
    const reason = isReply ? 'REPLY' : ct.established ? 'ESTABLISHED' : 'NEW';
    this.#record(traceEvent(point, reason), p, nodeName ?? '', ct, isReply, sourceXlated);
  }

  policyVerdict(p: Packet, dir: Direction, decision: PolicyDecision, verdict: Verdict, nodeName: string): void {
    this.#record(verdictEvent(dir, decision, verdict), p, nodeName, undefined, false);
  }

  drop(p: Packet, dir: Direction, reason: DropReason, nodeName: string, decision: PolicyDecision): void {
    this.#record({ kind: 'drop', dir, reason, decision }, p, nodeName, undefined, false);
  }

  l7(p: Packet, dir: Direction, verdict: 'FORWARDED' | 'DROPPED', nodeName: string, record: L7Record, isReply: boolean, ct: CtEntry): void {
    this.#record({ kind: 'l7', dir, verdict, record }, p, nodeName, ct, isReply);
  }

  /**
   * Captures the event's facts now (endpoints, identities, names and service as they are at
   * this instant) and leaves building the Flow to whoever reads it.
   */
  #record(event: FlowEvent, p: Packet, nodeName: string, ct: CtEntry | undefined, isReply: boolean, sourceXlated?: string): void {
    const env = this.#env;
    const nowNs = env.clock.nowNs;
    // The ends as they are now (endpoints are immutable, an identity a number); described when read.
    const src = env.endpoint(p.srcIp) ?? env.identityOf(p.srcIp, nodeName);
    const dst = env.endpoint(p.dstIp) ?? env.identityOf(p.dstIp, nodeName);
    const number = this.#seq++;
    const encrypted = env.encrypted?.(p.srcIp, p.dstIp) === true;
    const srcNames = typeof src === 'number' ? env.names(p.srcIp) : NO_NAMES;
    const dstNames = typeof dst === 'number' ? env.names(p.dstIp) : NO_NAMES;
    const fe = ct?.frontend;
    const ring = this.#ring(nodeName);
    // The ring's oldest record, when nobody holds it, is refilled rather than a new one made.
    const old = ring.reusable();
    const stamp = this.#stamp;
    const flow = (old instanceof PendingFlow ? old : new PendingFlow()).refill(
      stamp,
      event,
      p,
      nodeName,
      nowNs,
      number,
      src,
      dst,
      encrypted,
      srcNames,
      dstNames,
      fe,
      isReply,
      sourceXlated,
    );
    env.recorded(ring.recordLazy(flow));
  }

  #ring(node: string): NodeFlowRing {
    if (node === this.#lastNode && this.#lastRing !== undefined) return this.#lastRing;
    let ring = node === this.#otherNode ? this.#otherRing : undefined;
    if (ring === undefined) {
      ring = this.#rings.get(node);
      if (ring === undefined) this.#rings.set(node, (ring = this.#env.ring(node)));
    }
    this.#otherNode = this.#lastNode;
    this.#otherRing = this.#lastRing;
    this.#lastNode = node;
    this.#lastRing = ring;
    return ring;
  }

  #describe(end: FlowEnd): Endpoint {
    if (typeof end !== 'number') {
      const ep = end;
      // One frozen description per endpoint object: endpoints are immutable, so it never goes stale.
      let described = this.#described.get(ep);
      if (described === undefined) {
        described = Object.freeze({
          ID: ep.id,
          identity: ep.identity,
          cluster_name: this.#env.clusterName,
          namespace: ep.namespace,
          labels: ep.identityLabels.map(formatLabel),
          pod_name: ep.podName,
          ...(ep.workload === undefined ? {} : { workloads: [ep.workload] }),
        });
        this.#described.set(ep, described);
      }
      return described;
    }
    const id = end;
    const labels = identityName(id) === String(id) ? ['reserved:world'] : reservedLabels(id).map(formatLabel);
    return { identity: id, labels };
  }
}

type Verdict = 'FORWARDED' | 'DROPPED' | 'AUDIT';

/**
 * The policy-verdict event for one decision, direction and verdict, made once: decisions are the
 * policy map's shared entries, and a record in the Hubble ring that pointed to an event made per
 * connection would keep that event alive (and promoted) until the ring came round.
 */
function verdictEvent(dir: Direction, decision: PolicyDecision, verdict: Verdict): FlowEvent {
  let byKey = VERDICT_EVENTS.get(decision);
  if (byKey === undefined) VERDICT_EVENTS.set(decision, (byKey = new Map()));
  const key = dir === 'INGRESS' ? verdict : `E${verdict}`;
  let event = byKey.get(key);
  if (event === undefined) byKey.set(key, (event = Object.freeze({ kind: 'policy-verdict', dir, decision, verdict } as const)));
  return event;
}

const VERDICT_EVENTS = new WeakMap<PolicyDecision, Map<string, FlowEvent>>();
