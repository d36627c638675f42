/**
 * The contract between the shell layer and the tool emulations (kubectl, hubble,
 * cilium, spire-server, sleep, ...). The shell expands words, wires pipes and
 * redirections, runs its own built-ins, and hands every other command to `Dispatch`.
 */
export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
  /**
   * A command started in the background (`cmd &`) that keeps running after it returns, such as a
   * capture: the shell keeps it as a job, shows what it prints as commands run, and stops it.
   */
  readonly job?: BackgroundJob;
}

export interface CommandIo {
  /** The previous pipeline stage's stdout, or '' for the first stage. */
  readonly stdin: string;
  /** The session's variables as the command sees them (assignments prefixed to the command included). */
  readonly env: Record<string, string>;
  /** Run with `&`: a command that would wait for later events may return a `job` instead. */
  readonly background?: boolean;
}

/** The signals `kill` sends, by name. */
export type JobSignal = 'INT' | 'TERM' | 'KILL' | 'HUP';

/** A command still running in the background, as the shell drives it. */
export interface BackgroundJob {
  /** What the job printed since the last call; a terminal shows it as it comes. */
  drain(): { readonly stdout: string; readonly stderr: string };
  /** The exit status once the job has ended (on its own, or by a signal); undefined while it runs. */
  readonly status: number | undefined;
  /** Delivers a signal: the job ends, and its last words are left for `drain`. */
  signal(signal: JobSignal): void;
}

/** Runs one command synchronously: argv[0] is the program name (`kubectl`). */
export type Dispatch = (argv: string[], io: CommandIo) => CommandResult;

/** A built-in filter or command of the shell itself (grep, head, echo, ...). */
export type Builtin = (args: readonly string[], io: BuiltinIo) => CommandResult;

export interface BuiltinIo extends CommandIo {
  /** Reads a file named as an argument (`cat map.svg`, `grep x out.txt`); undefined when absent. */
  readonly readFile: (path: string) => string | undefined;
}

export function ok(stdout = ''): CommandResult {
  return { stdout, stderr: '', exitCode: 0 };
}

export function fail(stderr: string, exitCode = 1, stdout = ''): CommandResult {
  return { stdout, stderr: stderr.endsWith('\n') || stderr === '' ? stderr : `${stderr}\n`, exitCode };
}
