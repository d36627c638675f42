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
import type { FlowSource } from '../hubble/observer.ts';
import { flowTimeAt } from '../hubble/flowTime.ts';
import { AUTH_TYPE, hubbleAuthType } from '../policy/authType.ts';
import { directionSide, type Direction } from '../policy/direction.ts';
import type { PolicyDecision, PolicyRef } from '../policy/policyDecision.ts';
import type { Clock } from '../sim/clock.ts';
import { hash32 } from '../sim/rng.ts';

/** What every flow of one emitter shares: the clock that stamps it and the seed of its UUID. */
export interface FlowStamp {
  readonly clock: Pick<Clock, 'startMs'>;
  readonly seed: number;
}

/** The facts of the moment an event happened, which a flow built later must still show. */
export interface FlowFacts {
  readonly p: Packet;
  readonly nodeName: string;
  readonly nowNs: number;
  readonly seq: number;
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly encrypted: boolean;
  readonly srcNames: readonly string[];
  readonly dstNames: readonly string[];
  readonly frontend: CtFrontend | undefined;
  readonly isReply: boolean;
  readonly sourceXlated: string | undefined;
}

type EventFields = Partial<Flow> & { verdict: Verdict; event_type: Flow['event_type'] };

/**
 * A monitor event as the agent's Hubble parser keeps it until someone reads the flow: the
 * event's facts as plain fields, one object per event and no closures, since most flows are
 * overwritten in the ring before anyone asks for them. `build` makes the Flow.
 */
export abstract class PendingFlow implements FlowSource {
  readonly #stamp: FlowStamp;
  readonly #facts: FlowFacts;

  constructor(stamp: FlowStamp, facts: FlowFacts) {
    this.#stamp = stamp;
    this.#facts = facts;
  }

  /** The fields of this kind of event: verdict, event type and what goes with them. */
  protected abstract eventFields(): EventFields;

  build(): Flow {
    const { p, nodeName, nowNs, seq, src, dst, encrypted, srcNames, dstNames, frontend: fe, isReply, sourceXlated } = this.#facts;
    const service = fe === undefined ? undefined : { name: fe.name, namespace: fe.namespace };
    const fields = this.eventFields();
    return {
      time: flowTimeAt(this.#stamp.clock, nowNs),
      uuid: flowUuid(this.#stamp.seed, seq),
      IP: {
        source: p.srcIp,
        ...(sourceXlated === undefined ? {} : { source_xlated: sourceXlated }),
        destination: p.dstIp,
        ipVersion: 'IPv4',
        ...(encrypted ? { encrypted: true as const } : {}),
      },
      l4: layer4(p),
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

export type TracePoint = 'TO_ENDPOINT' | 'TO_STACK' | 'TO_PROXY' | 'TO_OVERLAY' | 'TO_NETWORK';

/** A trace event: a packet passed an observation point. */
export class TraceFlow extends PendingFlow {
  readonly #point: TracePoint;
  readonly #reason: 'REPLY' | 'ESTABLISHED' | 'NEW';
  readonly #isReply: boolean;

  constructor(stamp: FlowStamp, facts: FlowFacts, point: TracePoint, reason: 'REPLY' | 'ESTABLISHED' | 'NEW') {
    super(stamp, facts);
    this.#point = point;
    this.#reason = reason;
    this.#isReply = facts.isReply;
  }

  protected eventFields(): EventFields {
    return {
      verdict: 'FORWARDED',
      event_type: { type: EventType.trace, sub_type: TRACE_SUB_TYPE[this.#point] },
      trace_observation_point: this.#point,
      trace_reason: this.#reason,
      is_reply: this.#isReply,
    };
  }
}

/** A policy-verdict event: the first packet of a connection in one direction, and its verdict. */
export class VerdictFlow extends PendingFlow {
  readonly #dir: Direction;
  readonly #decision: PolicyDecision;
  readonly #verdict: 'FORWARDED' | 'DROPPED' | 'AUDIT';

  constructor(stamp: FlowStamp, facts: FlowFacts, dir: Direction, decision: PolicyDecision, verdict: 'FORWARDED' | 'DROPPED' | 'AUDIT') {
    super(stamp, facts);
    this.#dir = dir;
    this.#decision = decision;
    this.#verdict = verdict;
  }

  protected eventFields(): EventFields {
    const verdict = this.#verdict;
    const decision = this.#decision;
    const byKey = `${directionSide(this.#dir)}_${verdict === 'DROPPED' ? 'denied' : 'allowed'}_by` as const;
    return {
      verdict,
      event_type: { type: EventType['policy-verdict'], ...(verdict === 'DROPPED' ? { sub_type: 0 } : {}) },
      traffic_direction: this.#dir,
      policy_match_type: PolicyMatchType[decision.matchType as keyof typeof PolicyMatchType] ?? 0,
      ...(decision.authType === AUTH_TYPE.disabled ? {} : { auth_type: hubbleAuthType(decision.authType) }),
      ...(verdict === 'DROPPED' ? { drop_reason_desc: policyDropReason(decision) } : {}),
      ...(decision.policies.length === 0 ? {} : { [byKey]: decision.policies.map(policyOf) }),
    };
  }
}

/** A drop event, with its reason. */
export class DropFlow extends PendingFlow {
  readonly #dir: Direction;
  readonly #reason: DropReason;
  readonly #decision: PolicyDecision;

  constructor(stamp: FlowStamp, facts: FlowFacts, dir: Direction, reason: DropReason, decision: PolicyDecision) {
    super(stamp, facts);
    this.#dir = dir;
    this.#reason = reason;
    this.#decision = decision;
  }

  protected eventFields(): EventFields {
    const reason = this.#reason;
    const code = DropReasonCode[reason];
    const byKey = `${directionSide(this.#dir)}_denied_by` as const;
    return {
      verdict: 'DROPPED',
      drop_reason: code,
      drop_reason_desc: reason,
      event_type: { type: EventType.drop, sub_type: code },
      traffic_direction: this.#dir,
      ...(reason !== 'AUTH_REQUIRED' && this.#decision.policies.length > 0 ? { [byKey]: this.#decision.policies.map(policyOf) } : {}),
    };
  }
}

/** An access-log record of the L7 proxy. */
export class L7Flow extends PendingFlow {
  readonly #dir: Direction;
  readonly #verdict: 'FORWARDED' | 'DROPPED';
  readonly #record: L7Record;
  readonly #isReply: boolean;

  constructor(stamp: FlowStamp, facts: FlowFacts, dir: Direction, verdict: 'FORWARDED' | 'DROPPED', record: L7Record) {
    super(stamp, facts);
    this.#dir = dir;
    this.#verdict = verdict;
    this.#record = record;
    this.#isReply = facts.isReply;
  }

  protected eventFields(): EventFields {
    return {
      verdict: this.#verdict,
      event_type: { type: EventType.l7 },
      traffic_direction: this.#dir,
      l7: this.#record as Flow['l7'] & object,
      is_reply: this.#isReply,
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

function layer4(p: Packet): Layer4 {
  switch (p.proto) {
    case 'TCP':
      return { TCP: { source_port: p.sport, destination_port: p.dport, flags: p.flags } };
    case 'UDP':
      return { UDP: { source_port: p.sport, destination_port: p.dport } };
    case 'SCTP':
      return { SCTP: { source_port: p.sport, destination_port: p.dport } };
    case 'ICMP':
      return { ICMPv4: { type: p.dport === 0 ? 0 : 8 } };
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
