import { SimError, type SimIssue } from '@cilium-sim/core';
import { parseYaml } from './yamlReader.ts';
import { parseScenarioOptions, type ScenarioOptions } from './scenarioOptions.ts';
import { parseTask, type ScenarioTask } from './scenarioTask.ts';
import { bundledScenarioFiles, bundledScenarioNames, readScenarioFolder } from '#scenarioFiles';

/** The lab or documentation page a scenario reproduces. */
export interface ScenarioSource {
  readonly title: string;
  readonly url: string;
}

export interface ScenarioSummary {
  readonly name: string;
  readonly title: string;
  readonly summary: string;
  /** `walkthrough`: a script to watch; `lab`: also a task.yaml challenge. */
  readonly mode: 'walkthrough' | 'lab';
  readonly follows: ScenarioSource;
}

export interface Scenario extends ScenarioSummary {
  readonly options: ScenarioOptions;
  /** walkthrough.sh: one command a line, in the DESIGN.md command language. */
  readonly script: string;
  /** README.md: what the learner does and sees at each step. */
  readonly narrative: string;
  readonly task?: ScenarioTask;
  /** Every file of the scenario folder by relative path (`manifests/x.yaml`), as text. */
  readonly files: ReadonlyMap<string, string>;
}

const cache = new Map<string, Scenario>();

/** Names of the bundled scenarios, sorted. */
export function scenarioNames(): string[] {
  return bundledScenarioNames();
}

/** Name, title, summary, mode and source of every bundled scenario. */
export function listScenarios(): ScenarioSummary[] {
  return scenarioNames().map((name) => {
    const { title, summary, mode, follows } = loadScenario(name);
    return { name, title, summary, mode, follows };
  });
}

/**
 * Loads a bundled scenario by name. Unknown names are a SimError NOT_FOUND that lists
 * the available ones. Loaded scenarios are cached: the bundle never changes at run time.
 *
 * @example loadScenario('star-wars').files.get('manifests/sw_l3_l4_policy.yaml')
 */
export function loadScenario(name: string): Scenario {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  const names = scenarioNames();
  if (!names.includes(name)) {
    throw new SimError({
      code: 'NOT_FOUND',
      object: `scenario ${name}`,
      message: `no bundled scenario is named "${name}" (available: ${names.join(', ')})`,
    });
  }
  const scenario = scenarioFromFiles(bundledScenarioFiles(name), name, `the bundled scenario ${name}`);
  cache.set(name, scenario);
  return scenario;
}

/**
 * Loads a scenario from any folder laid out like the bundled ones, so an educator can
 * keep their own next to their tests. `name` defaults to the folder's name.
 */
export function loadScenarioDir(dir: URL, name: string = folderName(dir)): Scenario {
  return scenarioFromFiles(readScenarioFolder(dir), name, dir.pathname);
}

/** A scenario from its folder's files (`where` names the folder in errors). */
function scenarioFromFiles(files: ReadonlyMap<string, string>, name: string, where: string): Scenario {
  const object = `scenario ${name}`;
  const required = ['scenario.yaml', 'walkthrough.sh', 'README.md'].filter((f) => !files.has(f));
  if (required.length > 0) {
    throw new SimError({ code: 'NOT_FOUND', object, message: `missing ${required.join(', ')} in ${where}` });
  }
  const meta = parseMeta(parseYaml(files.get('scenario.yaml') as string, `${object}: scenario.yaml`), `${object}: scenario.yaml`);
  const taskText = files.get('task.yaml');
  const base = {
    name,
    ...meta,
    script: files.get('walkthrough.sh') as string,
    narrative: files.get('README.md') as string,
    files,
  };
  if (taskText === undefined) return base;
  return { ...base, task: parseTask(parseYaml(taskText, `${object}: task.yaml`), `${object}: task.yaml`) };
}

function parseMeta(raw: unknown, object: string): Omit<ScenarioSummary, 'name'> & { options: ScenarioOptions } {
  const doc = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const follows = (typeof doc['follows'] === 'object' && doc['follows'] !== null ? doc['follows'] : {}) as Record<string, unknown>;
  const issues: SimIssue[] = [];
  const text = (value: unknown, path: string): string => {
    if (typeof value === 'string' && value !== '') return value;
    issues.push({ code: 'INVALID_FIELD', object, path, message: `expected a non-empty string, received ${JSON.stringify(value)}` });
    return '';
  };
  const title = text(doc['title'], 'title');
  const summary = text(doc['summary'], 'summary');
  const source = { title: text(follows['title'], 'follows.title'), url: text(follows['url'], 'follows.url') };
  const mode = doc['mode'] ?? 'walkthrough';
  if (mode !== 'walkthrough' && mode !== 'lab') {
    issues.push({ code: 'INVALID_FIELD', object, path: 'mode', message: `expected walkthrough or lab, received ${JSON.stringify(mode)}` });
  }
  if (issues.length > 0) throw SimError.of(issues);
  return { title, summary, mode: mode as 'walkthrough' | 'lab', follows: source, options: parseScenarioOptions(doc['cluster'], object) };
}

function folderName(dir: URL): string {
  return dir.pathname.replace(/\/+$/, '').split('/').pop() ?? '';
}
