import type { CurlOptions, CurlResult } from '@cilium-sim/core';
import type { CommandResult } from '../shell/command.ts';
import { UsageError } from './usageError.ts';
import { MAX_TOOL_WAIT_SECONDS } from './toolWait.ts';

/**
 * grpcurl (fullstorydev/grpcurl) as `grpcurl -plaintext [-d JSON] [-H 'name: value']...
 * [-authority HOST] [-connect-timeout S] [-max-time S] HOST:PORT package.Service/Method`: one
 * unary call, sent as gRPC sends it, an HTTP/2 POST of `application/grpc` to
 * `/package.Service/Method`. The simulated servers are taken to serve reflection and the method,
 * so no `-proto` is needed; `list` and `describe` are not modelled.
 */
export interface GrpcurlRequest {
  readonly address: string;
  readonly host: string;
  readonly port: number;
  /** `/package.Service/Method`. */
  readonly path: string;
  readonly plaintext: boolean;
  readonly data: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly authority: string | undefined;
  readonly connectTimeoutMs: number;
  readonly maxTimeMs: number | undefined;
}

const GO_FLAGS: Readonly<Record<string, 'bool' | 'string' | 'list'>> = {
  plaintext: 'bool',
  insecure: 'bool',
  v: 'bool',
  d: 'string',
  H: 'list',
  rpc_header: 'list',
  authority: 'string',
  'connect-timeout': 'string',
  'max-time': 'string',
};

/** grpcurl's `fail` for a usage problem: the message, then the hint, exit 2. */
function usage(message: string, path?: string): UsageError {
  return new UsageError(
    {
      code: 'INVALID_FLAG',
      object: 'grpcurl',
      ...(path === undefined ? {} : { path }),
      message: `${message}\nTry 'grpcurl -help' for more details.`,
    },
    2,
  );
}

/** Go's flag package: `-name`, `--name`, `-name=value`, flags before the arguments. */
export function parseGrpcurl(argv: readonly string[]): GrpcurlRequest {
  const values = new Map<string, string[]>();
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    const [rawName, inline] = arg.replace(/^--?/, '').split(/=(.*)/s, 2) as [string, string | undefined];
    const kind = GO_FLAGS[rawName];
    if (kind === undefined) throw usage(`flag provided but not defined: -${rawName}`, arg);
    let value = inline;
    if (kind === 'bool') value ??= 'true';
    else if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw usage(`flag needs an argument: -${rawName}`, arg);
    }
    values.set(rawName, [...(values.get(rawName) ?? []), value]);
  }
  const args = argv.slice(i);
  if (args[0] === 'list' || args[0] === 'describe' || args[1] === 'list' || args[1] === 'describe')
    throw new UsageError(
      {
        code: 'INVALID_COMMAND',
        object: 'grpcurl',
        message: 'grpcurl list and describe are not modelled in cilium-sim: name the method to call',
      },
      1,
    );
  if (args.length < 2) throw usage('Too few arguments.');
  if (args.length > 2) throw usage('Too many arguments.');
  const [address, symbol] = args as [string, string];
  const m = /^(.*):(\d+)$/.exec(address);
  const port = m === null ? NaN : Number(m[2]);
  if (m === null || port < 1 || port > 65535)
    throw new UsageError(
      {
        code: 'INVALID_FLAG',
        object: 'grpcurl',
        path: address,
        message: `Failed to dial target host "${address}": dial tcp: address ${address}: missing port in address`,
      },
      1,
    );
  const slash = symbol.lastIndexOf('/');
  const dot = symbol.lastIndexOf('.');
  const cut = slash >= 0 ? slash : dot;
  if (cut <= 0 || cut === symbol.length - 1) throw usage(`Invalid method name: ${symbol}`, symbol);
  const seconds = (name: string): number | undefined => {
    const text = values.get(name)?.at(-1);
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isFinite(n) || n < 0 || text.trim() === '')
      throw usage(`invalid value "${text}" for flag -${name}: parse error`, `-${name}`);
    if (n > MAX_TOOL_WAIT_SECONDS)
      throw usage(`invalid value "${text}" for flag -${name}: cilium-sim waits at most ${MAX_TOOL_WAIT_SECONDS} seconds`, `-${name}`);
    return Math.round(n * 1000);
  };
  const headers = [...(values.get('H') ?? []), ...(values.get('rpc_header') ?? [])].map((h): [string, string] => {
    const colon = h.indexOf(':');
    return colon < 0 ? [h.trim(), ''] : [h.slice(0, colon).trim(), h.slice(colon + 1).trim()];
  });
  const maxTimeMs = seconds('max-time');
  return {
    address,
    host: m[1]!,
    port,
    path: `/${symbol.slice(0, cut)}/${symbol.slice(cut + 1)}`,
    plaintext: values.has('plaintext'),
    data: values.get('d')?.at(-1) ?? '',
    headers,
    authority: values.get('authority')?.at(-1),
    connectTimeoutMs: seconds('connect-timeout') ?? 10_000,
    maxTimeMs,
  };
}

/** The call as the workload's HTTP client sends it. */
export function grpcurlCall(req: GrpcurlRequest): CurlOptions {
  return {
    url: `http://${req.address}${req.path}`,
    method: 'POST',
    http2: true,
    userAgent: 'grpcurl/v1.9.1 grpc-go/1.61.0',
    headers: [['host', req.authority ?? req.address], ['content-type', 'application/grpc'], ['te', 'trailers'], ...req.headers],
    data: req.data,
    connectTimeoutMs: req.connectTimeoutMs,
    ...(req.maxTimeMs === undefined ? {} : { maxTimeMs: req.maxTimeMs }),
  };
}

/** gRPC status codes by number (google.golang.org/grpc/codes). */
const CODES = [
  'OK',
  'Canceled',
  'Unknown',
  'InvalidArgument',
  'DeadlineExceeded',
  'NotFound',
  'AlreadyExists',
  'PermissionDenied',
  'ResourceExhausted',
  'FailedPrecondition',
  'Aborted',
  'OutOfRange',
  'Unimplemented',
  'Internal',
  'Unavailable',
  'DataLoss',
  'Unauthenticated',
] as const;

/** How grpc-go turns a non-gRPC HTTP status into a gRPC code (HTTPStatusConvTab). */
function codeOfHttpStatus(status: number): number {
  const table: Record<number, number> = { 400: 13, 401: 16, 403: 7, 404: 12, 429: 14, 502: 14, 503: 14, 504: 14 };
  return table[status] ?? 2;
}

/**
 * What grpcurl prints for the call's outcome: the response message as indented JSON (exit 0);
 * an RPC error as `ERROR:` with its code and message on stderr (exit 64 + the code); a
 * connection that never came up as `Failed to dial target host` (exit 1).
 */
export function formatGrpcurl(req: GrpcurlRequest, r: CurlResult): CommandResult {
  const dialFailed = (why: string): CommandResult => ({
    stdout: '',
    stderr: `Failed to dial target host "${req.address}": ${why}\n`,
    exitCode: 1,
  });
  if (!req.plaintext) return dialFailed('tls: first record does not look like a TLS handshake');
  if (r.kind === 'error') {
    if (r.phase === 'resolve') return dialFailed(`dial tcp: lookup ${req.host} on 10.96.0.10:53: no such host`);
    if (r.code === 7) return dialFailed(`dial tcp ${r.ip ?? req.host}:${req.port}: connect: connection refused`);
    if (r.phase === 'connect' || r.code === 28)
      return r.phase === 'connect' ? dialFailed('context deadline exceeded') : rpcError(4, 'context deadline exceeded');
    return rpcError(14, 'error reading from server: EOF');
  }
  const res = r.response;
  const header = (name: string) => res.headers.find(([k]) => k.toLowerCase() === name)?.[1];
  const type = header('content-type');
  if (res.status !== 200 || type === undefined || !type.startsWith('application/grpc')) {
    const ct = type === undefined ? '' : `; transport: received unexpected content-type "${type}"`;
    return rpcError(
      codeOfHttpStatus(res.status),
      `unexpected HTTP status code received from server: ${res.status} (${res.statusText})${ct}`,
    );
  }
  const code = Number(header('grpc-status') ?? '0');
  if (code !== 0) return rpcError(code, header('grpc-message') ?? '');
  return { stdout: `${messageJson(res.body)}\n`, stderr: '', exitCode: 0 };
}

function rpcError(code: number, message: string): CommandResult {
  return { stdout: '', stderr: `ERROR:\n  Code: ${CODES[code] ?? 'Unknown'}\n  Message: ${message}\n`, exitCode: 64 + code };
}

/** The message as grpcurl's JSON formatter prints it: two-space indent, an empty message as `{` blank line `}`. */
function messageJson(body: string): string {
  let value: unknown;
  try {
    value = JSON.parse(body === '' ? '{}' : body);
  } catch {
    return body;
  }
  if (typeof value === 'object' && value !== null && Object.keys(value).length === 0) return '{\n  \n}';
  return JSON.stringify(value, null, 2);
}
