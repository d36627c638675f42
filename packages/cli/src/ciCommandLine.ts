import { GLOBAL_OPTIONS } from './globalOptions.ts';

/**
 * Which invocations of the `cilium-sim` binary are the CI commands (`test`, `lint`, `replay`,
 * run by ciCommands.ts). Kept apart from them so that every start can ask without loading them.
 */
export const CI_COMMAND_NAMES: readonly string[] = ['test', 'lint', 'replay'];

/** Global options that take a value as the next argument, so a command name is not mistaken for one. */
const VALUE_OPTIONS = Object.entries(GLOBAL_OPTIONS).flatMap(([name, o]) => (o.type === 'string' ? [`--${name}`] : []));

/**
 * `[global options] test|lint|replay ARGS...`: the global options before the command, and the
 * command with its own arguments; undefined for the other commands.
 */
export function splitCiCommand(argv: readonly string[]): { globals: string[]; command: string; args: string[] } | undefined {
  let i = 0;
  while (i < argv.length && argv[i]!.startsWith('-')) i += VALUE_OPTIONS.includes(argv[i]!) ? 2 : 1;
  const command = argv[i];
  if (command === undefined || !CI_COMMAND_NAMES.includes(command)) return undefined;
  return { globals: argv.slice(0, i), command, args: argv.slice(i + 1) };
}
