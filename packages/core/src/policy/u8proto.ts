import type { PolicyProtocol } from './types.ts';

/**
 * IANA protocol numbers (Cilium's pkg/u8proto): how policy map keys, the datapath's lookups and
 * `cilium policy trace` name an L4 protocol. Listed in the order errors offer them.
 */
export const PROTOCOL_NUMBERS: Readonly<Record<PolicyProtocol, number>> = { ICMP: 1, TCP: 6, UDP: 17, ICMPv6: 58, SCTP: 132 };

const NAMES: ReadonlyMap<number, PolicyProtocol> = new Map(
  Object.entries(PROTOCOL_NUMBERS).map(([name, n]) => [n, name as PolicyProtocol]),
);

/** `TCP` for 6; undefined for a number the sandbox does not model. */
export function protocolName(proto: number): PolicyProtocol | undefined {
  return NAMES.get(proto);
}
