#!/usr/bin/env node
// The `cilium-sim` command: runs the bundled CLI (dist/bundle, from `pnpm build`), or the
// compiled one (dist/main.js). This stub is committed so package managers can link the bin at
// install time, before anything is built.
import { existsSync } from 'node:fs';

const main = [new URL('../dist/bundle/cilium-sim.mjs', import.meta.url), new URL('../dist/main.js', import.meta.url)].find((u) =>
  existsSync(u),
);
if (main === undefined) {
  process.stderr.write(
    'cilium-sim: the CLI is not built yet; run `pnpm build` in the workspace (or `pnpm cilium-sim ...` to run the sources)\n',
  );
  process.exit(1);
}
await import(main.href);
