import type { Cluster } from '../cluster/cluster.ts';
import type { NcResult } from '../workload/nc.ts';
import type { CurlOptions, CurlResult } from '../workload/curl.ts';
import { flowPorts, type Flow } from '../hubble/flow.ts';
import { parseDuration, NS_PER_MS } from '../sim/duration.ts';
import { type CaseSource, type CaseTarget, sourceExec } from './caseEndpoints.ts';
import type { ConnectivityCase } from './testFile.ts';

/**
 * Sends a case's traffic through the cluster, as the walkthroughs do with curl, nc and nslookup
 * in a pod, on a node or outside, and says what happened from the client's side and Hubble's.
 */
export type CaseOutcome =
  /** The server answered: a TCP handshake, an HTTP response of the application, a DNS answer, a TLS handshake, a UDP echo. */
  | 'reached'
  /** Dropped on the way (policy, authentication): the client heard nothing. */
  | 'dropped'
  /** The L7 proxy refused it: HTTP 403 Access denied, a TLS server name not allowed. */
  | 'l7-denied'
  /** The DNS proxy refused the query (or the lookup of the target's name). */
  | 'dns-refused'
  /** The server refused: a TCP reset (nothing listens there), a DNS server's REFUSED. */
  | 'refused'
  /** Nothing answered and Hubble recorded no drop (nothing listens on that UDP port). */
  | 'unanswered'
  /** The target's name does not exist (NXDOMAIN). */
  | 'unresolved';

export interface CaseObservation {
  readonly outcome: CaseOutcome;
  /** The HTTP status the client got, for a case with `http`. */
  readonly status?: number;
  /** Mutual authentication was needed: an AUTH_REQUIRED drop, or a policy verdict with an auth type. */
  readonly authRequired: boolean;
  /** What happened, in a sentence: `HTTP 200`, `no answer within 5s`, `the DNS proxy refused api.example.com`. */
  readonly detail: string;
}

export interface CaseProbe {
  readonly observation: CaseObservation;
  /** Every flow Hubble recorded while the case ran, in order. */
  readonly flows: readonly Flow[];
  /** Virtual time the case took. */
  readonly elapsedNs: number;
}

const DEFAULT_TIMEOUT_MS = 5000;

export function casePort(c: ConnectivityCase): number {
  return c.port ?? (c.dns !== undefined ? 53 : c.tls !== undefined ? 443 : 80);
}

export function caseProtocol(c: ConnectivityCase): 'TCP' | 'UDP' {
  return c.protocol ?? (c.dns !== undefined ? 'UDP' : 'TCP');
}

/** Runs the case's client once and folds what it saw and what Hubble saw into an observation. */
export function probeCase(cluster: Cluster, c: ConnectivityCase, source: CaseSource, target: CaseTarget): CaseProbe {
  const flows: Flow[] = [];
  const off = cluster.on('flow', (f) => void flows.push(f));
  const start = cluster.now().elapsedNs;
  try {
    const timeoutMs = c.timeout === undefined ? DEFAULT_TIMEOUT_MS : Math.round(parseDuration(c.timeout, 'timeout') / NS_PER_MS);
    const partial = send(cluster, c, source, target, timeoutMs, flows);
    const authRequired = flows.some(
      (f) => f.drop_reason_desc === 'AUTH_REQUIRED' || (f.auth_type !== undefined && f.auth_type !== 'DISABLED'),
    );
    return { observation: { ...partial, authRequired }, flows, elapsedNs: cluster.now().elapsedNs - start };
  } finally {
    off();
  }
}

type Partial = Omit<CaseObservation, 'authRequired'>;

function send(
  cluster: Cluster,
  c: ConnectivityCase,
  source: CaseSource,
  target: CaseTarget,
  timeoutMs: number,
  flows: readonly Flow[],
): Partial {
  const exec = sourceExec(cluster, source);
  const port = casePort(c);
  const host = target.kind === 'name' ? target.name : target.ip;
  const silence = (what: string): Partial =>
    flows.some((f) => f.verdict === 'DROPPED' && !isDns(f))
      ? { outcome: 'dropped', detail: `${what}: no answer within ${timeoutMs / 1000}s, the packets were dropped` }
      : {
          outcome: 'unanswered',
          detail: `${what}: no answer within ${timeoutMs / 1000}s, and Hubble recorded no drop (nothing answers there)`,
        };
  if (c.dns !== undefined) {
    // A server given by name is looked up first, as `nslookup QUERY SERVER` does with a name.
    let server = host;
    if (target.kind === 'name') {
      const s = exec.nslookup(host);
      if (!s.ok) return lookupFailed(host, flows);
      server = s.ips[0] ?? host;
    }
    const r = exec.nslookup(c.dns.query, server);
    if (r.ok) return { outcome: 'reached', detail: `DNS answer for ${r.name}: ${r.ips.join(', ') || 'no address'}` };
    if (r.rcode === 'timeout') return silence(`DNS query for ${c.dns.query}`);
    if (proxyRefusedDns(flows))
      return { outcome: 'dns-refused', detail: `the DNS proxy refused the query for ${c.dns.query} (${r.rcode})` };
    return r.rcode === 'REFUSED'
      ? { outcome: 'refused', detail: `the DNS server refused the query for ${c.dns.query}` }
      : { outcome: 'reached', detail: `DNS answer for ${c.dns.query}: ${r.rcode}` };
  }
  if (c.http !== undefined || c.tls !== undefined) {
    // A TLS server name other than the target's: the target's address is looked up first, then
    // pinned to the server name (curl --resolve), so the ClientHello carries that name.
    const sni = c.tls?.sni ?? host;
    let pinned = target.kind === 'name' ? undefined : target.ip;
    if (c.tls !== undefined && sni !== host && target.kind === 'name') {
      const r = exec.nslookup(host);
      if (!r.ok) return lookupFailed(host, flows);
      pinned = r.ips[0];
    }
    const result = exec.curl(curlOptions(c, host, sni, pinned, port, timeoutMs));
    return fromCurl(result, c, flows, silence);
  }
  const nc = exec.nc({ host, port, udp: caseProtocol(c) === 'UDP', timeoutS: timeoutMs / 1000 });
  return fromNc(nc, c, host, port, flows, silence);
}

function curlOptions(
  c: ConnectivityCase,
  host: string,
  sni: string,
  pinned: string | undefined,
  port: number,
  timeoutMs: number,
): CurlOptions {
  if (c.tls !== undefined) {
    const resolve = sni === host || pinned === undefined ? {} : { resolve: [{ host: sni, port, ip: pinned }] };
    return { url: `https://${sni}:${port}/`, connectTimeoutMs: timeoutMs, maxTimeMs: timeoutMs * 2, ...resolve };
  }
  const http = c.http ?? {};
  return {
    url: `http://${host}:${port}${http.path ?? '/'}`,
    method: http.method ?? 'GET',
    headers: Object.entries(http.headers ?? {}),
    connectTimeoutMs: timeoutMs,
    maxTimeMs: timeoutMs * 2,
  };
}

function fromCurl(r: CurlResult, c: ConnectivityCase, flows: readonly Flow[], silence: (what: string) => Partial): Partial {
  const what = c.tls !== undefined ? 'TLS connection' : `HTTP ${c.http?.method ?? 'GET'} ${c.http?.path ?? '/'}`;
  if (r.kind === 'response') {
    if (c.tls !== undefined) return { outcome: 'reached', detail: `TLS handshake completed with ${r.remoteIp}:${r.remotePort}` };
    const l7Denied = flows.some((f) => f.verdict === 'DROPPED' && f.l7?.http !== undefined);
    const body = r.response.body.trim().split('\n')[0] ?? '';
    return {
      outcome: l7Denied ? 'l7-denied' : 'reached',
      status: r.response.status,
      detail: `HTTP ${r.response.status}${body === '' || body.length > 60 ? '' : ` (${body})`}${l7Denied ? ' from the L7 proxy, which denied the request' : ''}`,
    };
  }
  if (r.phase === 'resolve') return lookupFailed(r.host, flows);
  if (r.code === 28) return silence(what);
  if (r.code === 7) return { outcome: 'refused', detail: `${what}: connection refused (a reset: nothing listens on port ${r.port})` };
  const dropped = flows.some((f) => f.verdict === 'DROPPED' && !isDns(f));
  return dropped
    ? {
        outcome: 'l7-denied',
        detail: `${what}: the proxy dropped the connection${c.tls === undefined ? '' : ' (server name not allowed)'} and reset it`,
      }
    : { outcome: 'refused', detail: `${what}: the connection was reset` };
}

function fromNc(
  r: NcResult,
  c: ConnectivityCase,
  host: string,
  port: number,
  flows: readonly Flow[],
  silence: (what: string) => Partial,
): Partial {
  const what = `${caseProtocol(c)} ${host}:${port}`;
  if (r.ok) return { outcome: 'reached', detail: caseProtocol(c) === 'UDP' ? `${what}: the echo came back` : `${what}: connected` };
  if (r.reason === 'resolve') return lookupFailed(host, flows);
  if (r.reason === 'timeout') return silence(what);
  return { outcome: 'refused', detail: `${what}: connection refused (a reset: nothing listens there)` };
}

/** The target's name did not resolve: refused by the DNS proxy, dropped, or not a name at all. */
function lookupFailed(name: string, flows: readonly Flow[]): Partial {
  if (proxyRefusedDns(flows)) return { outcome: 'dns-refused', detail: `the DNS proxy refused the lookup of ${name}` };
  if (flows.some((f) => f.verdict === 'DROPPED' && isDns(f)))
    return { outcome: 'dropped', detail: `the DNS lookup of ${name} was dropped` };
  return { outcome: 'unresolved', detail: `${name} does not resolve (NXDOMAIN); name it in spec.external if it is outside the cluster` };
}

/** The DNS proxy refused a query: Hubble's DNS request flow with verdict DROPPED, and no answer after it. */
function proxyRefusedDns(flows: readonly Flow[]): boolean {
  const last = flows.filter((f) => f.l7?.dns !== undefined && f.l7.type === 'RESPONSE').at(-1);
  return (
    last !== undefined && flows.some((f) => f.l7?.dns?.query === last.l7?.dns?.query && f.l7?.type === 'REQUEST' && f.verdict === 'DROPPED')
  );
}

/** A flow of a DNS lookup (port 53, or the DNS proxy's L7 record). */
export function isDns(f: Flow): boolean {
  if (f.l7?.dns !== undefined) return true;
  const p = flowPorts(f);
  return p?.destination_port === 53 || p?.source_port === 53;
}
