import { isSimError, type SimError, type WorkloadExec } from '@cilium-sim/core';
import { fail } from '../shell/command.ts';
import type { CommandHandler } from './cliContext.ts';
import { runTcpdump } from './tcpdump.ts';
import { runAsProcess, runWorkloadTool } from './workloadTools.ts';

/**
 * `docker exec [-it] NODE CMD...`: a command on a kind node's host (identity host on its own
 * node, remote-node elsewhere).
 */
export const docker: CommandHandler = (ctx, args, io) => {
  const [sub, ...rest] = args;
  if (sub !== 'exec') return fail(`docker: only "docker exec NODE CMD..." is modelled in cilium-sim\n`);
  const optionCount = rest.findIndex((x) => !x.startsWith('-'));
  const options = optionCount < 0 ? rest : rest.slice(0, optionCount);
  const words = rest.slice(options.length);
  const [node, ...cmd] = words;
  // docker passes its standard input only with -i: a shell on the node reads its script from it.
  const input = {
    stdin: options.some((o) => o === '--interactive' || /^-[a-z]*i/.test(o)) ? io.stdin : undefined,
    tty: options.some((o) => o === '--tty' || /^-[a-z]*t/.test(o)),
  };
  if (node === undefined || cmd.length === 0) return fail('"docker exec" requires at least 2 arguments.\nSee \'docker exec --help\'.\n');
  let exec: WorkloadExec;
  try {
    exec = ctx.cluster.host(node);
  } catch (e) {
    if (isSimError(e)) return fail(dockerErrorLine(e));
    throw e;
  }
  if (cmd[0]?.split('/').pop() === 'tcpdump') return runTcpdump(ctx, node, cmd, io);
  // With Tetragon, the node's agent sees the command as a process on the node.
  return runAsProcess(exec, cmd, ctx.cluster.options.tetragon, (w) => runWorkloadTool(w, cmd, () => ctx.cluster.now().epochMs, input));
};

/**
 * docker's words for an error: a kind node is a container, so a missing node is the daemon's
 * `Error response from daemon: No such container: NAME`; anything else is docker's `Error: `.
 */
export function dockerErrorLine(e: SimError): string {
  if (e.reason === 'NotFound' && e.ref?.kind === 'Node') return `Error response from daemon: No such container: ${e.ref.name}`;
  return `Error: ${e.message}`;
}

const OUTSIDE_USAGE = 'usage: outside [--ip IP] -- CMD...\n';

/** `outside [--ip IP] -- CMD...`: a command on a client outside the cluster (identity world). */
export const outside: CommandHandler = (ctx, args) => {
  const dash = args.indexOf('--');
  if (dash === -1 && args[0]?.startsWith('-') === true) return fail(`outside: put the command after --\n${OUTSIDE_USAGE}`);
  const opts = dash === -1 ? [] : args.slice(0, dash);
  const cmd = dash === -1 ? args : args.slice(dash + 1);
  let ip: string | undefined;
  for (let i = 0; i < opts.length; i++) {
    const o = opts[i]!;
    if (o === '--ip') ip = opts[++i];
    else if (o.startsWith('--ip=')) ip = o.slice(5);
    else return fail(`outside: unknown flag: ${o}\n${OUTSIDE_USAGE}`);
    if (ip === undefined) return fail(`outside: flag needs an argument: --ip\n${OUTSIDE_USAGE}`);
  }
  if (cmd.length === 0) return fail(OUTSIDE_USAGE);
  return runWorkloadTool(ctx.cluster.outside(ip), cmd, () => ctx.cluster.now().epochMs);
};
