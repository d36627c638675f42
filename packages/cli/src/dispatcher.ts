import { isSimError } from '@cilium-sim/core';
import { isUsageError } from './tools/usageError.ts';
import type { CommandResult, Dispatch } from './shell/command.ts';
import type { CliContext, CommandHandler } from './commands/cliContext.ts';
import { cilium } from './commands/cilium.ts';
import { hubble } from './commands/hubble.ts';
import { kubectl } from './commands/kubectl.ts';
import { simulatorCommand } from './commands/simulator.ts';
import { sleep } from './commands/sleep.ts';
import { docker, outside } from './commands/traffic.ts';

/** The programs a script or the REPL can run, by name. */
export const COMMANDS: Readonly<Record<string, CommandHandler>> = {
  kubectl,
  hubble,
  cilium,
  'cilium-dbg': cilium,
  'cilium-sim': simulatorCommand,
  sleep,
  docker,
  outside,
};

/**
 * Routes each command line to its emulated program. A bad command line or bad input prints
 * what the real tool prints; never a stack trace.
 */
export function createDispatch(ctx: CliContext): Dispatch {
  return (argv, io) => {
    const [program, ...args] = argv;
    const handler = program === undefined ? undefined : COMMANDS[program];
    if (handler === undefined) return { stdout: '', stderr: `bash: ${program ?? ''}: command not found\n`, exitCode: 127 };
    try {
      return handler(ctx, args, io);
    } catch (e) {
      return asCommandError(e, program!);
    }
  };
}

function asCommandError(e: unknown, program: string): CommandResult {
  if (isUsageError(e)) return { stdout: '', stderr: e.stderr, exitCode: e.exitCode };
  if (isSimError(e)) {
    const msg =
      e.message.startsWith('Error') || e.message.startsWith('error')
        ? e.message
        : `${program === 'kubectl' ? 'error' : 'Error'}: ${e.message}`;
    return { stdout: '', stderr: `${msg}\n`, exitCode: 1 };
  }
  throw e;
}
