/**
 * The answer to one DNS lookup, as the simulation decides it, shared by the nslookup and dig
 * printers. `timeout` means no server answered at all.
 */
export type DnsRcode = 'NOERROR' | 'NXDOMAIN' | 'REFUSED' | 'SERVFAIL' | 'timeout';

export interface DnsAnswer {
  /** The fully qualified name the record is for: `deathstar.default.svc.cluster.local`. */
  readonly name: string;
  readonly ip: string;
  readonly ttl: number;
}

export interface DnsOutcome {
  /** The server as the resolver knows it (`10.96.0.10`), and its address. */
  readonly server: string;
  readonly serverIp: string;
  /** The name as typed (`deathstar`, `api.github.com`). */
  readonly query: string;
  readonly answers: readonly DnsAnswer[];
  readonly rcode: DnsRcode;
  /** CoreDNS answers cluster names authoritatively; forwarded names are "Non-authoritative". */
  readonly authoritative: boolean;
}
