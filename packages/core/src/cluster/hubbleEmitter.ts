import type { Endpoint as SimEndpoint } from '../agent/endpoint.ts';
import type { CtEntry } from '../datapath/conntrack.ts';
import type { DropReason } from '../datapath/datapath.ts';
import { DropReasonCode } from '../datapath/dropReason.ts';
import type { FlowEmitter, L7Record } from '../datapath/flowEmitter.ts';
import type { Packet } from '../datapath/packet.ts';
import type { Direction, PolicyDecision, PolicyRef } from '../datapath/policyDecision.ts';
import { EventType, PolicyMatchType, TRACE_POINTS, type Endpoint, type Flow, type Layer4, type Policy, type Verdict } from '../hubble/flow.ts';
import { flowTimeAt } from '../hubble/flowTime.ts';
import { formatLabel } from '../identity/labels.ts';
import { identityName, reservedLabels } from '../identity/reserved.ts';
import type { Clock } from '../sim/clock.ts';
import type { Rng } from '../sim/rng.ts';

export interface HubbleEmitterEnv {
  readonly clock: Clock;
  readonly rng: Rng;
  readonly clusterName: string;
  endpoint(ip: string): SimEndpoint | undefined;
  identityOf(ip: string, viewer: string | undefined): number;
  /** Whether traffic between these two nodes is encrypted (WireGuard/IPsec). */
  encrypted(srcIp: string, dstIp: string): boolean;
  record(flow: Flow): void;
}

const AUTH_TYPE_ENUM = ['DISABLED', 'SPIRE', 'TEST_ALWAYS_FAIL'] as const;

/**
 * Turns the datapath's and proxy's monitor events into Hubble flows, with the fields Hubble's
 * parsers fill: endpoints with identity, labels and pod, service names, policy names.
 */
export class HubbleEmitter implements FlowEmitter {
  readonly #env: HubbleEmitterEnv;

  constructor(env: HubbleEmitterEnv) {
    this.#env = env;
  }

  trace(p: Packet, point: 'TO_ENDPOINT' | 'TO_STACK' | 'TO_PROXY', isReply: boolean, ct: CtEntry, nodeName: string | undefined): void {
    const sub = TRACE_POINTS.find((t) => t.enum === point)!.subType;
    this.#record(p, nodeName ?? '', {
      verdict: 'FORWARDED',
      event_type: { type: EventType.trace, sub_type: sub },
      trace_observation_point: point,
      trace_reason: isReply ? 'REPLY' : ct.established ? 'ESTABLISHED' : 'NEW',
      is_reply: isReply,
    }, ct, isReply);
  }

  policyVerdict(p: Packet, dir: Direction, decision: PolicyDecision, verdict: 'FORWARDED' | 'DROPPED' | 'AUDIT', nodeName: string): void {
    const policies = decision.policies.map(policyOf);
    const byKey = `${dir === 'INGRESS' ? 'ingress' : 'egress'}_${verdict === 'DROPPED' ? 'denied' : 'allowed'}_by` as const;
    this.#record(p, nodeName, {
      verdict,
      event_type: { type: EventType['policy-verdict'], ...(verdict === 'DROPPED' ? { sub_type: 0 } : {}) },
      traffic_direction: dir,
      policy_match_type: PolicyMatchType[decision.matchType as keyof typeof PolicyMatchType] ?? 0,
      ...(decision.authType === 0 ? {} : { auth_type: AUTH_TYPE_ENUM[decision.authType] }),
      ...(verdict === 'DROPPED' ? { drop_reason_desc: decision.denied ? 'POLICY_DENY' : 'POLICY_DENIED' } : {}),
      ...(policies.length === 0 ? {} : { [byKey]: policies }),
    }, undefined, false);
  }

  drop(p: Packet, dir: Direction, reason: DropReason, nodeName: string, decision: PolicyDecision): void {
    const code = DropReasonCode[reason];
    const policies = decision.policies.map(policyOf);
    const byKey = `${dir === 'INGRESS' ? 'ingress' : 'egress'}_denied_by` as const;
    this.#record(p, nodeName, {
      verdict: 'DROPPED',
      drop_reason: code,
      drop_reason_desc: reason,
      event_type: { type: EventType.drop, sub_type: code },
      traffic_direction: dir,
      ...(reason !== 'AUTH_REQUIRED' && policies.length > 0 ? { [byKey]: policies } : {}),
    }, undefined, false);
  }

  l7(p: Packet, dir: Direction, verdict: 'FORWARDED' | 'DROPPED', nodeName: string, record: L7Record, isReply: boolean, ct: CtEntry): void {
    this.#record(p, nodeName, {
      verdict,
      event_type: { type: EventType.l7 },
      traffic_direction: dir,
      l7: record as Flow['l7'] & object,
      is_reply: isReply,
    }, ct, isReply);
  }

  #record(p: Packet, nodeName: string, fields: Partial<Flow> & { verdict: Verdict; event_type: Flow['event_type'] }, ct: CtEntry | undefined, isReply: boolean): void {
    const env = this.#env;
    const src = this.#endpointOf(p.srcIp, nodeName);
    const dst = this.#endpointOf(p.dstIp, nodeName);
    const fe = ct?.frontend;
    const service = fe === undefined ? undefined : { name: fe.name, namespace: fe.namespace };
    const flow: Flow = {
      time: flowTimeAt(env.clock, env.clock.nowNs),
      uuid: env.rng.uuid(),
      IP: { source: p.srcIp, destination: p.dstIp, ipVersion: 'IPv4', ...(env.encrypted(p.srcIp, p.dstIp) ? { encrypted: true as const } : {}) },
      l4: layer4(p),
      source: src,
      destination: dst,
      Type: fields.l7 === undefined ? 'L3_L4' : 'L7',
      node_name: nodeName,
      ...(service !== undefined && !isReply ? { destination_service: service } : {}),
      ...(service !== undefined && isReply ? { source_service: service } : {}),
      ...fields,
    };
    env.record(flow);
  }

  #endpointOf(ip: string, viewer: string): Endpoint {
    const ep = this.#env.endpoint(ip);
    if (ep !== undefined) {
      return {
        ID: ep.id,
        identity: ep.identity,
        cluster_name: this.#env.clusterName,
        namespace: ep.namespace,
        labels: ep.identityLabels.map(formatLabel),
        pod_name: ep.podName,
        ...(ep.workload === undefined ? {} : { workloads: [ep.workload] }),
      };
    }
    const id = this.#env.identityOf(ip, viewer);
    const labels = identityName(id) === String(id) ? ['reserved:world'] : reservedLabels(id).map(formatLabel);
    return { identity: id, labels };
  }
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
