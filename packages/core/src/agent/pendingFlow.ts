import type { CtFrontend } from '../datapath/conntrack.ts';
import { DropReasonCode, policyDropReason, type DropReason } from '../datapath/dropReason.ts';
import type { L7Record } from '../datapath/flowEmitter.ts';
import type { Packet } from '../datapath/packet.ts';
import {
  EventType,
  PolicyMatchType,
  TRACE_POINTS,
  type Endpoint,
  type Flow,
  type Layer4,
  type Policy,
  type Verdict,
} from '../hubble/flow.ts';
import { LazyFlowRecord } from '../hubble/observer.ts';
import { flowTimeAt, instantAt, type FlowInstant } from '../hubble/flowTime.ts';
import { AUTH_TYPE, hubbleAuthType } from '../policy/authType.ts';
import { directionSide, type Direction } from '../policy/direction.ts';
import type { PolicyDecision, PolicyRef } from '../policy/policyDecision.ts';
import type { Clock } from '../sim/clock.ts';
import type { Endpoint as SimEndpoint } from './endpoint.ts';
import { hash32 } from '../sim/rng.ts';

/** What every flow of one emitter shares: the clock that stamps it and the seed of its UUID. */
export interface FlowStamp {
  readonly clock: Pick<Clock, 'startMs'>;
  readonly seed: number;
  /** Hubble's description of a flow's end: an endpoint, or an identity without one. */
  describe(end: FlowEnd): Endpoint;
}

/** A flow's source or destination as recorded: the endpoint at that address, or the address's identity. */
export type FlowEnd = SimEndpoint | number;

export type TracePoint = 'TO_ENDPOINT' | 'TO_STACK' | 'TO_PROXY' | 'TO_OVERLAY' | 'TO_NETWORK';
export type TraceEventReason = 'REPLY' | 'ESTABLISHED' | 'NEW';

/** What happened, by kind of monitor event: the part of a flow that is not the packet's. */
export type FlowEvent =
  | { readonly kind: 'trace'; readonly point: TracePoint; readonly reason: TraceEventReason }
  | {
      readonly kind: 'policy-verdict';
      readonly dir: Direction;
      readonly decision: PolicyDecision;
      readonly verdict: 'FORWARDED' | 'DROPPED' | 'AUDIT';
    }
  | { readonly kind: 'drop'; readonly dir: Direction; readonly reason: DropReason; readonly decision: PolicyDecision }
  | { readonly kind: 'l7'; readonly dir: Direction; readonly verdict: 'FORWARDED' | 'DROPPED'; readonly record: L7Record };

const TRACE_EVENT_POINTS: readonly TracePoint[] = ['TO_ENDPOINT', 'TO_STACK', 'TO_PROXY', 'TO_OVERLAY', 'TO_NETWORK'];

/** The three trace events of one observation point, by reason. */
interface PointEvents {
  readonly REPLY: FlowEvent;
  readonly ESTABLISHED: FlowEvent;
  readonly NEW: FlowEvent;
}

/** Trace events by point, then reason: fifteen constants, so recording a trace allocates none. */
const TRACE_EVENTS: Readonly<Record<TracePoint, PointEvents>> = Object.freeze(
  Object.fromEntries(TRACE_EVENT_POINTS.map((point) => [point, pointEvents(point)])) as Record<TracePoint, PointEvents>,
);

function pointEvents(point: TracePoint): PointEvents {
  const event = (reason: TraceEventReason): FlowEvent => Object.freeze({ kind: 'trace', point, reason });
  return Object.freeze({ REPLY: event('REPLY'), ESTABLISHED: event('ESTABLISHED'), NEW: event('NEW') });
}

/**
 * The trace event of `point` and `reason`. Compared one by one rather than looked up by name or
 * index: a lookup with a key that changes from call to call is a hash probe or a generic element
 * load, and every flow asks.
 */
export function traceEvent(point: TracePoint, reason: TraceEventReason): FlowEvent {
  const byReason =
    point === 'TO_ENDPOINT'
      ? TO_ENDPOINT
      : point === 'TO_STACK'
        ? TO_STACK
        : point === 'TO_OVERLAY'
          ? TO_OVERLAY
          : point === 'TO_NETWORK'
            ? TO_NETWORK
            : TRACE_EVENTS[point];
  return reason === 'REPLY' ? byReason.REPLY : reason === 'ESTABLISHED' ? byReason.ESTABLISHED : byReason.NEW;
}

const TO_ENDPOINT = TRACE_EVENTS.TO_ENDPOINT;
const TO_STACK = TRACE_EVENTS.TO_STACK;
const TO_OVERLAY = TRACE_EVENTS.TO_OVERLAY;
const TO_NETWORK = TRACE_EVENTS.TO_NETWORK;

/** The facts of the moment an event happened, which a flow built later must still show. */
export interface FlowFacts {
  readonly proto: Packet['proto'];
  readonly srcIp: string;
  readonly dstIp: string;
  readonly sport: number;
  readonly dport: number;
  readonly flags: Packet['flags'];
  readonly nodeName: string;
  readonly nowNs: number;
  /** The emitter's count of flows before this one, which its UUID derives from. */
  readonly number: number;
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly encrypted: boolean;
  readonly srcNames: readonly string[];
  readonly dstNames: readonly string[];
  readonly frontend: CtFrontend | undefined;
  readonly isReply: boolean;
  readonly sourceXlated: string | undefined;
}

/** The facts most flows lack (names from the FQDN cache, an SNAT source), kept apart when present. */
interface RareFacts {
  readonly srcNames: readonly string[];
  readonly dstNames: readonly string[];
  readonly sourceXlated: string | undefined;
}

const NO_NAMES: readonly string[] = Object.freeze([]);
const ENCRYPTED = 1;
const IS_REPLY = 2;

type EventFields = Partial<Flow> & { verdict: Verdict; event_type: Flow['event_type'] };

/**
 * A monitor event as the agent's Hubble parser keeps it until someone reads the flow: the
 * facts of the moment as plain fields of one object, and no closures, since most flows are
 * overwritten in the ring before anyone asks for them. The packet's header fields are copied
 * rather than the packet kept, so the packet (and its payload) dies young while the record waits
 * in the ring; rare facts sit in one optional object. `build` makes the Flow.
 */
export class PendingFlow extends LazyFlowRecord implements FlowFacts {
  stamp!: FlowStamp;
  event!: FlowEvent;
  proto!: Packet['proto'];
  srcIp!: string;
  dstIp!: string;
  /** Source port times 65536 plus destination port. */
  #ports = 0;
  flags!: Packet['flags'];
  nodeName!: string;
  nowNs = 0;
  number = 0;
  #src: FlowEnd = 0;
  #dst: FlowEnd = 0;
  frontend: CtFrontend | undefined;
  #bits = 0;
  #rare: RareFacts | undefined;
  #at: FlowInstant | undefined;

  /**
   * Makes this record an event's: a new record's first facts, or another event's for the record
   * the ring is about to overwrite when no reader holds it (NodeFlowRing.reusable). The facts
   * come as arguments rather than as one object: a flow is recorded for every packet.
   */
  refill(
    stamp: FlowStamp,
    event: FlowEvent,
    p: Packet,
    nodeName: string,
    nowNs: number,
    number: number,
    src: FlowEnd,
    dst: FlowEnd,
    encrypted: boolean,
    srcNames: readonly string[],
    dstNames: readonly string[],
    frontend: CtFrontend | undefined,
    isReply: boolean,
    sourceXlated: string | undefined,
  ): this {
    this.forget();
    this.seq = -1;
    this.stamp = stamp;
    this.event = event;
    this.proto = p.proto;
    this.srcIp = p.srcIp;
    this.dstIp = p.dstIp;
    this.#ports = p.sport * 65536 + p.dport;
    this.flags = p.flags;
    this.nodeName = nodeName;
    this.nowNs = nowNs;
    this.number = number;
    this.#src = src;
    this.#dst = dst;
    this.frontend = frontend;
    this.#bits = (encrypted ? ENCRYPTED : 0) | (isReply ? IS_REPLY : 0);
    this.#rare =
      srcNames.length === 0 && dstNames.length === 0 && sourceXlated === undefined ? undefined : { srcNames, dstNames, sourceXlated };
    this.#at = undefined;
    return this;
  }

  /** The source as Hubble describes it, made when the flow is read. */
  get src(): Endpoint {
    return this.stamp.describe(this.#src);
  }

  get dst(): Endpoint {
    return this.stamp.describe(this.#dst);
  }

  get sport(): number {
    return Math.floor(this.#ports / 65536);
  }

  get dport(): number {
    return this.#ports % 65536;
  }

  get encrypted(): boolean {
    return (this.#bits & ENCRYPTED) !== 0;
  }

  get isReply(): boolean {
    return (this.#bits & IS_REPLY) !== 0;
  }

  get srcNames(): readonly string[] {
    return this.#rare?.srcNames ?? NO_NAMES;
  }

  get dstNames(): readonly string[] {
    return this.#rare?.dstNames ?? NO_NAMES;
  }

  get sourceXlated(): string | undefined {
    return this.#rare?.sourceXlated;
  }

  /** The flow's instant, made when the relay first sorts or a reader asks. */
  override get at(): FlowInstant {
    if (this.#at === undefined) this.#at = instantAt(this.stamp.clock, this.nowNs);
    return this.#at;
  }

  protected override build(): Flow {
    const { nodeName, nowNs, number, src, dst, encrypted, srcNames, dstNames, frontend: fe, isReply, sourceXlated } = this;
    const service = fe === undefined ? undefined : { name: fe.name, namespace: fe.namespace };
    const fields = eventFields(this.event, isReply);
    return {
      time: flowTimeAt(this.stamp.clock, nowNs),
      uuid: flowUuid(this.stamp.seed, number),
      IP: {
        source: this.srcIp,
        ...(sourceXlated === undefined ? {} : { source_xlated: sourceXlated }),
        destination: this.dstIp,
        ipVersion: 'IPv4',
        ...(encrypted ? { encrypted: true as const } : {}),
      },
      l4: layer4(this.proto, this.sport, this.dport, this.flags),
      source: src,
      destination: dst,
      Type: fields.l7 === undefined ? 'L3_L4' : 'L7',
      node_name: nodeName,
      ...namesOf('source_names', srcNames),
      ...namesOf('destination_names', dstNames),
      ...(service !== undefined && !isReply ? { destination_service: service } : {}),
      ...(service !== undefined && isReply ? { source_service: service } : {}),
      ...fields,
    };
  }
}

const TRACE_SUB_TYPE = Object.fromEntries(TRACE_POINTS.map((t) => [t.enum, t.subType])) as Record<
  (typeof TRACE_POINTS)[number]['enum'],
  number
>;

/** The fields of one kind of event: verdict, event type and what goes with them. */
function eventFields(e: FlowEvent, isReply: boolean): EventFields {
  switch (e.kind) {
    case 'trace':
      return {
        verdict: 'FORWARDED',
        event_type: { type: EventType.trace, sub_type: TRACE_SUB_TYPE[e.point] },
        trace_observation_point: e.point,
        trace_reason: e.reason,
        is_reply: isReply,
      };
    case 'policy-verdict': {
      const { verdict, decision } = e;
      const byKey = `${directionSide(e.dir)}_${verdict === 'DROPPED' ? 'denied' : 'allowed'}_by` as const;
      return {
        verdict,
        event_type: { type: EventType['policy-verdict'], ...(verdict === 'DROPPED' ? { sub_type: 0 } : {}) },
        traffic_direction: e.dir,
        policy_match_type: PolicyMatchType[decision.matchType as keyof typeof PolicyMatchType] ?? 0,
        ...(decision.authType === AUTH_TYPE.disabled ? {} : { auth_type: hubbleAuthType(decision.authType) }),
        ...(verdict === 'DROPPED' ? { drop_reason_desc: policyDropReason(decision) } : {}),
        ...(decision.policies.length === 0 ? {} : { [byKey]: decision.policies.map(policyOf) }),
      };
    }
    case 'drop': {
      const code = DropReasonCode[e.reason];
      const byKey = `${directionSide(e.dir)}_denied_by` as const;
      return {
        verdict: 'DROPPED',
        drop_reason: code,
        drop_reason_desc: e.reason,
        event_type: { type: EventType.drop, sub_type: code },
        traffic_direction: e.dir,
        ...(e.reason !== 'AUTH_REQUIRED' && e.decision.policies.length > 0 ? { [byKey]: e.decision.policies.map(policyOf) } : {}),
      };
    }
    case 'l7':
      return {
        verdict: e.verdict,
        event_type: { type: EventType.l7 },
        traffic_direction: e.dir,
        l7: e.record as Flow['l7'] & object,
        is_reply: isReply,
      };
  }
}

/** A version-4 UUID that is a pure function of (seed, n), so reading flows in any order gives the same IDs. */
export function flowUuid(seed: number, n: number): string {
  const words = [0, 1, 2, 3].map((i) => hash32(`${seed}/flow/${n}/${i}`));
  const hex = words.map((w) => w.toString(16).padStart(8, '0')).join('');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function namesOf(key: 'source_names' | 'destination_names', names: readonly string[]): Partial<Flow> {
  return names.length === 0 ? {} : { [key]: [...names] };
}

function layer4(proto: Packet['proto'], sport: number, dport: number, flags: Packet['flags']): Layer4 {
  switch (proto) {
    case 'TCP':
      return { TCP: { source_port: sport, destination_port: dport, flags } };
    case 'UDP':
      return { UDP: { source_port: sport, destination_port: dport } };
    case 'SCTP':
      return { SCTP: { source_port: sport, destination_port: dport } };
    case 'ICMP':
      return { ICMPv4: { type: dport === 0 ? 0 : 8 } };
  }
}

function policyOf(r: PolicyRef): Policy {
  return {
    name: r.name,
    ...(r.namespace === undefined ? {} : { namespace: r.namespace }),
    labels: [
      `k8s:io.cilium.k8s.policy.derived-from=${r.kind}`,
      `k8s:io.cilium.k8s.policy.name=${r.name}`,
      ...(r.namespace === undefined ? [] : [`k8s:io.cilium.k8s.policy.namespace=${r.namespace}`]),
    ],
    ...(r.revision === undefined ? {} : { revision: r.revision }),
    kind: r.kind,
  };
}
