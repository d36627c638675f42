/**
 * Cilium's drop reasons: the number the datapath reports, the `drop_reason_desc` enum name a
 * Hubble flow carries, and the text `hubble observe` prints in the type column
 * (pkg/monitor/api/drop.go, api/v1/flow/flow.proto).
 */
export interface DropReasonInfo {
  readonly code: number;
  /** The flow.proto DropReason name, e.g. `POLICY_DENIED`. */
  readonly desc: string;
  /** What `hubble observe` prints, e.g. `Policy denied`. */
  readonly text: string;
}

const TABLE: readonly (readonly [number, string, string])[] = [
  [130, 'INVALID_SOURCE_MAC', 'Invalid source mac'],
  [131, 'INVALID_DESTINATION_MAC', 'Invalid destination mac'],
  [132, 'INVALID_SOURCE_IP', 'Invalid source ip'],
  [133, 'POLICY_DENIED', 'Policy denied'],
  [134, 'INVALID_PACKET_DROPPED', 'Invalid packet'],
  [135, 'CT_TRUNCATED_OR_INVALID_HEADER', 'CT: Truncated or invalid header'],
  [136, 'CT_MISSING_TCP_ACK_FLAG', 'Fragmentation needed'],
  [137, 'CT_UNKNOWN_L4_PROTOCOL', 'CT: Unknown L4 protocol'],
  [139, 'UNSUPPORTED_L3_PROTOCOL', 'Unsupported L3 protocol'],
  [140, 'MISSED_TAIL_CALL', 'Missed tail call'],
  [141, 'ERROR_WRITING_TO_PACKET', 'Error writing to packet'],
  [142, 'UNKNOWN_L4_PROTOCOL', 'Unknown L4 protocol'],
  [143, 'UNKNOWN_ICMPV4_CODE', 'Unknown ICMPv4 code'],
  [144, 'UNKNOWN_ICMPV4_TYPE', 'Unknown ICMPv4 type'],
  [145, 'UNKNOWN_ICMPV6_CODE', 'Unknown ICMPv6 code'],
  [146, 'UNKNOWN_ICMPV6_TYPE', 'Unknown ICMPv6 type'],
  [150, 'UNKNOWN_L3_TARGET_ADDRESS', 'Unknown L3 target address'],
  [151, 'STALE_OR_UNROUTABLE_IP', 'Stale or unroutable IP'],
  [155, 'CT_MAP_INSERTION_FAILED', 'CT: Map insertion failed'],
  [157, 'IP_FRAGMENTATION_NOT_SUPPORTED', 'IP fragmentation not supported'],
  [158, 'SERVICE_BACKEND_NOT_FOUND', 'Service backend not found'],
  [160, 'NO_TUNNEL_OR_ENCAPSULATION_ENDPOINT', 'No tunnel/encapsulation endpoint (datapath BUG!)'],
  [164, 'LOCAL_HOST_IS_UNREACHABLE', 'Local host is unreachable'],
  [165, 'NO_CONFIGURATION_AVAILABLE_TO_PERFORM_POLICY_DECISION', 'No configuration available to perform policy decision'],
  [166, 'UNSUPPORTED_L2_PROTOCOL', 'Unsupported L2 protocol'],
  [169, 'FIB_LOOKUP_FAILED', 'FIB lookup failed'],
  [170, 'ENCAPSULATION_TRAFFIC_IS_PROHIBITED', 'Encapsulation traffic is prohibited'],
  [171, 'INVALID_IDENTITY', 'Invalid identity'],
  [172, 'UNKNOWN_SENDER', 'Unknown sender'],
  [176, 'FORBIDDEN_ICMPV6_MESSAGE', 'Forbidden ICMPv6 message'],
  [177, 'DENIED_BY_LB_SRC_RANGE_CHECK', 'Denied by LB src range check'],
  [180, 'PROXY_REDIRECTION_NOT_SUPPORTED_FOR_PROTOCOL', 'Proxy redirection not supported for protocol'],
  [181, 'POLICY_DENY', 'Policy denied by denylist'],
  [189, 'AUTH_REQUIRED', 'Authentication required'],
  [190, 'CT_NO_MAP_FOUND', 'No conntrack map found'],
  [191, 'SNAT_NO_MAP_FOUND', 'No nat map found'],
  [192, 'INVALID_CLUSTER_ID', 'Invalid ClusterID'],
  [194, 'NO_EGRESS_GATEWAY', 'No egress gateway found'],
  [195, 'UNENCRYPTED_TRAFFIC', 'Traffic is unencrypted'],
  [196, 'TTL_EXCEEDED', 'TTL exceeded'],
  [197, 'NO_NODE_ID', 'No node ID found'],
  [198, 'DROP_RATE_LIMITED', 'Rate limited'],
  [202, 'DROP_HOST_NOT_READY', 'Host datapath not ready'],
  [203, 'DROP_EP_NOT_READY', 'Endpoint policy program not available'],
  [204, 'DROP_NO_EGRESS_IP', 'No Egress IP configured'],
  [205, 'DROP_PUNT_PROXY', 'Punt to proxy'],
  [206, 'DROP_NO_DEVICE', 'No device'],
];

const BY_CODE = new Map<number, DropReasonInfo>(TABLE.map(([code, desc, text]) => [code, Object.freeze({ code, desc, text })]));
const BY_DESC = new Map<string, DropReasonInfo>([...BY_CODE.values()].map((r) => [r.desc, r]));

/** The drop reasons the datapath can report (the ones in Cilium's table that the simulator knows). */
export const DROP_REASONS: readonly DropReasonInfo[] = [...BY_CODE.values()];

/** Numbers the simulator's datapath emits, named as in Cilium's bpf/lib/common.h. */
export const DropReasonCode = {
  POLICY_DENIED: 133,
  SERVICE_BACKEND_NOT_FOUND: 158,
  INVALID_IDENTITY: 171,
  POLICY_DENY: 181,
  AUTH_REQUIRED: 189,
  NO_EGRESS_GATEWAY: 194,
  NO_NODE_ID: 197,
  DROP_NO_EGRESS_IP: 204,
  DROP_PUNT_PROXY: 205,
} as const;

/** A drop reason the simulator reports, by its flow.proto name: `POLICY_DENIED`, `AUTH_REQUIRED`. */
export type DropReason = keyof typeof DropReasonCode;

/**
 * Why the datapath drops a packet its policy map does not allow: an explicit deny rule matched
 * (`POLICY_DENY`, 181) or nothing allowed it (`POLICY_DENIED`, 133).
 */
export function policyDropReason(decision: { readonly denied: boolean }): Extract<DropReason, 'POLICY_DENY' | 'POLICY_DENIED'> {
  return decision.denied ? 'POLICY_DENY' : 'POLICY_DENIED';
}

export function dropReasonByCode(code: number): DropReasonInfo | undefined {
  return BY_CODE.get(code);
}

/** Looks up `POLICY_DENIED`; names are case-sensitive, as Hubble's enum lookup is. */
export function dropReasonByDesc(desc: string): DropReasonInfo | undefined {
  return BY_DESC.get(desc);
}

/**
 * The text Hubble prints for a drop reason number. Cilium prints an unknown number as
 * `<number>, <extended error>`, so `dropReasonText(250)` is `250, 0`.
 */
export function dropReasonText(code: number): string {
  return BY_CODE.get(code)?.text ?? `${code}, 0`;
}
