import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenarioTable } from '../../src/commands/scenarioTable.ts';
import { nodeHostFiles } from '../../src/node/nodeHostFiles.ts';
import { runScript } from '../../src/shell/script.ts';
import { createSimulator } from '../../src/simulator.ts';

// The CLI as `pnpm start` and `pnpm cilium-sim` run it: the esbuild bundle, whose simulator is
// one CommonJS script that Node compiles from a V8 code cache written beside it by the first run.
const dir = mkdtempSync(join(tmpdir(), 'cilium-sim-bundle-'));
const bundle = join(dir, 'dist/bundle/cilium-sim.mjs');
const cache = join(dir, 'dist/bundle/commandModules.cjs.cache');

beforeAll(async () => {
  const builder = pathToFileURL(resolve(import.meta.dirname, '../../buildBundle.mjs')).href;
  const { buildBundle } = (await import(builder)) as { buildBundle: (dist: string) => Promise<void> };
  await buildBundle(join(dir, 'dist'));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: readonly string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [bundle, ...args], { cwd: dir, encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe('the bundled CLI', () => {
  it('lists the scenarios without loading the simulator', () => {
    rmSync(cache, { force: true });
    expect(cli(['scenario', 'list'])).toEqual({ stdout: scenarioTable(), stderr: '', status: 0 });
    expect(existsSync(cache)).toBe(false);
  });

  it('prints what the sources print, before and after writing its code cache, and with a cache it cannot use', () => {
    // The system pods of the default cluster, YAML and SPIRE's CA certificate (signed on first
    // read): the bundle loads the YAML and X.509 libraries when a command first uses them.
    const text = [
      'kubectl get pods -A',
      'kubectl get namespace default -o yaml',
      'kubectl exec -n cilium-spire spire-server-0 -c spire-server -- /opt/spire/bin/spire-server bundle show',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'spire.sh'), text);
    const sim = createSimulator({}, nodeHostFiles(dir));
    const expected = { stdout: runScript(text, sim.session, { name: 'spire.sh' }).transcript, stderr: '', status: 0 };
    expect(expected.stdout).toContain('apiVersion: v1\nkind: Namespace\n');
    expect(expected.stdout).toContain('-----BEGIN CERTIFICATE-----');

    rmSync(cache, { force: true });
    expect(cli(['run', join(dir, 'spire.sh')])).toEqual(expected);
    expect(statSync(cache).size).toBeGreaterThan(100_000);
    expect(cli(['run', join(dir, 'spire.sh')])).toEqual(expected);

    writeFileSync(cache, 'not a code cache');
    expect(cli(['run', join(dir, 'spire.sh')])).toEqual(expected);
    expect(statSync(cache).size).toBeGreaterThan(100_000);
  });
});
