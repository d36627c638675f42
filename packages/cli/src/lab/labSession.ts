import { Cluster, SimError, type ClusterOptions } from '@cilium-sim/core';
import {
  formatTaskReport,
  gradeTask,
  listScenarios,
  loadScenario,
  type Scenario,
  type ScenarioTask,
  type TaskReport,
} from '@cilium-sim/scenarios';
import { createDispatch } from '../dispatcher.ts';
import { NO_HOST_FILES, type HostFiles } from '../hostFiles.ts';
import type { ApplyObserver } from '../commands/cliContext.ts';
import { scenarioClusterOptions } from '../scenarioRunner.ts';
import { fail, ok, type CommandResult, type Dispatch } from '../shell/command.ts';
import { ShellSession } from '../shell/session.ts';
import type { Simulator } from '../simulator.ts';

/** What a learner types in a lab session besides the usual tools. */
export const LAB_COMMANDS = ['check', 'hint', 'task'] as const;

/**
 * A lab: a scenario's cluster after its task's setup, a shell session on it, and the task's
 * grader. In the session `check` (or `cilium-sim check`) grades the cluster as it is now,
 * `hint` shows the next hint and `task` the prompt again; every other command is the
 * simulator's usual one.
 */
export interface Lab extends Simulator {
  readonly scenario: Scenario;
  readonly task: ScenarioTask;
  /** Each setup command echoed as `$ COMMAND` with its output. */
  readonly setupTranscript: string;
  /** The title, prompt and how to check, printed before the first prompt. */
  readonly banner: string;
  /** Grades the task now (probes included, see gradeTask). */
  grade(): TaskReport;
}

/** The scenarios that pose a task, sorted. */
export function labNames(): string[] {
  return listScenarios()
    .filter((s) => loadScenario(s.name).task !== undefined)
    .map((s) => s.name);
}

/**
 * Builds a lab from a bundled scenario: a fresh cluster with the scenario's options
 * (overridden by `overrides`), the task's setup run in it. A scenario without a task is a
 * SimError NOT_FOUND naming the labs there are. Files neither written in the session nor
 * bundled with the scenario are read from `host` (the CLI's: the working folder); `onApplied`
 * hears what each `kubectl apply|create -f` did.
 */
export function createLab(name: string, overrides: ClusterOptions = {}, host: HostFiles = NO_HOST_FILES, onApplied?: ApplyObserver): Lab {
  // A name no scenario has is a lab that does not exist: the labs are what the user can pick.
  if (!listScenarios().some((s) => s.name === name))
    throw new SimError({ code: 'NOT_FOUND', object: `lab ${name}`, message: `no lab is named "${name}" (labs: ${labNames().join(', ')})` });
  const scenario = loadScenario(name);
  const task = scenario.task;
  if (task === undefined) {
    throw new SimError({
      code: 'NOT_FOUND',
      object: `scenario ${name}`,
      message: `scenario "${name}" has no task to solve (labs: ${labNames().join(', ')}); watch it with: cilium-sim scenario ${name}`,
    });
  }
  const cluster = Cluster.create(scenarioClusterOptions(scenario, overrides));
  const banner = labBanner(scenario, task);
  const grade = (): TaskReport => gradeTask(cluster, task);
  let hintsShown = 0;
  const own: Record<(typeof LAB_COMMANDS)[number], () => CommandResult> = {
    check: () => {
      const report = grade();
      return { stdout: `Checking "${task.title}"...\n${formatTaskReport(report)}`, stderr: '', exitCode: report.passed ? 0 : 1 };
    },
    hint: () => {
      if (task.hints.length === 0) return ok('This task has no hints.\n');
      // After the last hint, `hint` repeats it.
      const i = Math.min(hintsShown, task.hints.length - 1);
      hintsShown = i + 1;
      return ok(`Hint ${i + 1} of ${task.hints.length}: ${task.hints[i]}\n`);
    },
    task: () => ok(banner),
  };
  const readFile = (p: string): string | undefined => readLabFile(session, scenario, host, p);
  const session: ShellSession = new ShellSession({
    dispatch: labDispatch(createDispatch({ cluster, readFile, ...(onApplied === undefined ? {} : { onApplied }) }), own),
    env: { HOME: '/root', PWD: '/root' },
    readFile,
  });
  const setupTranscript = task.setup.map((command) => `$ ${command}\n${withNewline(session.run(command).output)}`).join('');
  return { scenario, task, cluster, session, setupTranscript, banner, grade };
}

/** `check`, `hint`, `task` and `cilium-sim check|hint|task` answered by the lab; the rest as usual. */
function labDispatch(inner: Dispatch, own: Readonly<Record<string, () => CommandResult>>): Dispatch {
  return (argv, io) => {
    const [program, sub, ...rest] = argv;
    const name = program === 'cilium-sim' ? sub : program;
    const extra = program === 'cilium-sim' ? rest : argv.slice(1);
    const handler = name === undefined || !Object.hasOwn(own, name) ? undefined : own[name];
    if (handler === undefined) return inner(argv, io);
    if (extra.length > 0) return fail(`${name}: takes no arguments\n`, 2);
    return handler();
  };
}

/** Files written in the session, then the scenario's own (`manifests/...`), then the host's. */
function readLabFile(session: ShellSession | undefined, scenario: Scenario, host: HostFiles, path: string): string | undefined {
  const key = path.replace(/^\.\//, '');
  const written = session?.files.get(key);
  if (written !== undefined) return written;
  const bundled = scenario.files.get(key);
  if (bundled !== undefined) return bundled;
  return host.read(path);
}

function labBanner(scenario: Scenario, task: ScenarioTask): string {
  const hints = task.hints.length === 0 ? '' : `, \`hint\` for a hint (${task.hints.length})`;
  return [
    `Lab: ${task.title}`,
    `(scenario ${scenario.name}: ${scenario.title})`,
    '',
    task.prompt.trimEnd(),
    '',
    `Type \`check\` when you are done${hints}, \`task\` to read this again, \`exit\` to leave.`,
    '',
  ].join('\n');
}

function withNewline(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}
