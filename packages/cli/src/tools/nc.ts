import type { CommandResult } from '../shell/command.ts';
import { UsageError } from './usageError.ts';
import { MAX_TOOL_WAIT_SECONDS } from './toolWait.ts';

/**
 * netcat-openbsd as `nc -z [-v] [-u] [-w S] HOST PORT`: a port probe. Exit 0 when the port
 * answered, 1 otherwise; with -v the verdict is printed on stderr in netcat's words.
 */
export interface NcRequest {
  readonly host: string;
  readonly port: number;
  readonly udp: boolean;
  readonly verbose: boolean;
  readonly zero: boolean;
  /** -w: seconds to wait for the connection (or the UDP reply); undefined waits as the kernel does. */
  readonly timeoutMs: number | undefined;
}

/** `succeeded` (SYN-ACK, or the UDP echo came back), `refused` (RST / ICMP unreachable), `timeout`, `resolve` (no such name). */
export type NcOutcome =
  | { readonly kind: 'succeeded'; readonly ip: string }
  | { readonly kind: 'refused' | 'timeout' | 'reset'; readonly ip: string }
  | { readonly kind: 'resolve' };

function ncUsage(message: string, path?: string): UsageError {
  return new UsageError({ code: 'INVALID_FLAG', object: 'nc', ...(path === undefined ? {} : { path }), message: `nc: ${message}` }, 1);
}

/**
 * -w as netcat reads it (strtonum from 0 to INT_MAX/1000, `timeout too large: N`), and at most
 * the day a command may wait in cilium-sim.
 */
function waitSeconds(value: string | undefined): number {
  if (value === undefined) throw ncUsage('option requires an argument -- w', '-w');
  if (/^-\d+$/.test(value)) throw ncUsage(`timeout too small: ${value}`, '-w');
  if (!/^\+?\d+$/.test(value)) throw ncUsage(`timeout invalid: ${value}`, '-w');
  const n = Number(value);
  if (n > 2_147_483) throw ncUsage(`timeout too large: ${value}`, '-w');
  if (n > MAX_TOOL_WAIT_SECONDS)
    throw ncUsage(`timeout too large: ${value} (cilium-sim waits at most ${MAX_TOOL_WAIT_SECONDS} seconds)`, '-w');
  return n;
}

export function parseNc(argv: readonly string[]): NcRequest {
  let udp = false;
  let verbose = false;
  let zero = false;
  let timeoutMs: number | undefined;
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-') || arg === '-') {
      words.push(arg);
      continue;
    }
    for (let k = 1; k < arg.length; k++) {
      const c = arg[k]!;
      if (c === 'u') udp = true;
      else if (c === 'v') verbose = true;
      else if (c === 'z') zero = true;
      else if (c === 'n') continue;
      else if (c === 'w') {
        timeoutMs = waitSeconds(arg.slice(k + 1) || argv[++i]) * 1000;
        break;
      } else throw ncUsage(`invalid option -- '${c}'`, `-${c}`);
    }
  }
  const [host, portText] = words;
  if (host === undefined || portText === undefined) throw ncUsage('missing port number', 'port');
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) throw ncUsage(`port number invalid: ${portText}`, 'port');
  return { host, port, udp, verbose, zero, timeoutMs };
}

/** /etc/services names netcat prints in `[tcp/http]`; `*` for ports it has no name for. */
const SERVICES: Readonly<Record<string, string>> = {
  'tcp/22': 'ssh',
  'tcp/25': 'smtp',
  'tcp/53': 'domain',
  'udp/53': 'domain',
  'tcp/80': 'http',
  'tcp/443': 'https',
  'udp/123': 'ntp',
  'tcp/8080': 'http-alt',
  'tcp/6379': 'redis',
  'tcp/3306': 'mysql',
  'tcp/5432': 'postgresql',
  'tcp/27017': 'mongodb',
};

export function formatNc(req: NcRequest, outcome: NcOutcome): CommandResult {
  const proto = req.udp ? 'udp' : 'tcp';
  if (outcome.kind === 'resolve') {
    return { stdout: '', stderr: `nc: getaddrinfo for host "${req.host}" port ${req.port}: Name or service not known\n`, exitCode: 1 };
  }
  // netcat names the address only when the user gave a name rather than the address itself.
  const who = outcome.ip === req.host ? req.host : `${req.host} (${outcome.ip})`;
  if (outcome.kind === 'succeeded') {
    const service = SERVICES[`${proto}/${req.port}`] ?? '*';
    return {
      stdout: '',
      stderr: req.verbose ? `Connection to ${who} ${req.port} port [${proto}/${service}] succeeded!\n` : '',
      exitCode: 0,
    };
  }
  if (outcome.kind === 'reset') return { stdout: '', stderr: 'nc: read failed: Connection reset by peer\n', exitCode: 1 };
  const why = outcome.kind === 'refused' ? 'failed: Connection refused' : 'timed out: Operation now in progress';
  return { stdout: '', stderr: req.verbose ? `nc: connect to ${who} port ${req.port} (${proto}) ${why}\n` : '', exitCode: 1 };
}
