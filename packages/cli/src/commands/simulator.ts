import { listScenarios } from '@cilium-sim/scenarios';
import { scenarioTable } from './scenarioTable.ts';
import { fail, ok } from '../shell/command.ts';
import type { CommandHandler } from './cliContext.ts';
import { TOOLKIT_SUBCOMMANDS } from './simToolkit.ts';
import { replaySessionCommand } from './replaySession.ts';

/** `cilium-sim SUBCOMMAND` inside a script or the REPL: the simulator's own tools. */
export const simulatorCommand: CommandHandler = (ctx, args, io) => {
  const [sub, ...rest] = args;
  const handler = sub === undefined ? undefined : SUBCOMMANDS[sub];
  if (handler === undefined) return fail(`cilium-sim: unknown command "${sub ?? ''}"; try: ${Object.keys(SUBCOMMANDS).join(', ')}\n`);
  return handler(ctx, rest, io);
};

const SUBCOMMANDS: Readonly<Record<string, CommandHandler>> = {
  ...TOOLKIT_SUBCOMMANDS,
  replay: replaySessionCommand,
  scenario: (_ctx, args) => {
    if (args[0] !== 'list' && args[0] !== '--list')
      return fail(
        'cilium-sim scenario: inside a session only "cilium-sim scenario list" works; run a scenario from your shell: cilium-sim scenario NAME\n',
      );
    return ok(scenarioTable());
  },
  version: () => ok('cilium-sim 0.1.0\n'),
  check: () =>
    fail(
      `cilium-sim check: this session has no lab task; start one from your shell: cilium-sim lab NAME (labs: ${listScenarios()
        .filter((s) => s.mode === 'lab')
        .map((s) => s.name)
        .join(', ')})\n`,
    ),
};
