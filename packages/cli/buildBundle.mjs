// Bundles the CLI with esbuild into dist/bundle/cilium-sim.mjs, so a command starts by loading
// a few prebuilt files instead of compiling TypeScript: `node packages/cli/buildBundle.mjs`.
// Code splitting keeps what a command imports lazily (the X.509 machinery, the labs, the CI
// commands) in chunks of its own. The scenarios' bundled files are copied to dist/scenarios,
// where the catalog finds them from the bundle (`../scenarios/` beside dist/bundle).
//
// `scenario list` gets a bundle of its own (scenarioTable.mjs, the catalog and YAML only):
// esbuild's code splitting puts every module that the catalog's imports of core could reach into
// one shared chunk, and parsing that chunk costs more than the rest of the listing. The table is
// a string, so its separate copy of the catalog shares no object with the simulator's.
import { cpSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const cli = fileURLToPath(new URL('.', import.meta.url));
export const BUNDLE = `${cli}dist/bundle/cilium-sim.mjs`;

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outdir: `${cli}dist/bundle`,
  outExtension: { '.js': '.mjs' },
  // The workspace packages' TypeScript sources, as tsx and vitest read them.
  conditions: ['source'],
  logLevel: 'warning',
  // Less to read and parse at start-up; identifiers keep their names (class names show in messages).
  minifyWhitespace: true,
  minifySyntax: true,
  // Some bundled CommonJS modules call require() for Node's built-ins.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
};

/** main.ts's import of the scenario table goes to the separate bundle. */
const separateTable = {
  name: 'separate-scenario-table',
  setup(b) {
    b.onResolve({ filter: /\/scenarioTable\.ts$/ }, (a) =>
      a.importer.endsWith('main.ts') ? { path: './scenarioTable.mjs', external: true } : undefined,
    );
  },
};

export async function buildBundle() {
  rmSync(`${cli}dist/bundle`, { recursive: true, force: true });
  await Promise.all([
    build({ ...common, entryPoints: { 'cilium-sim': `${cli}src/main.ts` }, splitting: true, plugins: [separateTable] }),
    build({ ...common, entryPoints: { scenarioTable: `${cli}src/commands/scenarioTable.ts` } }),
  ]);
  rmSync(`${cli}dist/scenarios`, { recursive: true, force: true });
  cpSync(`${cli}../scenarios/scenarios`, `${cli}dist/scenarios`, { recursive: true });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildBundle();
