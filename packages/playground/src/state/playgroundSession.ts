import {
  createLab,
  createSimulator,
  NO_HOST_FILES,
  completer,
  helpText,
  labRepl,
  scenarioClusterOptions,
  type ShellSession,
} from '@cilium-sim/cli/browser';
import type { Cluster, ObjectResult } from '@cilium-sim/core';
import { loadScenario, type Scenario, type ScenarioTask } from '@cilium-sim/scenarios';
import type { ShareState, Step } from './shareState.ts';

/** What the last `kubectl apply|create -f FILE` did: the editor marks refused objects at their line. */
export interface AppliedFile {
  readonly file: string;
  readonly text: string;
  readonly results: readonly ObjectResult[];
}

/**
 * One playground session: the cluster and the shell of a bundled scenario (its walkthrough's
 * cluster and files), of its lab (after the task's setup, with `check`, `hint` and `task`), or
 * of the empty sandbox; and every step taken in it, for the shared link. No DOM: the page's
 * terminal and panes read it.
 */
export class PlaygroundSession {
  readonly cluster: Cluster;
  readonly shell: ShellSession;
  readonly scenario: Scenario | undefined;
  readonly task: ScenarioTask | undefined;
  readonly seed: number;
  readonly lab: boolean;
  /** Printed before the first prompt. */
  readonly banner: string;
  readonly help: (topic: string | undefined) => string;
  readonly complete: (words: string[]) => string[];
  readonly steps: Step[] = [];
  lastApplied: AppliedFile | undefined;

  constructor(state: Pick<ShareState, 'scenario' | 'lab' | 'seed'>) {
    const onApplied = (file: string, text: string, results: readonly ObjectResult[]): void => {
      this.lastApplied = { file, text, results };
    };
    const overrides = state.seed === undefined ? {} : { seed: state.seed };
    this.scenario = state.scenario === undefined ? undefined : loadScenario(state.scenario);
    this.lab = state.lab && this.scenario?.task !== undefined;
    if (this.lab) {
      const lab = createLab(this.scenario!.name, overrides, NO_HOST_FILES, onApplied);
      const repl = labRepl(lab);
      this.cluster = lab.cluster;
      this.shell = lab.session;
      this.task = lab.task;
      this.banner = `Setting up the lab...\n${lab.setupTranscript}\n${repl.banner}`;
      this.help = repl.help;
      this.complete = repl.complete;
    } else {
      const options = this.scenario === undefined ? overrides : scenarioClusterOptions(this.scenario, overrides);
      const sim = createSimulator(options, NO_HOST_FILES, this.scenario?.files ?? new Map(), onApplied);
      this.cluster = sim.cluster;
      this.shell = sim.session;
      this.task = undefined;
      this.banner = sandboxBanner(this.scenario);
      this.help = helpText;
      this.complete = completer(sim.cluster);
    }
    this.seed = this.cluster.options.seed;
  }

  /** The link's state as of now. */
  shareState(): ShareState {
    return { scenario: this.scenario?.name, lab: this.lab, seed: this.seed, steps: [...this.steps] };
  }

  /** Saves `text` as a file of the session (what `kubectl apply -f PATH` then reads). */
  writeFile(path: string, text: string): void {
    this.shell.files.set(path, text);
    this.steps.push({ kind: 'file', path, text });
  }
}

function sandboxBanner(scenario: Scenario | undefined): string {
  if (scenario === undefined)
    return 'A kind cluster with Cilium, Hubble and SPIRE, simulated in this page. Type `help` for the commands.\n';
  return `Scenario: ${scenario.title}\n${scenario.summary}\nIts walkthrough is in the Walkthrough panel; type \`help\` for the commands.\n`;
}
