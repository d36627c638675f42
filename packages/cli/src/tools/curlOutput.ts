import { utf8Length } from '@cilium-sim/core';
import type { CommandResult } from '../shell/command.ts';
import type { CurlRequest } from './curl.ts';

/**
 * What happened to a curl request, as the simulation decides it; `formatCurl` turns it into
 * curl 8's output and exit status.
 */
export interface CurlResponse {
  readonly kind: 'response';
  readonly status: number;
  /** `OK`, `Forbidden`: the reason phrase of the status line. */
  readonly statusText: string;
  readonly headers: readonly { readonly name: string; readonly value: string }[];
  readonly body: string;
  readonly elapsedMs: number;
  readonly remoteIp: string;
}

/**
 * The failures curl reports, with their exit codes:
 *   resolve 6 (name not found) | refused 7 (RST to the SYN) | connect-timeout 28 (the SYN was
 *   dropped until --connect-timeout or -m ran out) | syn-timeout 28 (the kernel gave up on the
 *   SYN, ~130 s without a timeout option) | timeout 28 (connected, no full response before -m) |
 *   empty-reply 52 | reset 56 (connection reset mid-response) | tls-reset 35 (reset during the
 *   TLS handshake) | tls-verify 60 (certificate not trusted and no -k).
 */
export type CurlFailure =
  | 'resolve'
  | 'refused'
  | 'connect-timeout'
  | 'syn-timeout'
  | 'timeout'
  | 'empty-reply'
  | 'reset'
  | 'tls-reset'
  | 'tls-verify';

export interface CurlError {
  readonly kind: 'error';
  readonly failure: CurlFailure;
  readonly elapsedMs: number;
  readonly remoteIp?: string;
  readonly bytesReceived?: number;
}

export type CurlOutcome = CurlResponse | CurlError;

const EXIT_CODE: Readonly<Record<CurlFailure, number>> = {
  resolve: 6,
  refused: 7,
  'connect-timeout': 28,
  'syn-timeout': 28,
  timeout: 28,
  'empty-reply': 52,
  reset: 56,
  'tls-reset': 35,
  'tls-verify': 60,
};

const SSL_HELP =
  'More details here: https://curl.se/docs/sslcerts.html\n\ncurl failed to verify the legitimacy of the server and therefore could not\nestablish a secure connection to it. To learn more about this situation and\nhow to fix it, please visit the webpage mentioned above.\n';

/** curl's error text after `curl: (N) `. */
function failureMessage(req: CurlRequest, e: CurlError): string {
  const { host, port } = req.url;
  const ms = Math.round(e.elapsedMs);
  switch (e.failure) {
    case 'resolve':
      return `Could not resolve host: ${host}`;
    case 'refused':
    case 'syn-timeout':
      return `Failed to connect to ${host} port ${port} after ${ms} ms: Couldn't connect to server`;
    case 'connect-timeout':
      // --connect-timeout expires in the connection filter; -m alone expires in the transfer loop.
      return connectLimitedByConnectTimeout(req)
        ? `Failed to connect to ${host} port ${port} after ${ms} ms: Timeout was reached`
        : `Connection timed out after ${ms} milliseconds`;
    case 'timeout':
      return `Operation timed out after ${ms} milliseconds with ${e.bytesReceived ?? 0} bytes received`;
    case 'empty-reply':
      return 'Empty reply from server';
    case 'reset':
      return 'Recv failure: Connection reset by peer';
    case 'tls-reset':
      return `OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to ${host}:${port} `;
    case 'tls-verify':
      return `SSL certificate problem: unable to get local issuer certificate\n${SSL_HELP}`;
  }
}

function connectLimitedByConnectTimeout(req: CurlRequest): boolean {
  return req.connectTimeoutMs !== undefined && (req.maxTimeMs === undefined || req.connectTimeoutMs <= req.maxTimeMs);
}

/**
 * Formats an outcome as curl prints it: the body (or the headers too with -i, only them with -I)
 * on stdout unless -o took it, then the -w text; errors as `curl: (N) message` on stderr unless
 * -s without -S. -f turns an HTTP status >= 400 into exit 22 without printing the body.
 */
export function formatCurl(req: CurlRequest, outcome: CurlOutcome): CommandResult {
  const quiet = req.silent && !req.showError;
  const verbose = req.verbose ? verboseLines(req, outcome) : '';
  if (outcome.kind === 'error') {
    const code = EXIT_CODE[outcome.failure];
    const line = quiet ? '' : `curl: (${code}) ${failureMessage(req, outcome)}\n`;
    return { stdout: writeOut(req, undefined, code), stderr: verbose + line, exitCode: code };
  }
  if (req.fail && outcome.status >= 400) {
    const line = quiet ? '' : `curl: (22) The requested URL returned error: ${outcome.status}\n`;
    return { stdout: writeOut(req, outcome, 22), stderr: verbose + line, exitCode: 22 };
  }
  const head = req.include || req.head ? headerBlock(outcome) : '';
  const body = req.head ? '' : outcome.body;
  const shown = req.output === undefined ? head + body : '';
  return { stdout: shown + writeOut(req, outcome, 0), stderr: verbose, exitCode: 0 };
}

function headerBlock(r: CurlResponse): string {
  return `HTTP/1.1 ${r.status} ${r.statusText}\r\n${r.headers.map((h) => `${h.name}: ${h.value}\r\n`).join('')}\r\n`;
}

/** -w: `%{http_code}` and friends, with `\n`, `\t`, `\r` and `\\` escapes; `000` when no response came. */
function writeOut(req: CurlRequest, r: CurlResponse | undefined, exitCode: number): string {
  if (req.writeOut === undefined) return '';
  const vars: Record<string, string> = {
    http_code: String(r?.status ?? 0).padStart(3, '0'),
    response_code: String(r?.status ?? 0).padStart(3, '0'),
    remote_ip: r?.remoteIp ?? '',
    remote_port: r === undefined ? '' : String(req.url.port),
    size_download: String(r === undefined || req.head ? 0 : utf8Length(r.body)),
    time_total: ((r?.elapsedMs ?? 0) / 1000).toFixed(6),
    url_effective: `${req.url.scheme}://${req.url.host}${req.url.portGiven ? `:${req.url.port}` : ''}${req.url.path}`,
    method: req.method,
    exitcode: String(exitCode),
    content_type: r?.headers.find((h) => h.name.toLowerCase() === 'content-type')?.value ?? '',
  };
  return req.writeOut.replace(/%\{([a-z_]+)\}|%%|\\([ntr\\])/g, (whole, name: string | undefined, esc: string | undefined) => {
    if (esc !== undefined) return esc === 'n' ? '\n' : esc === 't' ? '\t' : esc === 'r' ? '\r' : '\\';
    if (whole === '%%') return '%';
    return vars[name!] ?? '';
  });
}

/** A short -v trace: connection, request headers (`> `), response headers (`< `). */
function verboseLines(req: CurlRequest, outcome: CurlOutcome): string {
  const hostHeader = req.url.portGiven ? `${req.url.host}:${req.url.port}` : req.url.host;
  const ip = outcome.remoteIp ?? req.url.host;
  let text = `*   Trying ${ip}:${req.url.port}...\n`;
  if (outcome.kind === 'error' && ['resolve', 'refused', 'connect-timeout', 'syn-timeout'].includes(outcome.failure)) return text;
  text += `* Connected to ${req.url.host} (${ip}) port ${req.url.port}\n`;
  text += `> ${req.method} ${req.url.path} HTTP/1.1\n> Host: ${hostHeader}\n> User-Agent: ${req.userAgent ?? 'curl/8.7.1'}\n> Accept: */*\n`;
  text += `${req.headers.map((h) => `> ${h.name}: ${h.value}\n`).join('')}> \n`;
  if (outcome.kind === 'response') {
    text += `< HTTP/1.1 ${outcome.status} ${outcome.statusText}\n${outcome.headers.map((h) => `< ${h.name}: ${h.value}\n`).join('')}< \n`;
    text += `* Connection #0 to host ${req.url.host} left intact\n`;
  }
  return text;
}
