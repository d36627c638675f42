import type { CommandResult } from './command.ts';

/**
 * The shell options `set` changes, as bash names them. A CI script that starts with
 * `set -euo pipefail` relies on them to stop at the first failure, so they are honoured
 * rather than refused: a script that went on past a failed check would pass when it should not.
 */
export interface ShellOptions {
  /** `set -e`: the script (or REPL) ends at the first list that fails. */
  errexit: boolean;
  /** `set -u`: expanding an unset variable fails the command. */
  nounset: boolean;
  /** `set -o pipefail`: a pipeline's status is its last failing stage's, not its last stage's. */
  pipefail: boolean;
}

type OptionName = keyof ShellOptions;

const LETTERS: Readonly<Record<string, OptionName>> = { e: 'errexit', u: 'nounset' };
const NAMES: readonly OptionName[] = ['errexit', 'nounset', 'pipefail'];

export function defaultShellOptions(): ShellOptions {
  return { errexit: false, nounset: false, pipefail: false };
}

/**
 * `set` (the variables), `set -e`, `set +eu`, `set -o pipefail`, `set -euo pipefail`, `set -o` (the table). Options
 * bash has but the shell does not model (`-x`, `-o noclobber`) are refused by name, so a user
 * never believes one is on; nothing changes unless the whole line is understood.
 *
 * @example setBuiltin(['-euo', 'pipefail'], options) // options: errexit, nounset and pipefail on
 */
export function setBuiltin(args: readonly string[], options: ShellOptions, env: Readonly<Record<string, string>>): CommandResult {
  if (args.length === 0) return variableList(env);
  if (args.length === 1 && /^[-+]o$/.test(args[0]!)) return optionTable(options);
  const changes: [OptionName, boolean][] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const on = arg.startsWith('-');
    if (arg === '--' || arg === '-') return refuse('positional parameters are not modelled', 1);
    if (!/^[-+][A-Za-z]+$/.test(arg)) return refuse(`${arg}: positional parameters are not modelled`, 1);
    for (const letter of arg.slice(1)) {
      if (letter === 'o') {
        const name = args[++i];
        if (name === undefined) return optionTable(options);
        if (!(NAMES as readonly string[]).includes(name)) return refuse(unsupportedOption(name), 2);
        changes.push([name as OptionName, on]);
        continue;
      }
      const name = LETTERS[letter];
      if (name === undefined) return refuse(unsupportedOption(`${arg[0]}${letter}`), 2);
      changes.push([name, on]);
    }
  }
  for (const [name, on] of changes) options[name] = on;
  return { stdout: '', stderr: '', exitCode: 0 };
}

function unsupportedOption(option: string): string {
  return `${option}: option not supported (set -e, -u, -o errexit, -o nounset, -o pipefail are)`;
}

function optionTable(options: ShellOptions): CommandResult {
  const stdout = NAMES.map((n) => `${n.padEnd(15)}\t${options[n] ? 'on' : 'off'}\n`).join('');
  return { stdout, stderr: '', exitCode: 0 };
}

/** `set` alone lists the variables as bash does, quoted so the line could be read back. */
function variableList(env: Readonly<Record<string, string>>): CommandResult {
  const quote = (v: string) => (/^[\w@%+=:,./-]*$/.test(v) ? v : `'${v.replaceAll("'", "'\\''")}'`);
  const stdout = Object.keys(env)
    .sort()
    .map((k) => `${k}=${quote(env[k]!)}\n`)
    .join('');
  return { stdout, stderr: '', exitCode: 0 };
}

function refuse(message: string, exitCode: number): CommandResult {
  return { stdout: '', stderr: `cilium-sim: set: ${message}\n`, exitCode };
}
