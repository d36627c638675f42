import { runScenario } from '../../src/scenarioRunner.ts';

/** A walkthrough's transcript cut into its commands, in order: `$ COMMAND` and what it printed. */
export interface Step {
  readonly command: string;
  readonly output: string;
}

/**
 * Runs a bundled scenario and splits the transcript at each echoed command. A command spread
 * over `\` continuations is echoed as written, so `command` keeps its line breaks.
 */
export function runSteps(name: string): { steps: Step[]; transcript: string; ok: boolean } {
  const result = runScenario(name);
  return { steps: scriptTexts(result.transcript), transcript: result.transcript, ok: result.ok };
}

/** Splits on lines starting with `$ `; a continued command's following lines start with spaces. */
function scriptTexts(transcript: string): Step[] {
  const steps: { command: string; lines: string[] }[] = [];
  let continuing = false;
  // The transcript ends with a newline: no empty line after the last output.
  for (const line of transcript.replace(/\n$/, '').split('\n')) {
    if (line.startsWith('$ ')) {
      steps.push({ command: line.slice(2), lines: [] });
      continuing = line.endsWith('\\');
    } else if (continuing && steps.length > 0) {
      steps.at(-1)!.command += `\n${line}`;
      continuing = line.endsWith('\\');
    } else if (steps.length > 0) {
      steps.at(-1)!.lines.push(line);
    }
  }
  return steps.map((s) => ({ command: s.command, output: s.lines.join('\n') }));
}

/** The outputs of every step whose command starts with `prefix`, in order. */
export function outputsOf(steps: readonly Step[], prefix: string): string[] {
  const found = steps.filter((s) => s.command.startsWith(prefix)).map((s) => s.output);
  if (found.length === 0) throw new Error(`no step starts with: ${prefix}`);
  return found;
}
