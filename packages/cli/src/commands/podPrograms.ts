import type { Pod, WorkloadProcess } from '@cilium-sim/core';
import { fail, ok, type CommandIo, type CommandResult } from '../shell/command.ts';
import type { ExecRequest } from '../kubectl/podArgs.ts';
import { runSpireServerCli } from '../spire/serverCli.ts';
import { runTetraCli } from '../tetra/tetraCli.ts';
import { isUsageError } from '../tools/usageError.ts';
import { helpAskedFor } from '../toolHelp.ts';
import { runCiliumAgentCli } from './cilium.ts';
import type { CliContext } from './cliContext.ts';
import { isWorkloadProgram, runWorkloadTool } from './workloadTools.ts';

/** A program of a pod's image, run as `w` (the process Tetragon sees, when the cluster runs it). */
type PodProgram = (w: WorkloadProcess | undefined) => CommandResult;

/**
 * What `kubectl exec POD -- COMMAND` runs in the container: the system tools of their pods
 * (`spire-server` in SPIRE's, `cilium`/`cilium-dbg` in the agents', `tetra` in Tetragon's agent
 * container), else the sandbox's workload tools and shells. With Tetragon, the command is a
 * process of the container: its exec event, its connections, its exit with the command's status.
 */
export function runInPod(ctx: CliContext, pod: Pod, req: ExecRequest, io: CommandIo): CommandResult {
  const cluster = ctx.cluster;
  const target = `${pod.metadata.namespace}/${pod.metadata.name}`;
  const [program = '', ...rest] = req.command;
  const bin = program.split('/').pop() ?? '';
  const labels = pod.metadata.labels;
  let run: PodProgram | undefined;
  const spireServer = cluster.spireServer();
  if (bin === 'spire-server' && labels['app'] === 'spire-server' && spireServer !== undefined) {
    run = () => runSpireServerCli(spireServer, rest);
  } else if ((bin === 'cilium' || bin === 'cilium-dbg') && labels['k8s-app'] === 'cilium') {
    const help = helpAskedFor(bin, rest);
    run = () => (help === undefined ? runCiliumAgentCli(ctx, bin, rest, pod.spec.nodeName ?? '', io) : ok(help));
  } else if (bin === 'tetra' && labels['app.kubernetes.io/name'] === 'tetragon') {
    // The chart's first container is export-stdout, which has no tetra: the labs pass `-c tetragon`.
    if (req.container !== 'tetragon') {
      const names = pod.spec.containers.map((c) => c.name);
      const defaulted = req.container === undefined ? `Defaulted container "${names[0]}" out of: ${names.join(', ')}\n` : '';
      return fail(
        `${defaulted}OCI runtime exec failed: exec failed: unable to start container process: exec: "${program}": executable file not found in $PATH: unknown`,
        126,
      );
    }
    run = (w) => runTetra(ctx, pod.spec.nodeName ?? '', w, rest, req.tty);
  } else if (isWorkloadProgram(program)) {
    // kubectl forwards its standard input only with -i: a shell reads its script from it (`sh <<EOF`).
    const input = { stdin: req.stdin ? io.stdin : undefined, tty: req.tty };
    run = (w) => runWorkloadTool(w ?? cluster.exec(target), req.command, () => cluster.now().epochMs, input);
  } else {
    return runWorkloadTool(cluster.exec(target), req.command, () => cluster.now().epochMs);
  }
  if (!cluster.options.tetragon) return usageAsResult(() => run(undefined));
  const proc = cluster.exec(target, req.container === undefined ? {} : { container: req.container }).spawn(req.command);
  const result = usageAsResult(() => run(proc));
  proc.exit(result.exitCode);
  return result;
}

/** `tetra ARGS` in a Tetragon pod: its node's events, up to (not including) tetra's own start. */
function runTetra(ctx: CliContext, node: string, self: WorkloadProcess | undefined, args: readonly string[], tty: boolean): CommandResult {
  const own = self?.info?.execId;
  return runTetraCli(
    (filter) => ctx.cluster.inspect.runtimeEvents({ node, allowList: [filter] }).filter(({ process: p }) => p.execId !== own),
    args,
    { tty },
  );
}

/** A command line the program refuses, as it prints it: its message on stderr and its status. */
function usageAsResult(run: () => CommandResult): CommandResult {
  try {
    return run();
  } catch (e) {
    if (isUsageError(e)) return { stdout: '', stderr: e.stderr, exitCode: e.exitCode };
    throw e;
  }
}
