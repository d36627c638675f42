import { parseArgs } from 'node:util';
import { REPORT_FORMATS, type ReportFormat } from './reportCase.ts';

/**
 * What `cilium-sim test`, `lint` and `replay` need from the process, so tests can run them with
 * files on disk and capture what they print: the working directory, standard input, the two
 * output streams, and a writer for the files `--update` records.
 */
export interface CiEnv {
  readonly cwd: string;
  readonly stdin: () => string;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly writeFile: (path: string, text: string) => void;
}

/** The exit statuses the three commands share: all good, a finding or failure, bad input. */
export const EXIT = { ok: 0, failed: 1, malformed: 2 } as const;

/** A command line the command refuses: printed with its usage, exit status 2. */
export class CiUsageError extends Error {}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

/** node:util's parseArgs with the errors said as the CLI says them (`unknown flag: --x`). */
export function parseCiArgs(args: readonly string[], options: Options): { values: Record<string, unknown>; positionals: string[] } {
  try {
    return parseArgs({
      args: [...args],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    const code = (e as { code?: string }).code;
    const message = e instanceof Error ? e.message : String(e);
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new CiUsageError(`unknown flag: ${/'([^']+)'/.exec(message)?.[1] ?? message}`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
      throw new CiUsageError(`flag needs an argument: ${/(--?[a-zA-Z-]+)/.exec(message)?.[1] ?? message}`);
    throw new CiUsageError(message);
  }
}

/** `--format`, checked against the formats the commands print. */
export function reportFormat(value: unknown): ReportFormat {
  if (value === undefined) return 'text';
  const f = REPORT_FORMATS.find((x) => x === value);
  if (f === undefined)
    throw new CiUsageError(`invalid argument "${String(value)}" for "--format" flag: must be one of ${REPORT_FORMATS.join(', ')}`);
  return f;
}
