import type { CapturedPacket, PacketCapture, WorkloadProcess } from '@cilium-sim/core';
import type { CliContext } from './cliContext.ts';
import type { BackgroundJob, CommandIo, CommandResult, JobSignal } from '../shell/command.ts';
import { UsageError } from '../tools/usageError.ts';
import { compileCaptureFilter } from '../tcpdump/captureFilter.ts';
import { packetLine, SequenceTable } from '../tcpdump/packetLine.ts';
import { LINKTYPE, pcapFile, SNAPLEN } from '../tcpdump/pcapFile.ts';
import { parseTcpdump, type TcpdumpArgs } from '../tcpdump/tcpdumpArgs.ts';

/** The interfaces of a kind node with Cilium, besides the pods' `lxc...` veths. */
const NODE_INTERFACES = ['any', 'eth0', 'lo', 'cilium_net', 'cilium_host', 'cilium_vxlan', 'lxc_health'];

/**
 * A file's bytes in the session's file store, one character per byte (code 0..255), the way
 * `> FILE` keeps what a command prints: `cat` passes them on, and the tests hand them to tshark.
 */
export function binaryString(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
}

/**
 * `tcpdump -i any -nn [FILTER]` on a node (`docker exec NODE tcpdump ...`). A capture shows the
 * packets the next commands send, so it runs as a background job: started with `&`, it prints
 * (or, with `-w FILE`, writes) the packets crossing the node while the following commands run,
 * and ends with `kill %N` (or after `-c N` packets), printing tcpdump's counts. In the
 * foreground it would wait for packets nothing sends, so it says how to run it instead.
 */
export function runTcpdump(ctx: CliContext, node: string, argv: readonly string[], io: CommandIo): CommandResult {
  const args = parseTcpdump(argv.slice(1));
  if (args.info !== undefined) return { stdout: args.info, stderr: '', exitCode: 0 };
  if (!NODE_INTERFACES.includes(args.iface) && !/^lxc[0-9a-f]{12}$/.test(args.iface))
    throw new UsageError({
      code: 'INVALID_FLAG',
      object: 'tcpdump',
      path: '-i',
      message: `tcpdump: ${args.iface}: No such device exists\n(No such device exists)`,
    });
  const filter = compileCaptureFilter(args.expression);
  const header = listening(args);
  if (io.background !== true)
    return {
      stdout: '',
      stderr: `${header}cilium-sim: tcpdump prints the packets of the commands that run while it listens; start it in the background (docker exec ${node} tcpdump ... &), run the traffic, then stop it with kill %1\n`,
      exitCode: 1,
    };
  if (args.writeFile !== undefined && args.writeFile !== '-' && ctx.writeFile === undefined)
    throw new UsageError({
      code: 'INVALID_FLAG',
      object: 'tcpdump',
      path: '-w',
      message: `tcpdump: ${args.writeFile}: Read-only file system`,
    });
  const onIface = args.iface === 'any' ? filter : (p: CapturedPacket) => p.iface === args.iface && filter(p);
  const capture = ctx.cluster.capture(node, onIface);
  const proc = ctx.cluster.options.tetragon ? ctx.cluster.host(node).spawn(argv) : undefined;
  return { stdout: '', stderr: header, exitCode: 0, job: new TcpdumpJob(ctx, args, capture, proc) };
}

/** tcpdump's start-up lines on stderr. */
function listening(args: TcpdumpArgs): string {
  const link = args.iface === 'any' ? 'LINUX_SLL2 (Linux cooked v2)' : 'EN10MB (Ethernet)';
  const line = `listening on ${args.iface}, link-type ${link}, snapshot length ${SNAPLEN} bytes\n`;
  return args.writeFile === undefined
    ? `tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\n${line}`
    : `tcpdump: ${line}`;
}

class TcpdumpJob implements BackgroundJob {
  readonly #ctx: CliContext;
  readonly #args: TcpdumpArgs;
  readonly #capture: PacketCapture;
  readonly #proc: WorkloadProcess | undefined;
  readonly #seqs = new SequenceTable();
  readonly #written: CapturedPacket[] = [];
  #stdout = '';
  #stderr = '';
  #printed = 0;
  /** Bytes of the file already on stdout, for `-w -`. */
  #sent = 0;
  status: number | undefined;

  constructor(ctx: CliContext, args: TcpdumpArgs, capture: PacketCapture, proc: WorkloadProcess | undefined) {
    this.#ctx = ctx;
    this.#args = args;
    this.#capture = capture;
    this.#proc = proc;
  }

  drain(): { stdout: string; stderr: string } {
    if (this.status === undefined) this.#collect();
    const out = { stdout: this.#stdout, stderr: this.#stderr };
    this.#stdout = '';
    this.#stderr = '';
    return out;
  }

  signal(signal: JobSignal): void {
    if (this.status !== undefined) return;
    this.#collect();
    if (this.status !== undefined) return;
    // tcpdump catches INT and TERM and reports its counts; HUP and KILL end it where it stands.
    if (signal === 'INT' || signal === 'TERM') this.#end('\n', 0);
    else this.#end(undefined, signal === 'KILL' ? 137 : 129);
  }

  /** The packets captured since the last look: printed or kept for the file, up to `-c`. */
  #collect(): void {
    const limit = this.#args.count ?? Number.POSITIVE_INFINITY;
    const fresh = this.#capture.take();
    for (const p of fresh) {
      if (this.#printed >= limit) break;
      this.#printed++;
      if (this.#args.writeFile !== undefined) this.#written.push(p);
      else
        this.#stdout += `${packetLine(p, this.#seqs, { anyInterface: this.#args.iface === 'any', timestamps: this.#args.timestamps, absolute: this.#args.absolute })}\n`;
    }
    if (this.#args.writeFile !== undefined && (fresh.length > 0 || this.#sent === 0)) this.#writeFile();
    if (this.#printed >= limit) this.#end('', 0);
  }

  /** The file as it stands: rewritten whole in the store, or on stdout (`-w -`) the bytes not yet sent. */
  #writeFile(): void {
    const bytes = pcapFile(this.#written, this.#args.iface === 'any' ? LINKTYPE.LINUX_SLL2 : LINKTYPE.EN10MB);
    if (this.#args.writeFile === '-') {
      this.#stdout += binaryString(bytes.subarray(this.#sent));
      this.#sent = bytes.length;
    } else this.#ctx.writeFile?.(this.#args.writeFile!, binaryString(bytes));
  }

  /** Stops the capture; with `before` set, tcpdump's counts follow it on stderr. */
  #end(before: string | undefined, status: number): void {
    this.#capture.stop();
    if (this.#args.writeFile !== undefined && this.#args.writeFile !== '-') this.#writeFile();
    if (before !== undefined) {
      const plural = (n: number, what: string): string => `${n} packet${n === 1 ? '' : 's'} ${what}\n`;
      const matched = this.#capture.packets().length + this.#capture.dropped;
      this.#stderr += `${before}${plural(this.#printed, 'captured')}${plural(matched, 'received by filter')}${plural(this.#capture.dropped, 'dropped by kernel')}`;
    }
    this.status = status;
    if (this.#proc !== undefined) this.#proc.exit(status);
  }
}
