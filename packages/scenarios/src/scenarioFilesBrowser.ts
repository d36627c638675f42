/// <reference types="vite/client" />
import { SimError } from '@cilium-sim/core';

/**
 * The bundled scenarios as a browser page gets them: Vite reads every file of `scenarios/` at
 * build time into the bundle (`import.meta.glob` with `?raw`), so the page needs neither a file
 * system nor the network. Same names and texts as scenarioFilesNode.ts reads from disk.
 */
const ROOT = '../scenarios/';

/** scenario name -> relative path -> text, built once from the bundle's glob. */
const BUNDLE: ReadonlyMap<string, Map<string, string>> = group(
  import.meta.glob<string>('../scenarios/**/*', { query: '?raw', import: 'default', eager: true }),
);

function group(files: Record<string, string>): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const key of Object.keys(files).sort()) {
    const rest = key.slice(ROOT.length);
    const slash = rest.indexOf('/');
    if (slash < 0) continue;
    const name = rest.slice(0, slash);
    let scenario = out.get(name);
    if (scenario === undefined) out.set(name, (scenario = new Map()));
    scenario.set(rest.slice(slash + 1), files[key]!);
  }
  return out;
}

/** The folder names of the bundled scenarios, sorted. */
export function bundledScenarioNames(): string[] {
  return [...BUNDLE.keys()].sort();
}

/** Every file of the bundled scenario `name` by `/`-separated relative path, in sorted order. */
export function bundledScenarioFiles(name: string): Map<string, string> {
  return new Map(BUNDLE.get(name));
}

/** A page has no folders to read: only the bundled scenarios load there. */
export function readScenarioFolder(dir: URL): Map<string, string> {
  throw new SimError({
    code: 'NOT_FOUND',
    object: `scenario folder ${dir.pathname}`,
    message: 'reading a scenario folder needs Node.js; in the browser only the bundled scenarios load',
  });
}
