import type { HttpRequest, HttpResponse, PresentedCertificate } from '../datapath/packet.ts';
import type { Datapath } from '../datapath/datapath.ts';
import { NS_PER_MS, NS_PER_S } from '../sim/duration.ts';
import type { Rng } from '../sim/rng.ts';
import type { Scheduler } from '../sim/scheduler.ts';
import { resolveName, type ResolvConf } from './dnsResolver.ts';
import { TcpClient } from './tcpClient.ts';
import type { WorkloadStack } from './workloadStack.ts';
import { SimError } from '../errors.ts';
import { parseIpv4 } from '../ipv4.ts';
import { parseCurlUrl, type CurlUrl, type CurlUrlProblem } from './curlUrl.ts';

export interface CurlOptions {
  readonly url: string;
  readonly method?: string;
  readonly headers?: readonly (readonly [string, string])[];
  readonly data?: string;
  /** curl --connect-timeout, covering name resolution and the TCP handshake. */
  readonly connectTimeoutMs?: number;
  /** curl -m / --max-time, covering the whole transfer. */
  readonly maxTimeMs?: number;
  /** curl --resolve HOST:PORT:ADDR entries. */
  readonly resolve?: readonly { readonly host: string; readonly port: number; readonly ip: string }[];
  /** Speak HTTP/2 from the start (curl --http2-prior-knowledge; grpcurl's calls). */
  readonly http2?: boolean;
  /** The User-Agent header (curl -A); default `curl/8.7.1`. */
  readonly userAgent?: string;
  /**
   * curl -k: go on with a server whose certificate no CA curl trusts vouches for. Without it a
   * certificate from a Secret (the sandbox has no trust store with its issuer) fails with 60.
   */
  readonly insecure?: boolean;
}

/** curl's exit codes for the failures the sandbox can produce. */
export type CurlErrorCode = 6 | 7 | 28 | 35 | 52 | 56 | 60;

export type CurlResult =
  | {
      readonly kind: 'response';
      readonly response: HttpResponse;
      readonly elapsedMs: number;
      readonly remoteIp: string;
      readonly remotePort: number;
      /** HTTPS: the certificate the server presented, when the server's TLS is modelled. */
      readonly certificate?: PresentedCertificate;
    }
  | {
      readonly kind: 'error';
      readonly code: CurlErrorCode;
      readonly phase: 'resolve' | 'connect' | 'transfer';
      readonly host: string;
      readonly port: number;
      readonly elapsedMs: number;
      readonly ip?: string;
    };

/** Why curl refuses a URL, in words for any caller; the CLI prints curl's own. */
const URL_PROBLEMS: Readonly<Record<CurlUrlProblem, string>> = {
  'unsupported-scheme': 'unsupported protocol',
  malformed: 'malformed URL',
  'bad-hostname': 'not a valid host name',
  'no-host': 'no host in the URL',
  'bad-port': 'the port is not a decimal number between 0 and 65535',
};

function urlOf(text: string): CurlUrl {
  const parsed = parseCurlUrl(text);
  if ('url' in parsed) return parsed.url;
  const scheme = parsed.scheme === undefined ? '' : ` "${parsed.scheme}"`;
  throw new SimError({ code: 'INVALID_FLAG', object: 'curl', path: 'URL', message: `${URL_PROBLEMS[parsed.problem]}${scheme}: ${text}` });
}

/** What curl and nc run with: the network, time, their random stream, the resolver's config. */
export interface WorkloadToolEnv {
  readonly datapath: Datapath;
  readonly scheduler: Scheduler;
  readonly rng: Rng;
  readonly resolvConf: ResolvConf;
  /** Told when the tool's socket connects (the kernel's tcp_connect), with the translated destination. */
  readonly onConnect?: (sport: number, daddr: string, dport: number) => void;
}

/**
 * Runs curl from `stack`: resolve (through the cluster DNS, or --resolve), connect (through
 * socket LB and policy), send one request, read the response, close. `done` gets curl's
 * outcome; timing is virtual.
 */
export function runCurl(env: WorkloadToolEnv, stack: WorkloadStack, opts: CurlOptions, done: (r: CurlResult) => void): void {
  const url = urlOf(opts.url);
  const { scheduler } = env;
  const start = scheduler.clock.nowNs;
  const elapsedMs = (): number => Math.floor((scheduler.clock.nowNs - start) / NS_PER_MS);
  let finished = false;
  const finish = (r: CurlResult): void => {
    if (finished) return;
    finished = true;
    for (const t of timers) scheduler.cancel(t);
    done(r);
  };
  let phase: 'resolve' | 'connect' | 'transfer' = 'resolve';
  let client: TcpClient | undefined;
  let remoteIp: string | undefined;
  const timeout = (): void => {
    client?.abort();
    finish({
      kind: 'error',
      code: 28,
      phase,
      host: url.host,
      port: url.port,
      elapsedMs: elapsedMs(),
      ...(remoteIp === undefined ? {} : { ip: remoteIp }),
    });
  };
  const timers = [
    // curl notices an expired timeout on its next pass through its event loop, a millisecond late.
    ...(opts.connectTimeoutMs === undefined
      ? []
      : [scheduler.after((opts.connectTimeoutMs + 1) * NS_PER_MS, 'curl-connect-timeout', () => phase !== 'transfer' && timeout())]),
    ...(opts.maxTimeMs === undefined ? [] : [scheduler.after((opts.maxTimeMs + 1) * NS_PER_MS, 'curl-max-time', timeout)]),
  ];

  const connect = (ip: string): void => {
    phase = 'connect';
    remoteIp = ip;
    const sport = env.rng.int(32768, 60999);
    const target = stack.connectTarget(sport, ip, url.port, 'TCP', (n) => env.rng.int(0, n - 1));
    if (target === undefined) {
      finish({ kind: 'error', code: 7, phase, host: url.host, port: url.port, elapsedMs: elapsedMs(), ip });
      return;
    }
    let tlsEstablished = false;
    let certificate: PresentedCertificate | undefined;
    client = new TcpClient(stack, scheduler, sport, target.ip, target.port, {
      onConnect(result) {
        if (result === 'refused')
          return finish({ kind: 'error', code: 7, phase, host: url.host, port: url.port, elapsedMs: elapsedMs(), ip });
        if (result === 'timeout')
          return finish({ kind: 'error', code: 28, phase, host: url.host, port: url.port, elapsedMs: elapsedMs(), ip });
        phase = 'transfer';
        if (url.scheme === 'https') client!.send({ kind: 'tls-client-hello', sni: url.host });
        else client!.send({ kind: 'http-request', request: request(url, opts) });
      },
      onData(payload) {
        if (payload?.kind === 'http-response') {
          client!.close();
          finish({
            kind: 'response',
            response: payload.response,
            elapsedMs: elapsedMs(),
            remoteIp: ip,
            remotePort: url.port,
            ...(certificate === undefined ? {} : { certificate }),
          });
        } else if (url.scheme === 'https' && payload?.kind === 'tls-server-hello' && payload.certificate !== undefined) {
          tlsEstablished = true;
          certificate = payload.certificate;
          // A certificate from a Secret: no CA curl trusts signed it, so only -k goes on.
          if (opts.insecure !== true) {
            client!.close();
            return finish({ kind: 'error', code: 60, phase, host: url.host, port: url.port, elapsedMs: elapsedMs(), ip });
          }
          client!.send({ kind: 'http-request', request: request(url, opts) });
        } else if (url.scheme === 'https' && payload?.kind === 'tls-server-hello') {
          tlsEstablished = true;
          // The TLS session is opaque to the network; the server's answer stands for the exchange.
          client!.close();
          finish({
            kind: 'response',
            response: { status: 200, statusText: 'OK', headers: [], body: '' },
            elapsedMs: elapsedMs(),
            remoteIp: ip,
            remotePort: url.port,
          });
        }
      },
      onReset() {
        // A reset before the server's hello breaks the TLS handshake (35); otherwise the transfer (56).
        const code = url.scheme === 'https' && !tlsEstablished ? 35 : 56;
        finish({ kind: 'error', code, phase, host: url.host, port: url.port, elapsedMs: elapsedMs(), ip });
      },
    });
    env.onConnect?.(sport, target.ip, target.port);
    client.connect();
  };

  const pinned = opts.resolve?.find((r) => r.host === url.host && r.port === url.port);
  if (pinned !== undefined) return connect(pinned.ip);
  if (parseIpv4(url.host) !== undefined) return connect(url.host);
  resolveName(stack, scheduler, env.rng, url.host, env.resolvConf, (o) => {
    // A resolver that gives up (no answer after its retries) is curl's "Could not resolve host" too.
    if (o.ok) connect(o.ips[0]!);
    else finish({ kind: 'error', code: 6, phase: 'resolve', host: url.host, port: url.port, elapsedMs: elapsedMs() });
  });
}

function request(url: CurlUrl, opts: CurlOptions): HttpRequest {
  const defaultPort = url.scheme === 'https' ? 443 : 80;
  // A Host header given with -H replaces the one curl makes from the URL, as curl does.
  const given = opts.headers?.find(([k]) => k.toLowerCase() === 'host');
  const host = given?.[1] ?? (url.port === defaultPort ? url.host : `${url.host}:${url.port}`);
  return {
    method: opts.method ?? (opts.data === undefined ? 'GET' : 'POST'),
    path: url.path,
    host,
    headers: [
      ['User-Agent', opts.userAgent ?? 'curl/8.7.1'],
      ['Accept', '*/*'],
      ...(opts.headers ?? []).filter(([k]) => k.toLowerCase() !== 'host'),
    ],
    body: opts.data ?? '',
    scheme: url.scheme,
    ...(opts.http2 === true ? { version: 'HTTP/2' as const } : {}),
  };
}

/** Seconds as curl's float options take them, into whole milliseconds. */
export function secondsToMs(s: number): number {
  return Math.round(s * (NS_PER_S / NS_PER_MS));
}
