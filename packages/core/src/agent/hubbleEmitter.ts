import type { Endpoint as SimEndpoint } from './endpoint.ts';
import type { CtEntry } from '../datapath/conntrack.ts';
import { DropReasonCode, policyDropReason, type DropReason } from '../datapath/dropReason.ts';
import type { FlowEmitter, L7Record } from '../datapath/flowEmitter.ts';
import type { Packet } from '../datapath/packet.ts';
import { AUTH_TYPE, hubbleAuthType } from '../policy/authType.ts';
import { directionSide, type Direction } from '../policy/direction.ts';
import type { PolicyDecision, PolicyRef } from '../policy/policyDecision.ts';
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
import { flowTimeAt, instantAt, type FlowInstant } from '../hubble/flowTime.ts';
import { hash32 } from '../sim/rng.ts';
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
  /** Whether traffic between these two nodes is encrypted (WireGuard/IPsec). */
  encrypted(srcIp: string, dstIp: string): boolean;
  /** DNS names the FQDN cache holds for an outside IP (Hubble's source_names / destination_names). */
  names(ip: string): readonly string[];
  /** Stores a flow of `node` at instant `at`, built on demand. */
  record(node: string, at: FlowInstant, build: () => Flow): void;
}

const NO_NAMES: readonly string[] = Object.freeze([]);

const TRACE_SUB_TYPE = Object.fromEntries(TRACE_POINTS.map((t) => [t.enum, t.subType])) as Record<
  (typeof TRACE_POINTS)[number]['enum'],
  number
>;

/** A version-4 UUID that is a pure function of (seed, n), so reading flows in any order gives the same IDs. */
export function flowUuid(seed: number, n: number): string {
  const words = [0, 1, 2, 3].map((i) => hash32(`${seed}/flow/${n}/${i}`));
  const hex = words.map((w) => w.toString(16).padStart(8, '0')).join('');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Turns the datapath's and proxy's monitor events into Hubble flows, with the fields Hubble's
 * parsers fill: endpoints with identity, labels and pod, service names, policy names.
 */
export class HubbleEmitter implements FlowEmitter {
  readonly #env: HubbleEmitterEnv;
  readonly #described = new WeakMap<SimEndpoint, Endpoint>();
  #seq = 0;

  constructor(env: HubbleEmitterEnv) {
    this.#env = env;
  }

  trace(
    p: Packet,
    point: 'TO_ENDPOINT' | 'TO_STACK' | 'TO_PROXY' | 'TO_OVERLAY' | 'TO_NETWORK',
    isReply: boolean,
    ct: CtEntry,
    nodeName: string | undefined,
    sourceXlated?: string,
  ): void {
    // Conntrack state changes as the connection goes on: read it now, build the rest on demand.
    const reason = isReply ? 'REPLY' : ct.established ? 'ESTABLISHED' : 'NEW';
    this.#record(
      p,
      nodeName ?? '',
      () => ({
        verdict: 'FORWARDED',
        event_type: { type: EventType.trace, sub_type: TRACE_SUB_TYPE[point] },
        trace_observation_point: point,
        trace_reason: reason,
        is_reply: isReply,
      }),
      ct,
      isReply,
      sourceXlated,
    );
  }

  policyVerdict(p: Packet, dir: Direction, decision: PolicyDecision, verdict: 'FORWARDED' | 'DROPPED' | 'AUDIT', nodeName: string): void {
    const byKey = `${directionSide(dir)}_${verdict === 'DROPPED' ? 'denied' : 'allowed'}_by` as const;
    this.#record(
      p,
      nodeName,
      () => ({
        verdict,
        event_type: { type: EventType['policy-verdict'], ...(verdict === 'DROPPED' ? { sub_type: 0 } : {}) },
        traffic_direction: dir,
        policy_match_type: PolicyMatchType[decision.matchType as keyof typeof PolicyMatchType] ?? 0,
        ...(decision.authType === AUTH_TYPE.disabled ? {} : { auth_type: hubbleAuthType(decision.authType) }),
        ...(verdict === 'DROPPED' ? { drop_reason_desc: policyDropReason(decision) } : {}),
        ...(decision.policies.length === 0 ? {} : { [byKey]: decision.policies.map(policyOf) }),
      }),
      undefined,
      false,
    );
  }

  drop(p: Packet, dir: Direction, reason: DropReason, nodeName: string, decision: PolicyDecision): void {
    const code = DropReasonCode[reason];
    const byKey = `${directionSide(dir)}_denied_by` as const;
    this.#record(
      p,
      nodeName,
      () => ({
        verdict: 'DROPPED',
        drop_reason: code,
        drop_reason_desc: reason,
        event_type: { type: EventType.drop, sub_type: code },
        traffic_direction: dir,
        ...(reason !== 'AUTH_REQUIRED' && decision.policies.length > 0 ? { [byKey]: decision.policies.map(policyOf) } : {}),
      }),
      undefined,
      false,
    );
  }

  l7(p: Packet, dir: Direction, verdict: 'FORWARDED' | 'DROPPED', nodeName: string, record: L7Record, isReply: boolean, ct: CtEntry): void {
    this.#record(
      p,
      nodeName,
      () => ({
        verdict,
        event_type: { type: EventType.l7 },
        traffic_direction: dir,
        l7: record as Flow['l7'] & object,
        is_reply: isReply,
      }),
      ct,
      isReply,
    );
  }

  /**
   * Captures the event's facts now (endpoints, identities, names and service as they are at
   * this instant) and leaves building the Flow to whoever reads it.
   */
  #record(
    p: Packet,
    nodeName: string,
    eventFields: () => Partial<Flow> & { verdict: Verdict; event_type: Flow['event_type'] },
    ct: CtEntry | undefined,
    isReply: boolean,
    sourceXlated?: string,
  ): void {
    const env = this.#env;
    const nowNs = env.clock.nowNs;
    const src = this.#endpointOf(p.srcIp, nodeName);
    const dst = this.#endpointOf(p.dstIp, nodeName);
    const encrypted = env.encrypted(p.srcIp, p.dstIp);
    const srcNames = src.ID === undefined ? env.names(p.srcIp) : NO_NAMES;
    const dstNames = dst.ID === undefined ? env.names(p.dstIp) : NO_NAMES;
    const fe = ct?.frontend;
    const seq = this.#seq++;
    env.record(nodeName, instantAt(env.clock, nowNs), () => {
      const service = fe === undefined ? undefined : { name: fe.name, namespace: fe.namespace };
      const fields = eventFields();
      return {
        time: flowTimeAt(env.clock, nowNs),
        uuid: flowUuid(env.seed, seq),
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
    });
  }

  #endpointOf(ip: string, viewer: string): Endpoint {
    const ep = this.#env.endpoint(ip);
    if (ep !== undefined) {
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
    const id = this.#env.identityOf(ip, viewer);
    const labels = identityName(id) === String(id) ? ['reserved:world'] : reservedLabels(id).map(formatLabel);
    return { identity: id, labels };
  }
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
