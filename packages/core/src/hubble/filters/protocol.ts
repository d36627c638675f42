import type { Flow } from '../flow.ts';
import { filterError, isSet, type FilterBuilder } from './flowFilter.ts';

const MATCHERS: Readonly<Record<string, (flow: Flow) => boolean>> = {
  tcp: (f) => f.l4 !== undefined && 'TCP' in f.l4,
  udp: (f) => f.l4 !== undefined && 'UDP' in f.l4,
  sctp: (f) => f.l4 !== undefined && 'SCTP' in f.l4,
  icmp: (f) => f.l4 !== undefined && ('ICMPv4' in f.l4 || 'ICMPv6' in f.l4),
  icmpv4: (f) => f.l4 !== undefined && 'ICMPv4' in f.l4,
  icmpv6: (f) => f.l4 !== undefined && 'ICMPv6' in f.l4,
  dns: (f) => f.l7?.dns !== undefined,
  http: (f) => f.l7?.http !== undefined,
  kafka: () => false,
};

/** `--protocol tcp|udp|icmp|icmpv4|icmpv6|sctp|dns|http|kafka`, case-insensitive. */
export const protocolFilters: FilterBuilder = (ff) => {
  if (!isSet(ff.protocol)) return [];
  const matchers = ff.protocol.map((p, i) => {
    const m = MATCHERS[p.toLowerCase()];
    if (m === undefined)
      throw filterError(`protocol[${i}]`, `unknown protocol: "${p}": expected one of ${Object.keys(MATCHERS).join(', ')}`);
    return m;
  });
  return [(flow) => matchers.some((m) => m(flow))];
};
