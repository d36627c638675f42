import { join, type FieldReader } from '../k8s/fieldReader.ts';
import type { PortSpec } from './types.ts';

/** ICMP type names Cilium accepts in `icmps[].fields[].type` (pkg/policy/api/icmp.go). */
const ICMP_TYPES: Readonly<Record<'IPv4' | 'IPv6', Readonly<Record<string, number>>>> = {
  IPv4: {
    EchoReply: 0,
    DestinationUnreachable: 3,
    Redirect: 5,
    Echo: 8,
    EchoRequest: 8,
    RouterAdvertisement: 9,
    RouterSelection: 10,
    TimeExceeded: 11,
    ParameterProblem: 12,
    Timestamp: 13,
    TimestampReply: 14,
  },
  IPv6: {
    DestinationUnreachable: 1,
    PacketTooBig: 2,
    TimeExceeded: 3,
    ParameterProblem: 4,
    EchoRequest: 128,
    EchoReply: 129,
    MulticastListenerQuery: 130,
    RouterSolicitation: 133,
    RouterAdvertisement: 134,
    NeighborSolicitation: 135,
    NeighborAdvertisement: 136,
  },
};

/**
 * Reads `icmps: [{fields: [{type, family}]}]`. ICMP rules become port entries with protocol
 * ICMP (or ICMPv6) and the ICMP type in the port position, as Cilium keys them.
 */
export function readIcmps(r: FieldReader, value: unknown, p: string): PortSpec[] | undefined {
  const rules = r.list(value, p, (raw, ip) => {
    r.knownKeys(raw, ip, ['fields']);
    return r.list(raw['fields'], join(ip, 'fields'), (f, fp) => readField(r, f, fp)) ?? [];
  });
  return rules?.flat();
}

function readField(r: FieldReader, f: Readonly<Record<string, unknown>>, fp: string): PortSpec | undefined {
  r.knownKeys(f, fp, ['type', 'family']);
  const familyText = r.string(f['family'], join(fp, 'family')) ?? 'IPv4';
  if (familyText !== 'IPv4' && familyText !== 'IPv6') {
    r.report('INVALID_FIELD', join(fp, 'family'), `family must be IPv4 or IPv6, got "${familyText}"`);
    return undefined;
  }
  const protocol = familyText === 'IPv4' ? 'ICMP' : 'ICMPv6';
  const t = f['type'];
  const byName = typeof t === 'string' && !/^\d+$/.test(t) ? ICMP_TYPES[familyText][t] : undefined;
  const num = typeof t === 'number' ? t : typeof t === 'string' && /^\d+$/.test(t) ? Number(t) : byName;
  if (num === undefined || !Number.isInteger(num) || num < 0 || num > 255) {
    const names = Object.keys(ICMP_TYPES[familyText]).join(', ');
    r.report(
      'INVALID_FIELD',
      join(fp, 'type'),
      t === undefined
        ? `Required value: an ICMP type, 0..255 or one of ${names}`
        : `ICMP type must be 0..255 or one of ${names}, got ${JSON.stringify(t)}`,
    );
    return undefined;
  }
  return { protocol, port: num };
}
