import type { Payload } from '../datapath/packet.ts';
import type { ServerApp } from './serverApp.ts';

/** How CoreDNS answers a name: the cluster's records, then the outside world's. */
export interface DnsZone {
  lookup(name: string): DnsZoneAnswer | undefined;
}

export interface DnsZoneAnswer {
  readonly ips: readonly string[];
  readonly ttl: number;
}

/** CoreDNS in kube-system: answers A queries from the zone, NXDOMAIN for unknown names. */
export function coreDnsApp(zone: DnsZone): ServerApp {
  return {
    name: 'coredns',
    udp(payload: Payload | undefined): Payload | undefined {
      if (payload?.kind !== 'dns-query') return undefined;
      const found = payload.qtype === 'A' ? zone.lookup(withoutRootDot(payload.name).toLowerCase()) : undefined;
      return {
        kind: 'dns-answer',
        id: payload.id,
        name: payload.name,
        qtype: payload.qtype,
        rcode: found === undefined ? 'NXDOMAIN' : 'NOERROR',
        ips: found?.ips ?? [],
        ttl: found?.ttl ?? 0,
      };
    },
  };
}

/** `name` without the root's trailing dot: without a regular expression, as every query asks. */
function withoutRootDot(name: string): string {
  return name.endsWith('.') ? name.slice(0, -1) : name;
}
