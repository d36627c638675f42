// Bundles the CLI with esbuild into dist/bundle/cilium-sim.mjs, so a command starts by loading
// a few prebuilt files instead of compiling TypeScript: `node packages/cli/buildBundle.mjs`.
// Code splitting keeps what a command imports lazily (the X.509 machinery, the labs, the CI
// commands) in chunks of its own. The scenarios' bundled files are copied to dist/scenarios,
// where the catalog finds them from the bundle (`../scenarios/` beside dist/bundle).
import { cpSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const cli = fileURLToPath(new URL('.', import.meta.url));
export const BUNDLE = `${cli}dist/bundle/cilium-sim.mjs`;

export async function buildBundle() {
  rmSync(`${cli}dist/bundle`, { recursive: true, force: true });
  await build({
    entryPoints: { 'cilium-sim': `${cli}src/main.ts` },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    splitting: true,
    outdir: `${cli}dist/bundle`,
    outExtension: { '.js': '.mjs' },
    // The workspace packages' TypeScript sources, as tsx and vitest read them.
    conditions: ['source'],
    logLevel: 'warning',
    // Some bundled CommonJS modules call require() for Node's built-ins.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
  rmSync(`${cli}dist/scenarios`, { recursive: true, force: true });
  cpSync(`${cli}../scenarios/scenarios`, `${cli}dist/scenarios`, { recursive: true });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildBundle();
