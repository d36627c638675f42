import type { ClusterOptions } from '@cilium-sim/core';
import { nodeHostFiles } from '../src/node/nodeHostFiles.ts';
import { createSimulator, type Simulator } from '../src/simulator.ts';

/** One command as a terminal shows it: the prompt line, its output, and its status when not 0. */
export function transcriptLine(sim: Simulator, line: string): string {
  const r = sim.session.run(line);
  return `$ ${line}\n${r.stdout}${r.stderr}${r.exitCode === 0 ? '' : `[exit ${r.exitCode}]\n`}`;
}

/** The transcript of `lines` run in order by a fresh simulator that reads `files` (seed 1 unless `options` says). */
export function transcript(files: ReadonlyMap<string, string>, lines: readonly string[], options: ClusterOptions = { seed: 1 }): string {
  const sim = createSimulator(options, nodeHostFiles(process.cwd()), files);
  return lines.map((line) => transcriptLine(sim, line)).join('');
}
