import type { CommandResult } from '../shell/command.ts';

/**
 * What `kubectl exec` shows of a command run in a container: its stdout and stderr as they are,
 * and when it exits non-zero kubectl adds `command terminated with exit code N` on stderr and
 * exits with the same status. (With `-o /dev/null -w '%{http_code}'` this is how labs show
 * `000command terminated with exit code 28`: the code has no newline before kubectl's line.)
 */
export function formatExecResult(inner: CommandResult): CommandResult {
  if (inner.exitCode === 0) return inner;
  return { stdout: inner.stdout, stderr: `${inner.stderr}command terminated with exit code ${inner.exitCode}\n`, exitCode: inner.exitCode };
}

/** kubectl's answer when the command does not exist in the container image (exit 126 from the runtime). */
export function execNotFound(command: string): CommandResult {
  return {
    stdout: '',
    stderr: `error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "${command}": OCI runtime exec failed: exec failed: unable to start container process: exec: "${command}": executable file not found in $PATH: unknown\n`,
    exitCode: 1,
  };
}
