/**
 * A Hubble flow, spelled as `hubble observe -o jsonpb` prints it: protojson with the proto
 * field names (api/v1/flow/flow.proto), enums as names, zero values omitted. Every optional
 * field below is one Hubble leaves out when it is zero, so a test can compare a flow with
 * the JSON a real cluster prints.
 */
import type { HubbleAuthType } from '../policy/authType.ts';
import type { Direction } from '../policy/direction.ts';

export type Verdict = 'FORWARDED' | 'DROPPED' | 'ERROR' | 'AUDIT' | 'REDIRECTED' | 'TRACED' | 'TRANSLATED';
export const VERDICTS: readonly Verdict[] = ['FORWARDED', 'DROPPED', 'AUDIT', 'REDIRECTED', 'ERROR', 'TRACED', 'TRANSLATED'];

/** Hubble's AuthType enum, from policy's one table of auth types. */
export type AuthType = HubbleAuthType;
export type TrafficDirection = Direction;
export type FlowType = 'L3_L4' | 'L7' | 'SOCK';
export type IpVersion = 'IPv4' | 'IPv6';
export type L7FlowType = 'REQUEST' | 'RESPONSE' | 'SAMPLE';
export type TraceReason = 'NEW' | 'ESTABLISHED' | 'REPLY' | 'RELATED' | 'REOPENED' | 'SRV6_ENCAP' | 'SRV6_DECAP' | 'ENCRYPT_OVERLAY';

/** Cilium monitor message types, the `event_type.type` of a flow (pkg/monitor/api/types.go). */
export const EventType = {
  drop: 1,
  debug: 2,
  capture: 3,
  trace: 4,
  'policy-verdict': 5,
  'trace-sock': 7,
  l7: 129,
  agent: 130,
} as const;
export type EventTypeName = keyof typeof EventType;

/**
 * Trace observation points: the name `hubble observe` prints in the type column, the
 * `event_type.sub_type` number of trace events, and the flow's `trace_observation_point` enum.
 */
export const TRACE_POINTS = [
  { subType: 0, name: 'to-endpoint', enum: 'TO_ENDPOINT' },
  { subType: 1, name: 'to-proxy', enum: 'TO_PROXY' },
  { subType: 2, name: 'to-host', enum: 'TO_HOST' },
  { subType: 3, name: 'to-stack', enum: 'TO_STACK' },
  { subType: 4, name: 'to-overlay', enum: 'TO_OVERLAY' },
  { subType: 5, name: 'from-endpoint', enum: 'FROM_ENDPOINT' },
  { subType: 6, name: 'from-proxy', enum: 'FROM_PROXY' },
  { subType: 7, name: 'from-host', enum: 'FROM_HOST' },
  { subType: 8, name: 'from-stack', enum: 'FROM_STACK' },
  { subType: 9, name: 'from-overlay', enum: 'FROM_OVERLAY' },
  { subType: 10, name: 'from-network', enum: 'FROM_NETWORK' },
  { subType: 11, name: 'to-network', enum: 'TO_NETWORK' },
  { subType: 12, name: 'to-crypto', enum: 'TO_CRYPTO' },
  { subType: 13, name: 'from-crypto', enum: 'FROM_CRYPTO' },
] as const;
export type TraceObservationPoint = (typeof TRACE_POINTS)[number]['enum'];
export type TracePointName = (typeof TRACE_POINTS)[number]['name'];

/** Policy match types of policy-verdict events (pkg/monitor/api/datapath_policy.go). */
export const PolicyMatchType = {
  none: 0,
  'L3-Only': 1,
  'L3-L4': 2,
  'L4-Only': 3,
  all: 4,
  'L3-Proto': 5,
  'Proto-Only': 6,
} as const;
export type PolicyMatchTypeName = keyof typeof PolicyMatchType;

const MATCH_NAMES = new Map<number, string>(Object.entries(PolicyMatchType).map(([k, v]) => [v, k]));

/** `L3-L4` for 2; `unknown` for numbers Cilium does not define, as its String() does. */
export function policyMatchTypeName(n: number): string {
  return MATCH_NAMES.get(n) ?? 'unknown';
}

export interface TcpFlags {
  readonly FIN?: true;
  readonly SYN?: true;
  readonly RST?: true;
  readonly PSH?: true;
  readonly ACK?: true;
  readonly URG?: true;
  readonly ECE?: true;
  readonly CWR?: true;
  readonly NS?: true;
}
export type TcpFlagName = keyof TcpFlags;

export interface PortPair {
  readonly source_port?: number;
  readonly destination_port?: number;
}
export interface Tcp extends PortPair {
  readonly flags?: TcpFlags;
}
export interface Icmp {
  readonly type?: number;
  readonly code?: number;
}

/** Exactly one protocol is set, as the proto's oneof. */
export type Layer4 =
  | { readonly TCP: Tcp }
  | { readonly UDP: PortPair }
  | { readonly SCTP: PortPair }
  | { readonly ICMPv4: Icmp }
  | { readonly ICMPv6: Icmp };

export interface Ip {
  readonly source: string;
  /** The source address after SNAT, when the observation point saw the packet translated. */
  readonly source_xlated?: string;
  readonly destination: string;
  readonly ipVersion: IpVersion;
  readonly encrypted?: true;
}

export interface Workload {
  readonly name: string;
  readonly kind: string;
}

export interface Endpoint {
  /** The Cilium endpoint id; absent for remote and world addresses. */
  readonly ID?: number;
  readonly identity?: number;
  readonly cluster_name?: string;
  readonly namespace?: string;
  /** `k8s:app=web`, `reserved:world`, sorted. */
  readonly labels?: readonly string[];
  readonly pod_name?: string;
  readonly workloads?: readonly Workload[];
}

export interface Service {
  readonly name: string;
  readonly namespace?: string;
}

export interface HttpHeader {
  readonly key: string;
  readonly value: string;
}
export interface Http {
  /** Absent on requests, set on responses. */
  readonly code?: number;
  readonly method?: string;
  readonly url?: string;
  readonly protocol?: string;
  readonly headers?: readonly HttpHeader[];
}
export interface Dns {
  /** The queried name with its trailing dot: `api.github.com.` */
  readonly query?: string;
  readonly ips?: readonly string[];
  readonly ttl?: number;
  readonly cnames?: readonly string[];
  /** `proxy` for the in-agent DNS proxy. */
  readonly observation_source?: string;
  /** DNS rcode number; absent = NOERROR. */
  readonly rcode?: number;
  readonly qtypes?: readonly string[];
  readonly rrtypes?: readonly string[];
}
export interface Layer7 {
  readonly type: L7FlowType;
  readonly latency_ns?: number;
  readonly http?: Http;
  readonly dns?: Dns;
}

export interface CiliumEventType {
  readonly type: number;
  readonly sub_type?: number;
}

export interface Policy {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: readonly string[];
  readonly revision?: number;
  /** `CiliumNetworkPolicy`, `CiliumClusterwideNetworkPolicy`, `NetworkPolicy`. */
  readonly kind: string;
}

export interface Flow {
  /** RFC 3339 with nanoseconds in UTC, as protojson prints a Timestamp: `2024-07-04T17:58:28.795123456Z`. */
  readonly time: string;
  readonly uuid?: string;
  readonly verdict: Verdict;
  /** The drop reason number (deprecated in Hubble, still filled on drops). */
  readonly drop_reason?: number;
  /** Only decoded from policy-verdict events; see normalizeFlow. */
  readonly auth_type?: AuthType;
  readonly IP?: Ip;
  readonly l4?: Layer4;
  readonly source?: Endpoint;
  readonly destination?: Endpoint;
  readonly Type?: FlowType;
  readonly node_name: string;
  readonly source_names?: readonly string[];
  readonly destination_names?: readonly string[];
  readonly l7?: Layer7;
  readonly event_type: CiliumEventType;
  readonly source_service?: Service;
  readonly destination_service?: Service;
  readonly traffic_direction?: TrafficDirection;
  readonly policy_match_type?: number;
  readonly trace_observation_point?: TraceObservationPoint;
  readonly trace_reason?: TraceReason;
  /** A DropReason enum name such as `POLICY_DENIED`. */
  readonly drop_reason_desc?: string;
  /** Absent means Hubble does not know the direction; the compact line then shows `<>`. */
  readonly is_reply?: boolean;
  readonly proxy_port?: number;
  readonly Summary?: string;
  readonly egress_allowed_by?: readonly Policy[];
  readonly ingress_allowed_by?: readonly Policy[];
  readonly egress_denied_by?: readonly Policy[];
  readonly ingress_denied_by?: readonly Policy[];
}

/** The L4 ports of a TCP, UDP or SCTP flow; undefined for ICMP and flows without L4. */
export function flowPorts(flow: Flow): PortPair | undefined {
  const l4 = flow.l4;
  if (l4 === undefined) return undefined;
  if ('TCP' in l4) return l4.TCP;
  if ('UDP' in l4) return l4.UDP;
  if ('SCTP' in l4) return l4.SCTP;
  return undefined;
}
