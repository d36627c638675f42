import { isSimError, type SimError } from '@cilium-sim/core';
import { isUsageError } from './tools/usageError.ts';
import type { CommandResult, Dispatch } from './shell/command.ts';
import type { CliContext, CommandHandler } from './commands/cliContext.ts';
import { cilium, ciliumDbg } from './commands/cilium.ts';
import { hubble } from './commands/hubble.ts';
import { kubectl } from './commands/kubectl.ts';
import { simulatorCommand } from './commands/simulator.ts';
import { sleep } from './commands/sleep.ts';
import { docker, dockerErrorLine, outside } from './commands/traffic.ts';
import { cobraErrorLine } from './cobra/errorLine.ts';
import { helpAskedFor } from './toolHelp.ts';
import { errorLine as kubectlErrorLine } from './kubectl/resultLines.ts';

/** An emulated program: what it runs, and how it words an error core refused its request with. */
interface Program {
  readonly run: CommandHandler;
  readonly errorLine: (e: SimError) => string;
}

/** The programs a script or the REPL can run, by name. */
export const PROGRAMS: Readonly<Record<string, Program>> = {
  kubectl: { run: kubectl, errorLine: kubectlErrorLine },
  hubble: { run: hubble, errorLine: cobraErrorLine },
  cilium: { run: cilium, errorLine: cobraErrorLine },
  'cilium-dbg': { run: ciliumDbg, errorLine: cobraErrorLine },
  'cilium-sim': { run: simulatorCommand, errorLine: cobraErrorLine },
  sleep: { run: sleep, errorLine: cobraErrorLine },
  docker: { run: docker, errorLine: dockerErrorLine },
  outside: { run: outside, errorLine: cobraErrorLine },
};

/**
 * Routes each command line to its emulated program. A bad command line or bad input prints
 * what the real tool prints; never a stack trace.
 */
export function createDispatch(ctx: CliContext): Dispatch {
  return (argv, io) => {
    const [name, ...args] = argv;
    const program = name === undefined ? undefined : PROGRAMS[name];
    if (program === undefined) return { stdout: '', stderr: `bash: ${name ?? ''}: command not found\n`, exitCode: 127 };
    const help = helpAskedFor(name!, args);
    if (help !== undefined) return { stdout: help, stderr: '', exitCode: 0 };
    try {
      return program.run(withStdin(ctx, io.stdin), args, io);
    } catch (e) {
      return asCommandError(e, program);
    }
  };
}

/**
 * The context a command sees: the session's, where the file `-` is what the command reads on
 * stdin, as `kubectl apply -f -` after `cat <<EOF |` or a here-document reads it.
 */
function withStdin(ctx: CliContext, stdin: string): CliContext {
  const listDir = ctx.listDir;
  return {
    ...ctx,
    readFile: (path) => (path === '-' ? stdin : ctx.readFile(path)),
    ...(listDir === undefined ? {} : { listDir: (path: string) => (path === '-' ? undefined : listDir.call(ctx, path)) }),
  };
}

function asCommandError(e: unknown, program: Program): CommandResult {
  if (isUsageError(e)) return { stdout: '', stderr: e.stderr, exitCode: e.exitCode };
  if (isSimError(e)) return { stdout: '', stderr: `${program.errorLine(e)}\n`, exitCode: 1 };
  throw e;
}
