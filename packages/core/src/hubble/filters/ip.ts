import { parseIpv4 } from '../../ipv4.ts';
import { filterError, isSet, type FilterBuilder, type FilterFunc } from './flowFilter.ts';

type IpMatcher = (ip: string) => boolean;

/** An exact IPv4/IPv6 address or an IPv4 CIDR, as `--ip 10.0.0.0/8` takes. */
function ipMatcher(value: string, path: string): IpMatcher {
  const slash = value.indexOf('/');
  if (slash === -1) {
    if (parseIpv4(value) === undefined && !value.includes(':')) {
      throw filterError(path, `invalid IP address "${value}": expected an address such as 10.0.1.7 or a CIDR such as 10.0.0.0/16`);
    }
    return (ip) => ip === value;
  }
  const base = parseIpv4(value.slice(0, slash));
  const bitsText = value.slice(slash + 1);
  const bits = Number(bitsText);
  if (base === undefined || !/^\d{1,2}$/.test(bitsText) || bits > 32) {
    throw filterError(path, `invalid CIDR "${value}": expected an IPv4 prefix such as 10.0.0.0/16`);
  }
  const size = 2 ** (32 - bits);
  const start = Math.floor(base / size) * size;
  return (ip) => {
    const n = parseIpv4(ip);
    return n !== undefined && n >= start && n < start + size;
  };
}

function build(values: readonly string[], field: string, pick: (ip: { source: string; destination: string }) => string): FilterFunc {
  const matchers = values.map((v, i) => ipMatcher(v, `${field}[${i}]`));
  return (flow) => flow.IP !== undefined && matchers.some((m) => m(pick(flow.IP!)));
}

/** `--from-ip`, `--to-ip`, `--ip`: address or CIDR of the packet's source / destination. */
export const ipFilters: FilterBuilder = (ff) => {
  const out: FilterFunc[] = [];
  if (isSet(ff.sourceIp)) out.push(build(ff.sourceIp, 'sourceIp', (ip) => ip.source));
  if (isSet(ff.destinationIp)) out.push(build(ff.destinationIp, 'destinationIp', (ip) => ip.destination));
  return out;
};
