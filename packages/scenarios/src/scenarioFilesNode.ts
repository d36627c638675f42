import { readdirSync, readFileSync, statSync } from 'node:fs';

/**
 * The bundled scenarios as Node reads them: from the `scenarios/` folder shipped next to src/
 * (and next to dist/ once built), one folder at a time as it is asked for. The browser reads
 * the same files from the page's bundle instead (scenarioFilesBrowser.ts); package.json's
 * `#scenarioFiles` import picks one by the `browser` condition.
 */
const BUNDLED_ROOT = new URL('../scenarios/', import.meta.url);

/** The folder names of the bundled scenarios, sorted. */
export function bundledScenarioNames(): string[] {
  return readdirSync(BUNDLED_ROOT, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** Every file of the bundled scenario `name` by `/`-separated relative path, in sorted order. */
export function bundledScenarioFiles(name: string): Map<string, string> {
  return readScenarioFolder(new URL(`${name}/`, BUNDLED_ROOT));
}

/** All files under `dir`, keyed by `/`-separated relative path, in sorted order. */
export function readScenarioFolder(dir: URL, prefix = ''): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir).sort()) {
    const url = new URL(entry, dir);
    if (statSync(url).isDirectory()) {
      for (const [path, text] of readScenarioFolder(new URL(`${entry}/`, dir), `${prefix}${entry}/`)) files.set(path, text);
    } else {
      files.set(`${prefix}${entry}`, readFileSync(url, 'utf8'));
    }
  }
  return files;
}
