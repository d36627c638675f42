import type { WorkloadExec, WorkloadProcess } from '@cilium-sim/core';
import { fail, ok, type CommandResult } from '../shell/command.ts';
import { ExpansionError, expandWord, expandWordToString, type ExpandContext } from '../shell/expand.ts';
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
 * What a pod's shell reads from `kubectl exec`: the standard input kubectl forwards (`-i`, so
 * undefined without it) and whether a TTY was asked for (`-t`).
 */
export interface ShellInput {
  readonly stdin: string | undefined;
  readonly tty: boolean;
}

/**
 * `sh -c 'COMMANDS'` (or `bash -c`) inside a pod, as the Tetragon labs run curl, and a script fed
 * on standard input (`kubectl exec -i POD -- sh <<EOF`, or `sh -s`): the commands are lists of
 * simple commands (`;`, `&&`, `||`, one a line) of the programs the sandbox has and the shell's
 * own `echo`, `true`, `false`, `:` and `exit`, with `$VAR` expansion. A lone `-c` command replaces
 * the shell (exec without fork, as bash and dash do: Tetragon shows the shell's exec, then the
 * command's with the same PID, and only the command's exit); otherwise they are children the
 * shell waits for, and the shell exits with the last status.
 */
export function runPodShell(
  exec: WorkloadExec,
  shell: string,
  args: readonly string[],
  runTool: RunTool,
  input: ShellInput = { stdin: undefined, tty: false },
): CommandResult {
  const source = shellSource(shell, args, input);
  if ('exitCode' in source) return source;
  const { script, warning } = source;
  let program: Program;
  try {
    program = parse(script);
  } catch (e) {
    if (e instanceof ShellSyntaxError) return fail(`${warning}${shell}: ${source.fromStdin ? '' : '-c: '}${e.message}`, 2);
    throw e;
  }
  const result = runProgram(exec, shell, program, runTool, !source.fromStdin);
  return warning === '' ? result : { ...result, stderr: warning + result.stderr };
}

/** The script `sh ARGS` runs: `-c`'s argument, or what it reads from standard input; else why it does not start. */
function shellSource(
  shell: string,
  args: readonly string[],
  input: ShellInput,
): { script: string; fromStdin: boolean; warning: string } | CommandResult {
  const [first, ...rest] = args;
  if (first === '-c') {
    const script = rest[0];
    if (script === undefined) return fail(`${shell}: -c: option requires an argument`, 2);
    return { script, fromStdin: false, warning: '' };
  }
  if (first === undefined || first === '-s' || first === '-') {
    // With -t and nothing piped in, the user wants a terminal in the pod: that is not modelled.
    if (input.tty && (input.stdin ?? '') === '')
      return fail(
        `cilium-sim: an interactive ${shell} in a pod is not modelled; run the command itself (kubectl exec POD -- curl ...), pass it with ${shell} -c '...', or feed a script: kubectl exec -i POD -- ${shell} <<EOF`,
        1,
      );
    // Without -i kubectl passes no input: the shell reads end-of-file at once and exits 0, as a real one does.
    const warning = input.tty ? 'Unable to use a TTY - input is not a terminal or the right kind of file\n' : '';
    return { script: input.stdin ?? '', fromStdin: true, warning };
  }
  if (first.startsWith('-'))
    return fail(
      `cilium-sim: ${shell} ${first} in a pod is not modelled; the pod's shell runs ${shell} -c '...' and a script on its standard input (kubectl exec -i POD -- ${shell} <<EOF)`,
      1,
    );
  // A script file: the images hold none.
  return shell === 'bash' ? fail(`bash: ${first}: No such file or directory`, 127) : fail(`sh: 0: cannot open ${first}: No such file`, 2);
}

/** Runs a parsed pod script; `execLone` lets a lone command replace the shell, as `sh -c` does. */
function runProgram(exec: WorkloadExec, shell: string, program: Program, runTool: RunTool, execLone: boolean): CommandResult {
  const commands = program.flatMap((list) => [list.first, ...list.rest.map((r) => r.pipeline)]);
  const unsupported = commands.find((p) => p.commands.length !== 1 || p.commands[0]!.redirections.length > 0 || p.negated);
  if (unsupported !== undefined)
    return fail(
      `cilium-sim: ${shell} ${execLone ? '-c ' : ''}in a pod runs simple commands joined by ; && || or newlines; pipes and redirections are not modelled`,
      1,
    );
  let status = 0;
  const env: Record<string, string> = { ...CONTAINER_ENV };
  const context = (): ExpandContext => ({
    env,
    lastStatus: status,
    assign: (name, value) => void (env[name] = value),
    substitute: () => {
      throw new ShellSyntaxError(`command substitution in ${shell} is not modelled in a pod`);
    },
  });
  const argvOf = (words: Program[number]['first']['commands'][number]['words']): string[] => words.flatMap((w) => expandWord(w, context()));
  const single =
    execLone && program.length === 1 && program[0]!.rest.length === 0 && program[0]!.first.commands[0]!.assignments.length === 0;
  let stdout = '';
  let stderr = '';
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
    for (const list of program) {
      const steps = [{ op: ';', pipeline: list.first }, ...list.rest];
      for (const { op, pipeline } of steps) {
        if ((op === '&&' && status !== 0) || (op === '||' && status === 0)) continue;
        const cmd = pipeline.commands[0]!;
        for (const a of cmd.assignments) env[a.name] = expandWordToString(a.value, context());
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
    if (e instanceof ShellSyntaxError) return fail(`${stderr}cilium-sim: ${e.message}`, 2, stdout);
    // The shell ends at a failed expansion (`${X:?message}`): bash with 1, dash with 2.
    if (e instanceof ExpansionError) return fail(`${stderr}${shell}: ${e.message}`, shell === 'bash' ? 1 : 2, stdout);
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
