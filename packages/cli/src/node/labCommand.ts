import type { ClusterOptions } from '@cilium-sim/core';
import { loadScenario } from '@cilium-sim/scenarios';
import { labRepl } from '../lab/labRepl.ts';
import { createLab, labNames } from '../lab/labSession.ts';
import { startRepl } from '../repl.ts';
import { nodeHostFiles } from './nodeHostFiles.ts';

export interface LabIo {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  readonly isTTY: boolean;
}

/**
 * `cilium-sim lab [list|NAME]`: without a name (or with `list`), the labs there are; with one,
 * the scenario's cluster after the task's setup (its commands and output printed), the task,
 * then the REPL with `check`, `hint` and `task`. Resolves with the REPL's exit status.
 */
export function labCommand(args: readonly string[], overrides: ClusterOptions, io: LabIo = processIo()): Promise<number> {
  const name = args[0];
  if (name === undefined || name === 'list' || name === '--list') {
    const rows = labNames().map((n) => `  ${n.padEnd(24)} ${loadScenario(n).task!.title}\n`);
    io.output.write(`Labs (cilium-sim lab NAME):\n${rows.join('')}`);
    return Promise.resolve(0);
  }
  const lab = createLab(name, overrides, nodeHostFiles(process.cwd()));
  io.output.write(`Setting up the lab...\n${lab.setupTranscript}\n`);
  return startRepl({ input: io.input, output: io.output, session: lab.session, isTTY: io.isTTY, ...labRepl(lab) });
}

function processIo(): LabIo {
  return { input: process.stdin, output: process.stdout, isTTY: process.stdin.isTTY === true && process.stdout.isTTY === true };
}
