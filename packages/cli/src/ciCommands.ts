import { writeFileSync } from 'node:fs';
import { isSimError, type ClusterOptions } from '@cilium-sim/core';
import { LINT_USAGE, lintCommand } from './policyLint/lintCommand.ts';
import { TEST_USAGE, testCommand } from './policyTest/testCommand.ts';
import { REPLAY_USAGE, replayCommand } from './replay/replayCommand.ts';
import { type CiEnv, CiUsageError, EXIT } from './ci/ciEnv.ts';
import { readStdin } from './node/inputFiles.ts';

/**
 * The policies-as-code commands of the `cilium-sim` binary, for CI: `test`, `lint`, `replay`.
 * They read files named on the command line and print reports, so they run from the shell (not
 * inside a session's script); main.ts hands them their arguments as they were given.
 */
const COMMANDS: Readonly<Record<string, { run: (args: readonly string[], cluster: ClusterOptions, env: CiEnv) => number; usage: string }>> =
  {
    test: { run: testCommand, usage: TEST_USAGE },
    lint: { run: (args, _cluster, env) => lintCommand(args, env), usage: LINT_USAGE },
    replay: { run: replayCommand, usage: REPLAY_USAGE },
  };

/** Runs one of the commands in this process: its output on stdout/stderr, its exit status returned. */
export function runCiCommand(command: string, args: readonly string[], cluster: ClusterOptions): number {
  const c = COMMANDS[command]!;
  const env: CiEnv = {
    cwd: process.env['INIT_CWD'] ?? process.cwd(),
    stdin: readStdin,
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    writeFile: (path, text) => writeFileSync(path, text),
  };
  return runWith(c, args, cluster, env, command);
}

function runWith(
  c: { run: (args: readonly string[], cluster: ClusterOptions, env: CiEnv) => number; usage: string },
  args: readonly string[],
  cluster: ClusterOptions,
  env: CiEnv,
  name: string,
): number {
  try {
    return c.run(args, cluster, env);
  } catch (e) {
    if (e instanceof CiUsageError) {
      env.err(`cilium-sim ${name}: ${e.message}\n\n${c.usage}`);
      return EXIT.malformed;
    }
    // A file that cannot be read, a bad version: one line naming it, never a stack trace.
    if (isSimError(e)) {
      env.err(`cilium-sim ${name}: ${e.message}\n`);
      return EXIT.malformed;
    }
    throw e;
  }
}

/** For tests: a command by name with a captured environment. */
export function runCiWith(command: string, args: readonly string[], cluster: ClusterOptions, env: CiEnv): number {
  return runWith(COMMANDS[command]!, args, cluster, env, command);
}
