import type { ClusterOptions } from '@cilium-sim/core';
import { loadScenario } from '@cilium-sim/scenarios';
import { createLab, labNames, LAB_COMMANDS } from './labSession.ts';
import { startRepl } from '../repl.ts';
import { completer, helpText } from '../replHelp.ts';

export interface LabIo {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  readonly isTTY: boolean;
}

const LAB_HELP: Readonly<Record<string, string>> = {
  check: 'check   grade the cluster as it is now against the lab task (also: cilium-sim check)',
  hint: 'hint    show the next hint',
  task: 'task    show the task again',
};

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
  const lab = createLab(name, overrides);
  io.output.write(`Setting up the lab...\n${lab.setupTranscript}\n`);
  const complete = completer(lab.cluster);
  return startRepl({
    input: io.input,
    output: io.output,
    session: lab.session,
    isTTY: io.isTTY,
    banner: lab.banner,
    complete: (words) => [...complete(words), ...(words.length <= 1 ? LAB_COMMANDS.filter((c) => c.startsWith(words[0] ?? '')) : [])],
    help: (topic) =>
      topic !== undefined && LAB_HELP[topic] !== undefined
        ? `${LAB_HELP[topic]}\n`
        : `${helpText(topic)}${
            topic === undefined
              ? `Lab:\n${Object.values(LAB_HELP)
                  .map((l) => `  ${l}`)
                  .join('\n')}\n`
              : ''
          }`,
  });
}

function processIo(): LabIo {
  return { input: process.stdin, output: process.stdout, isTTY: process.stdin.isTTY === true && process.stdout.isTTY === true };
}
