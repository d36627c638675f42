import type { HttpRequest, HttpResponse, Payload, PresentedCertificate } from '../datapath/packet.ts';
import type { Datapath } from '../datapath/datapath.ts';
import { NS_PER_MS, NS_PER_S } from '../sim/duration.ts';
import type { Rng } from '../sim/rng.ts';
import type { ScheduledEvent, Scheduler } from '../sim/scheduler.ts';
import { hostsFileAddress, type ResolvConf, type ResolveHandler, resolveName } from './dnsResolver.ts';
import { TcpClient, type TcpClientHandlers, type TcpConnectResult } from './tcpClient.ts';
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
  // Scripts and benchmarks send the same URLs again and again; a parse is a pure function of the text.
  const known = PARSED_URLS.get(text);
  if (known !== undefined) return known;
  const parsed = parseCurlUrl(text);
  if ('url' in parsed) {
    if (PARSED_URLS.size >= MAX_PARSED_URLS) PARSED_URLS.clear();
    PARSED_URLS.set(text, Object.freeze(parsed.url));
    return parsed.url;
  }
  const scheme = parsed.scheme === undefined ? '' : ` "${parsed.scheme}"`;
  throw new SimError({ code: 'INVALID_FLAG', object: 'curl', path: 'URL', message: `${URL_PROBLEMS[parsed.problem]}${scheme}: ${text}` });
}

const PARSED_URLS = new Map<string, CurlUrl>();
/** URLs a session sends are few; the table is a cache, emptied when it grows past this. */
const MAX_PARSED_URLS = 256;

/** What curl and nc run with: the network, time, their random stream, the resolver's config. */
export interface WorkloadToolEnv {
  readonly datapath: Datapath;
  readonly scheduler: Scheduler;
  readonly rng: Rng;
  readonly resolvConf: ResolvConf;
  /** Told when the tool's socket connects (the kernel's tcp_connect), with the translated destination. */
  readonly onConnect?: (sport: number, daddr: string, dport: number) => void;
}

/** A curl started and not necessarily done: `ended` once `result` holds its outcome. */
export interface CurlJob {
  readonly ended: boolean;
  readonly result: CurlResult | undefined;
}

/**
 * Starts curl from `stack`: resolve (through the cluster DNS, or --resolve), connect (through
 * socket LB and policy), send one request, read the response, close. The job ends, with curl's
 * outcome, as the scheduler runs it; timing is virtual.
 */
export function startCurl(env: WorkloadToolEnv, stack: WorkloadStack, opts: CurlOptions): CurlJob {
  const run = new CurlRun(env, stack, opts, urlOf(opts.url));
  run.start();
  return run;
}

type CurlPhase = 'resolve' | 'connect' | 'transfer';

/**
 * One curl in flight, the handlers of its TCP connection, and its outcome. A class rather than
 * closures: short connections are the benchmark's unit, and one object per curl is cheaper than
 * a scope and a function for each step.
 */
class CurlRun implements TcpClientHandlers, ResolveHandler, CurlJob {
  readonly #env: WorkloadToolEnv;
  readonly #stack: WorkloadStack;
  readonly #opts: CurlOptions;
  readonly #url: CurlUrl;
  readonly #startNs: number;
  ended = false;
  result: CurlResult | undefined = undefined;
  #phase: CurlPhase = 'resolve';
  #client: TcpClient | undefined;
  #remoteIp: string | undefined;
  #tlsEstablished = false;
  /** The certificate the server presented in its hello, when its TLS is modelled. */
  #certificate: PresentedCertificate | undefined;
  #connectTimer: ScheduledEvent | undefined;
  #maxTimer: ScheduledEvent | undefined;

  constructor(env: WorkloadToolEnv, stack: WorkloadStack, opts: CurlOptions, url: CurlUrl) {
    this.#env = env;
    this.#stack = stack;
    this.#opts = opts;
    this.#url = url;
    this.#startNs = env.scheduler.clock.nowNs;
  }

  start(): void {
    const { scheduler } = this.#env;
    const opts = this.#opts;
    const url = this.#url;
    // curl notices an expired timeout on its next pass through its event loop, a millisecond late.
    if (opts.connectTimeoutMs !== undefined)
      this.#connectTimer = scheduler.afterCall(
        (opts.connectTimeoutMs + 1) * NS_PER_MS,
        'curl-connect-timeout',
        CurlRun.#connectTimeout,
        this,
      );
    if (opts.maxTimeMs !== undefined)
      this.#maxTimer = scheduler.afterCall((opts.maxTimeMs + 1) * NS_PER_MS, 'curl-max-time', CurlRun.#maxTime, this);
    const pinned = opts.resolve?.find((r) => r.host === url.host && r.port === url.port);
    if (pinned !== undefined) return this.#connect(pinned.ip);
    if (hostIsAddress(url)) return this.#connect(url.host);
    const fromHosts = hostsFileAddress(url.host);
    if (fromHosts !== undefined) return this.#connect(fromHosts);
    resolveName(this.#stack, scheduler, this.#env.rng, url.host, this.#env.resolvConf, this);
  }

  onResolved(_name: string, ips: readonly string[]): void {
    this.#connect(ips[0]!);
  }

  onUnresolved(): void {
    // A resolver that gives up (no answer after its retries) is curl's "Could not resolve host" too.
    const url = this.#url;
    this.#finish({ kind: 'error', code: 6, phase: 'resolve', host: url.host, port: url.port, elapsedMs: this.#elapsedMs() });
  }

  #elapsedMs(): number {
    return Math.floor((this.#env.scheduler.clock.nowNs - this.#startNs) / NS_PER_MS);
  }

  #finish(r: CurlResult): void {
    if (this.ended) return;
    this.ended = true;
    if (this.#connectTimer !== undefined) this.#env.scheduler.cancel(this.#connectTimer);
    if (this.#maxTimer !== undefined) this.#env.scheduler.cancel(this.#maxTimer);
    this.result = r;
  }

  /** A failure of the phase curl is in, with the address it reached when it got that far. */
  #fail(code: CurlErrorCode, ip: string | undefined): void {
    const url = this.#url;
    this.#finish({
      kind: 'error',
      code,
      phase: this.#phase,
      host: url.host,
      port: url.port,
      elapsedMs: this.#elapsedMs(),
      ...(ip === undefined ? {} : { ip }),
    });
  }

  static #connectTimeout(run: CurlRun): void {
    if (run.#phase !== 'transfer') run.#timeout();
  }

  static #maxTime(run: CurlRun): void {
    run.#timeout();
  }

  #timeout(): void {
    this.#client?.abort();
    this.#fail(28, this.#remoteIp);
  }

  #connect(ip: string): void {
    const { rng } = this.#env;
    const url = this.#url;
    this.#phase = 'connect';
    this.#remoteIp = ip;
    const sport = rng.int(32768, 60999);
    const target = this.#stack.connectTarget(sport, ip, url.port, 'TCP', rng.below);
    if (target === undefined) return this.#fail(7, ip);
    this.#client = new TcpClient(this.#stack, this.#env.scheduler, sport, target.ip, target.port, this);
    this.#env.onConnect?.(sport, target.ip, target.port);
    this.#client.connect();
  }

  onConnect(result: TcpConnectResult): void {
    if (result === 'refused') return this.#fail(7, this.#remoteIp);
    if (result === 'timeout') return this.#fail(28, this.#remoteIp);
    this.#phase = 'transfer';
    const url = this.#url;
    if (url.scheme === 'https') this.#client!.send({ kind: 'tls-client-hello', sni: url.host });
    else this.#client!.send(requestPayload(url, this.#opts));
  }

  onData(payload: Payload | undefined): void {
    const url = this.#url;
    const certificate = this.#certificate;
    if (payload?.kind === 'http-response') {
      this.#client!.close();
      const response = {
        kind: 'response',
        response: payload.response,
        elapsedMs: this.#elapsedMs(),
        remoteIp: this.#remoteIp!,
        remotePort: url.port,
      } as const;
      this.#finish(certificate === undefined ? response : { ...response, certificate });
    } else if (url.scheme === 'https' && payload?.kind === 'tls-server-hello' && payload.certificate !== undefined) {
      this.#tlsEstablished = true;
      this.#certificate = payload.certificate;
      // A certificate from a Secret: no CA curl trusts signed it, so only -k goes on.
      if (this.#opts.insecure !== true) {
        this.#client!.close();
        return this.#fail(60, this.#remoteIp);
      }
      this.#client!.send({ kind: 'http-request', request: request(url, this.#opts) });
    } else if (url.scheme === 'https' && payload?.kind === 'tls-server-hello') {
      this.#tlsEstablished = true;
      // The TLS session is opaque to the network; the server's answer stands for the exchange.
      this.#client!.close();
      this.#finish({
        kind: 'response',
        response: { status: 200, statusText: 'OK', headers: [], body: '' },
        elapsedMs: this.#elapsedMs(),
        remoteIp: this.#remoteIp!,
        remotePort: url.port,
      });
    }
  }

  onReset(): void {
    // A reset before the server's hello breaks the TLS handshake (35); otherwise the transfer (56).
    this.#fail(this.#url.scheme === 'https' && !this.#tlsEstablished ? 35 : 56, this.#remoteIp);
  }
}

/**
 * The request segment's payload. A plain `curl URL` (no method, header, body, agent or HTTP/2
 * option) sends the same request every time, so it is built once per URL and shared: payloads
 * are immutable, and its wire length is then measured once too.
 */
function requestPayload(url: CurlUrl, opts: CurlOptions): Payload {
  const plain =
    opts.method === undefined &&
    opts.headers === undefined &&
    opts.data === undefined &&
    opts.userAgent === undefined &&
    opts.http2 === undefined;
  if (!plain) return { kind: 'http-request', request: request(url, opts) };
  let payload = PLAIN_REQUESTS.get(url);
  if (payload === undefined) PLAIN_REQUESTS.set(url, (payload = Object.freeze({ kind: 'http-request', request: request(url, opts) })));
  return payload;
}

/** Whether the URL names its host by address (no lookup), asked once per parsed URL. */
function hostIsAddress(url: CurlUrl): boolean {
  let known = HOST_IS_ADDRESS.get(url);
  if (known === undefined) HOST_IS_ADDRESS.set(url, (known = parseIpv4(url.host) !== undefined));
  return known;
}

const HOST_IS_ADDRESS = new WeakMap<CurlUrl, boolean>();

/** Plain requests by parsed URL (see urlOf: one frozen object per URL text). */
const PLAIN_REQUESTS = new WeakMap<CurlUrl, Payload>();

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
