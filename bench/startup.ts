/**
 * Start-up of the built CLI, as a user's shell sees it: a fresh `node` process per command,
 * wall time to exit. Beside each, a bare `node -e 1` measured in the same rounds (interleaved, so
 * a busy machine weighs on all three alike): the floor no command can go below.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../packages/cli/', import.meta.url));

export interface StartupFigures {
  /** `cilium-sim scenario list`, seconds (median). */
  readonly listS: number;
  /** `cilium-sim run one.sh`, a script of one `kubectl get pods`, seconds (median). */
  readonly scriptS: number;
  /** `node -e 1`, seconds (median). */
  readonly bareNodeS: number;
}

export function startupSeconds(rounds: number): StartupFigures {
  // Bundles the CLI when it is missing or stale (untimed), as `pnpm cilium-sim` would.
  spawnSync(process.execPath, [join(cli, 'bin/dev.mjs'), '--help'], { stdio: 'ignore' });
  const bundle = join(cli, 'dist/bundle/cilium-sim.mjs');
  const dir = mkdtempSync(join(tmpdir(), 'cilium-sim-bench-'));
  const script = join(dir, 'one.sh');
  writeFileSync(script, 'kubectl get pods\n');
  const runs = { list: [] as number[], script: [] as number[], bare: [] as number[] };
  try {
    for (let i = 0; i <= rounds; i++) {
      const list = time([bundle, 'scenario', 'list']);
      const one = time([bundle, 'run', script]);
      const bare = time(['-e', '1']);
      // The first round warms the file cache and writes the bundle's code caches; it is not counted.
      if (i === 0) continue;
      runs.list.push(list);
      runs.script.push(one);
      runs.bare.push(bare);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { listS: median(runs.list), scriptS: median(runs.script), bareNodeS: median(runs.bare) };
}

function time(args: readonly string[]): number {
  const start = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${r.status}`);
  return (performance.now() - start) / 1000;
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}
