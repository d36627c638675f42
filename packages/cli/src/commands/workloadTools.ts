import { k8s, type CurlResult, type NslookupResult, type WorkloadExec } from '@cilium-sim/core';
import { fail, type CommandResult } from '../shell/command.ts';
import { parseCurl, type CurlRequest } from '../tools/curl.ts';
import { formatCurl, type CurlOutcome } from '../tools/curlOutput.ts';
import { formatDig, parseDig } from '../tools/dig.ts';
import { formatGrpcurl, grpcurlCall, parseGrpcurl } from '../tools/grpcurl.ts';
import type { DnsOutcome } from '../tools/dnsOutcome.ts';
import { formatNc, parseNc } from '../tools/nc.ts';
import { formatNslookup, parseNslookup } from '../tools/nslookup.ts';
import { runPodShell, type ShellInput } from './podShell.ts';

/** The programs a pod, node or outside client can run in the sandbox. */
export const WORKLOAD_TOOLS = ['curl', 'grpcurl', 'nc', 'nslookup', 'dig'] as const;

/** The shells of the images, for `sh -c '...'`. */
const SHELLS = ['sh', 'bash'];

/** Whether `program` (a name or a path) is in the sandbox's images, so running it starts a process (an exec event). */
export function isWorkloadProgram(program: string): boolean {
  const bin = program.split('/').pop() ?? '';
  return (WORKLOAD_TOOLS as readonly string[]).includes(bin) || SHELLS.includes(bin);
}

/**
 * Runs `argv` as one process of `exec` when the cluster runs Tetragon (`traced`): its exec event,
 * the connections it opens, and its exit with the status the command returns. A program the
 * image lacks fails before it starts, so it makes no process.
 */
export function runAsProcess(
  exec: WorkloadExec,
  argv: readonly string[],
  traced: boolean,
  run: (w: WorkloadExec) => CommandResult,
): CommandResult {
  if (!traced || !isWorkloadProgram(argv[0] ?? '')) return run(exec);
  const proc = exec.spawn(argv);
  let result: CommandResult | undefined;
  try {
    result = run(proc);
    return result;
  } finally {
    // A usage error (curl's exit 2) ends the process too; the caller words it.
    proc.exit(result?.exitCode ?? 2);
  }
}

/**
 * Runs `curl`, `grpcurl`, `nc`, `nslookup` or `dig` from a workload's network namespace and prints what
 * the real tool prints; `sh` and `bash` run their `-c` script or the one `input` feeds them.
 */
export function runWorkloadTool(exec: WorkloadExec, argv: readonly string[], whenMs: () => number, input?: ShellInput): CommandResult {
  const [program, ...args] = argv;
  const tool = program?.includes('/') === true ? program.split('/').pop() : program;
  switch (tool) {
    case 'sh':
    case 'bash':
      return runPodShell(exec, tool, args, (w, inner) => runWorkloadTool(w, inner, whenMs), input);
    case 'curl': {
      const req = parseCurl(args);
      // The URL as parsed, spelled out: core's parser reads it back alike.
      const result = exec.curl({
        url: `${req.url.scheme}://${req.url.host}:${req.url.port}${req.url.path}`,
        method: req.method,
        headers: req.headers.map((h) => [h.name, h.value] as const),
        ...(req.data === undefined ? {} : { data: req.data }),
        ...(req.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: req.connectTimeoutMs }),
        ...(req.maxTimeMs === undefined ? {} : { maxTimeMs: req.maxTimeMs }),
        resolve: req.resolve,
        ...(req.insecure ? { insecure: true } : {}),
      });
      return formatCurl(req, curlOutcome(req, result));
    }
    case 'grpcurl': {
      const req = parseGrpcurl(args);
      if (!req.plaintext)
        return formatGrpcurl(req, { kind: 'error', code: 35, phase: 'connect', host: req.host, port: req.port, elapsedMs: 0 });
      return formatGrpcurl(req, exec.curl(grpcurlCall(req)));
    }
    case 'nc': {
      const req = parseNc(args);
      const r = exec.nc({
        host: req.host,
        port: req.port,
        udp: req.udp,
        ...(req.timeoutMs === undefined ? {} : { timeoutS: req.timeoutMs / 1000 }),
      });
      const outcome = r.ok
        ? { kind: 'succeeded' as const, ip: r.ip }
        : r.reason === 'resolve'
          ? { kind: 'resolve' as const }
          : { kind: r.reason, ip: r.ip ?? req.host };
      return formatNc(req, outcome);
    }
    case 'nslookup': {
      const req = parseNslookup(args);
      const server = nameServer(exec, 'nslookup', req.server);
      if (typeof server === 'object') return server;
      // An empty name is the root, as bind's tools read it.
      const name = req.name === '' ? '.' : req.name;
      return formatNslookup(dnsOutcome(name, exec.nslookup(name, server)));
    }
    case 'dig': {
      const req = parseDig(args);
      const server = nameServer(exec, 'dig', req.server);
      if (typeof server === 'object') return server;
      const started = whenMs();
      const r = exec.nslookup(req.name.endsWith('.') ? req.name : `${req.name}.`, server);
      return formatDig(req, dnsOutcome(req.name, r), { id: 0x3a1f, queryTimeMs: Math.max(0, whenMs() - started), whenMs: whenMs() });
    }
    default:
      return fail(
        `OCI runtime exec failed: exec failed: unable to start container process: exec: "${program ?? ''}": executable file not found in $PATH: unknown`,
        126,
      );
  }
}

/**
 * The address of the server `@SERVER` or nslookup's second word names: an address as it is, else
 * the name looked up first, as bind's tools do; one that does not resolve ends the command in
 * their words (dig exits 10, nslookup 1).
 */
function nameServer(exec: WorkloadExec, tool: 'dig' | 'nslookup', server: string | undefined): string | undefined | CommandResult {
  if (server === undefined || k8s.isIPv4(server) || (server.includes(':') && /^[0-9a-fA-F:.]+$/.test(server))) return server;
  const r = server === '' || /^\d+(\.\d+)*$/.test(server) ? undefined : exec.nslookup(server);
  if (r?.ok === true && r.ips[0] !== undefined) return r.ips[0];
  return fail(`${tool}: couldn't get address for '${server}': not found`, tool === 'dig' ? 10 : 1);
}

function curlOutcome(req: CurlRequest, r: CurlResult): CurlOutcome {
  if (r.kind === 'response') {
    return {
      kind: 'response',
      status: r.response.status,
      statusText: r.response.statusText,
      headers: r.response.headers.map(([name, value]) => ({ name, value })),
      body: r.response.body,
      elapsedMs: r.elapsedMs,
      remoteIp: r.remoteIp,
    };
  }
  const timedOutByUser = req.connectTimeoutMs !== undefined || req.maxTimeMs !== undefined;
  const failure =
    r.code === 6
      ? ('resolve' as const)
      : r.code === 7
        ? ('refused' as const)
        : r.code === 56
          ? ('reset' as const)
          : r.code === 35
            ? ('tls-reset' as const)
            : r.code === 60
              ? ('tls-verify' as const)
              : r.code === 52
                ? ('empty-reply' as const)
                : r.phase === 'transfer'
                  ? ('timeout' as const)
                  : timedOutByUser
                    ? ('connect-timeout' as const)
                    : ('syn-timeout' as const);
  return { kind: 'error', failure, elapsedMs: r.elapsedMs, ...(r.ip === undefined ? {} : { remoteIp: r.ip }) };
}

function dnsOutcome(query: string, r: NslookupResult): DnsOutcome {
  if (r.ok)
    return {
      server: r.server,
      serverIp: r.server,
      query,
      answers: r.ips.map((ip) => ({ name: r.name, ip, ttl: r.ttl })),
      rcode: 'NOERROR',
      authoritative: r.name.endsWith('cluster.local'),
    };
  return { server: r.server, serverIp: r.server, query, answers: [], rcode: r.rcode, authoritative: false };
}
