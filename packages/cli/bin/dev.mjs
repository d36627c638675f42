#!/usr/bin/env node
// `pnpm start` and `pnpm cilium-sim ...` in the workspace: run the bundled CLI, bundling it
// first when it is missing or older than a source file or a scenario's file (about 1 s), so
// a command never compiles TypeScript on its way and an edit is never run stale.
import { readdirSync, statSync } from 'node:fs';

const packages = new URL('../../', import.meta.url);
const bundle = new URL('cli/dist/bundle/cilium-sim.mjs', packages);
const sources = ['core/src', 'scenarios/src', 'scenarios/scenarios', 'cli/src', 'cli/buildBundle.mjs'];

function newest(path) {
  const s = statSync(path, { throwIfNoEntry: false });
  if (s === undefined) return 0;
  if (!s.isDirectory()) return s.mtimeMs;
  let max = s.mtimeMs;
  for (const e of readdirSync(path)) max = Math.max(max, newest(`${path}/${e}`));
  return max;
}

const built = statSync(bundle, { throwIfNoEntry: false })?.mtimeMs ?? 0;
if (sources.some((p) => newest(new URL(p, packages).pathname) > built)) {
  const { buildBundle } = await import('../buildBundle.mjs');
  await buildBundle();
}
await import(bundle.href);
