import { listScenarios } from '@cilium-sim/scenarios';
import { scenarioTable } from './scenarioTable.ts';
import { fail, ok, type CommandResult } from '../shell/command.ts';
import type { CommandHandler } from './cliContext.ts';
import { isResult, parseToolFlags, TOOLKIT_SUBCOMMANDS } from './simToolkit.ts';
import { replaySessionCommand } from './replaySession.ts';

/** `cilium-sim SUBCOMMAND` inside a script or the REPL: the simulator's own tools. */
export const simulatorCommand: CommandHandler = (ctx, args, io) => {
  const [sub, ...rest] = args;
  const handler = sub === undefined ? undefined : SUBCOMMANDS[sub];
  const known = Object.keys(SUBCOMMANDS).join(', ');
  if (sub === undefined) return fail(`cilium-sim: a command is required; try: ${known}\n`);
  if (handler === undefined) return fail(`cilium-sim: unknown command "${sub}"; try: ${known}\n`);
  return handler(ctx, rest, io);
};

/**
 * A subcommand that takes no flags or arguments: `--help` prints its usage, anything else is
 * refused as the toolkit's other subcommands refuse it (`error: unknown flag: --nope`, status 1).
 */
function noFlags(args: readonly string[], usage: string): CommandResult | undefined {
  if (args.length === 0) return undefined;
  const parsed = parseToolFlags(args, [], usage);
  if (isResult(parsed)) return parsed;
  return ok(`${usage}\n`);
}

const SUBCOMMANDS: Readonly<Record<string, CommandHandler>> = {
  ...TOOLKIT_SUBCOMMANDS,
  replay: replaySessionCommand,
  scenario: (_ctx, args) => {
    if (args[0] !== 'list' && args[0] !== '--list')
      return fail(
        'cilium-sim scenario: inside a session only "cilium-sim scenario list" works; run a scenario from your shell: cilium-sim scenario NAME\n',
      );
    return noFlags(args.slice(1), 'usage: cilium-sim scenario list') ?? ok(scenarioTable());
  },
  version: (_ctx, args) => noFlags(args, 'usage: cilium-sim version') ?? ok('cilium-sim 0.1.0\n'),
  check: (_ctx, args) =>
    noFlags(args, 'usage: cilium-sim check') ??
    fail(
      `cilium-sim check: this session has no lab task; start one from your shell: cilium-sim lab NAME (labs: ${listScenarios()
        .filter((s) => s.mode === 'lab')
        .map((s) => s.name)
        .join(', ')})\n`,
    ),
};
