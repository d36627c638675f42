import { SimError } from '@cilium-sim/core';

/**
 * A command line the emulated tool refuses. Beyond the SimError fields, it carries exactly what
 * the real tool prints on stderr and the exit status it returns, so the shell can print it as is:
 * `error: unknown flag: --bogus` (kubectl, 1), `curl: option --bogus: is unknown` (curl, 2).
 */
export class UsageError extends SimError {
  /** The tool's own message, newline-terminated, ready for stderr. */
  readonly stderr: string;
  readonly exitCode: number;

  constructor(issue: { code: 'INVALID_FLAG' | 'INVALID_COMMAND'; object: string; path?: string; message: string }, exitCode = 1) {
    super(issue);
    this.stderr = issue.message.endsWith('\n') ? issue.message : `${issue.message}\n`;
    this.exitCode = exitCode;
  }
}

export function isUsageError(e: unknown): e is UsageError {
  return e instanceof UsageError;
}
