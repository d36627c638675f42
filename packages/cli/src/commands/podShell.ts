import type { WorkloadExec, WorkloadProcess } from '@cilium-sim/core';
import { fail, ok, type CommandResult } from '../shell/command.ts';
import { expandWord } from '../shell/expand.ts';
import { echo } from '../shell/filters/echo.ts';
import { parse, type Program } from '../shell/parse.ts';
import { ShellSyntaxError } from '../shell/shellSyntaxError.ts';

/** Runs one program of the pod's image as `w` (a process of its own when `w` is one). */
export type RunTool = (w: WorkloadExec, argv: readonly string[]) => CommandResult;

/** A container's environment as `kubectl exec` gives it: what `$HOME` and `$PATH` read in `sh -c`. */
const CONTAINER_ENV: Readonly<Record<string, string>> = {
  HOME: '/root',
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  HOSTNAME: '',
};

/**
 * `sh -c 'COMMANDS'` (or `bash -c`) inside a pod, as the Tetragon labs run curl: the commands
 * are lists of simple commands (`;`, `&&`, `||`) of the programs the sandbox has and the
 * shell's own `echo`, `true`, `false`, `:` and `exit`, with `$VAR` expansion. A lone command replaces the shell (exec without fork, as bash and dash do: Tetragon
 * shows the shell's exec, then the command's with the same PID, and only the command's exit);
 * several are children the shell waits for, and the shell exits with the last status.
 */
export function runPodShell(exec: WorkloadExec, shell: string, args: readonly string[], runTool: RunTool): CommandResult {
  if (args[0] !== '-c') {
    return fail(
      `cilium-sim: an interactive ${shell} in a pod is not modelled; run the command itself (kubectl exec POD -- curl ...) or pass it with ${shell} -c '...'`,
      1,
    );
  }
  const script = args[1];
  if (script === undefined) return fail(`${shell}: -c: option requires an argument`, 2);
  let program: Program;
  try {
    program = parse(script);
  } catch (e) {
    if (e instanceof ShellSyntaxError) return fail(`${shell}: -c: ${e.message}`, 2);
    throw e;
  }
  const commands = program.flatMap((list) => [list.first, ...list.rest.map((r) => r.pipeline)]);
  const unsupported = commands.find((p) => p.commands.length !== 1 || p.commands[0]!.redirections.length > 0 || p.negated);
  if (unsupported !== undefined)
    return fail(`cilium-sim: ${shell} -c in a pod runs simple commands joined by ; && ||; pipes and redirections are not modelled`, 1);
  let status = 0;
  const env: Record<string, string> = { ...CONTAINER_ENV };
  const argvOf = (words: Program[number]['first']['commands'][number]['words']): string[] =>
    words.flatMap((w) =>
      expandWord(w, {
        env,
        lastStatus: status,
        substitute: () => {
          throw new ShellSyntaxError('command substitution in sh -c is not modelled in a pod');
        },
      }),
    );
  const single = program.length === 1 && program[0]!.rest.length === 0 && program[0]!.first.commands[0]!.assignments.length === 0;
  try {
    if (single && isProcess(exec)) {
      const argv = argvOf(program[0]!.first.commands[0]!.words);
      if (argv.length === 0) return { stdout: '', stderr: '', exitCode: 0 };
      const own = shellBuiltin(shell, argv, status);
      if (own !== undefined) return own;
      const replaced = exec.exec(argv);
      const r = runTool(replaced, argv);
      replaced.exit(r.exitCode);
      return r;
    }
    let stdout = '';
    let stderr = '';
    for (const list of program) {
      const steps = [{ op: ';', pipeline: list.first }, ...list.rest];
      for (const { op, pipeline } of steps) {
        if ((op === '&&' && status !== 0) || (op === '||' && status === 0)) continue;
        const cmd = pipeline.commands[0]!;
        for (const a of cmd.assignments) env[a.name] = expandWord(a.value, { env, lastStatus: status, substitute: () => '' }).join(' ');
        const argv = argvOf(cmd.words);
        if (argv.length === 0) continue;
        const own = shellBuiltin(shell, argv, status);
        if (own !== undefined) {
          stdout += own.stdout;
          stderr += own.stderr;
          status = own.exitCode;
          if (own.exits) return { stdout, stderr, exitCode: status };
          continue;
        }
        const child = exec.spawn(argv);
        const r = runTool(child, argv);
        child.exit(r.exitCode);
        stdout += r.stdout;
        stderr += r.stderr;
        status = r.exitCode;
      }
    }
    return { stdout, stderr, exitCode: status };
  } catch (e) {
    if (e instanceof ShellSyntaxError) return fail(`cilium-sim: ${e.message}`, 2);
    throw e;
  }
}

/**
 * The shell's own commands, run without a process (Tetragon shows no exec for them): `echo`,
 * `true`, `false`, `:` and `exit [N]`, which ends the shell with N (else the last status).
 */
function shellBuiltin(shell: string, argv: readonly string[], status: number): (CommandResult & { exits?: true }) | undefined {
  const [name, ...args] = argv;
  if (name === 'echo') return echo(args, { stdin: '', env: {}, readFile: () => undefined });
  if (name === 'true' || name === ':') return ok();
  if (name === 'false') return { stdout: '', stderr: '', exitCode: 1 };
  if (name !== 'exit') return undefined;
  const code = args[0] === undefined ? status : /^-?\d+$/.test(args[0]) ? Number.parseInt(args[0], 10) : Number.NaN;
  if (Number.isNaN(code)) return { ...fail(`${shell}: exit: ${args[0]}: numeric argument required`, 2), exits: true };
  return { stdout: '', stderr: '', exitCode: code & 0xff, exits: true };
}

function isProcess(w: WorkloadExec): w is WorkloadProcess {
  return typeof (w as Partial<WorkloadProcess>).exec === 'function';
}
