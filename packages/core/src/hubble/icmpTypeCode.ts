/**
 * ICMP type/code names as gopacket's TypeCode.String() prints them, which is what Hubble puts
 * in a flow summary: `ICMPv4 EchoRequest`, `ICMPv4 DestinationUnreachable(Port)`.
 */
interface TypeInfo {
  readonly name: string;
  readonly codes?: readonly string[];
}

const V4: Readonly<Record<number, TypeInfo>> = {
  0: { name: 'EchoReply' },
  3: {
    name: 'DestinationUnreachable',
    codes: [
      'Net',
      'Host',
      'Protocol',
      'Port',
      'FragmentationNeeded',
      'SourceRoutingFailed',
      'NetUnknown',
      'HostUnknown',
      'SourceIsolated',
      'NetAdminProhibited',
      'HostAdminProhibited',
      'NetTOS',
      'HostTOS',
      'CommAdminProhibited',
      'HostPrecedence',
      'PrecedenceCutoff',
    ],
  },
  4: { name: 'SourceQuench' },
  5: { name: 'Redirect', codes: ['Network', 'Host', 'TOS+Network', 'TOS+Host'] },
  8: { name: 'EchoRequest' },
  9: { name: 'RouterAdvertisement' },
  10: { name: 'RouterSolicitation' },
  11: { name: 'TimeExceeded', codes: ['TTLExceeded', 'FragmentReassemblyTimeExceeded'] },
  12: { name: 'ParameterProblem', codes: ['PointerIndicatesError', 'MissingOption', 'BadLength'] },
  13: { name: 'TimestampRequest' },
  14: { name: 'TimestampReply' },
};

const V6: Readonly<Record<number, TypeInfo>> = {
  1: {
    name: 'DestinationUnreachable',
    codes: [
      'NoRouteToDst',
      'AdminProhibited',
      'BeyondScopeOfSrc',
      'AddressUnreachable',
      'PortUnreachable',
      'SrcAddressFailedPolicy',
      'RejectRouteToDst',
    ],
  },
  2: { name: 'PacketTooBig' },
  3: { name: 'TimeExceeded', codes: ['HopLimitExceeded', 'FragmentReassemblyTimeExceeded'] },
  4: { name: 'ParameterProblem', codes: ['ErroneousHeaderField', 'UnrecognizedNextHeader', 'UnrecognizedIPv6Option'] },
  128: { name: 'EchoRequest' },
  129: { name: 'EchoReply' },
  133: { name: 'RouterSolicitation' },
  134: { name: 'RouterAdvertisement' },
  135: { name: 'NeighborSolicitation' },
  136: { name: 'NeighborAdvertisement' },
  137: { name: 'Redirect' },
};

/** `EchoRequest`, `DestinationUnreachable(Port)`, `TimeExceeded(Code: 7)`, `42(0)`. */
export function icmpTypeCodeName(version: 4 | 6, type: number, code: number): string {
  const info = (version === 4 ? V4 : V6)[type];
  if (info === undefined) return `${type}(${code})`;
  if (info.codes === undefined) return code === 0 ? info.name : `${info.name}(Code: ${code})`;
  const codeName = info.codes[code];
  return codeName === undefined ? `${info.name}(Code: ${code})` : `${info.name}(${codeName})`;
}
