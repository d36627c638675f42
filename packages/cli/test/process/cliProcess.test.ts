import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The CLI as users start it: a Node process running main.ts (through tsx's loader, as
// `pnpm cilium-sim` does), its output read from a pipe.
const MAIN = resolve(import.meta.dirname, '../../src/main.ts');
const dir = mkdtempSync(join(tmpdir(), 'cilium-sim-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Exit {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Runs the CLI; `interrupt` sends `signal` once stdout contains `after`. */
function cli(args: readonly string[], interrupt?: { after: string; signal: NodeJS.Signals }): Promise<Exit> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (interrupt !== undefined && !sent && stdout.includes(interrupt.after)) {
        sent = true;
        child.kill(interrupt.signal);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code, signal) => done({ stdout, stderr, code, signal }));
  });
}

/** A script that prints a marker, then runs long enough to be interrupted. */
function longScript(name: string): string {
  const file = join(dir, `${name}.sh`);
  writeFileSync(
    file,
    ['echo first', ...Array.from({ length: 20_000 }, () => 'kubectl get pods -A > /dev/null'), 'echo LAST', ''].join('\n'),
  );
  return file;
}

describe('cilium-sim run as a process', () => {
  for (const [signal, status] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`stops at once on ${signal} (a shell reports ${status}) and keeps the output of every command before it`, async () => {
      const out = await cli(['run', longScript(signal)], { after: '\nfirst\n', signal });
      // The default action of the signal ends the process, as a shell's `kill` would.
      expect(out.signal === signal || out.code === status).toBe(true);
      expect(out.stdout.slice(0, 200)).toMatch(/^\$ echo first\nfirst\n/);
      expect(out.stdout).not.toContain('LAST');
      expect(out.stderr).toBe('');
    });
  }

  it('ends a fatal error with one clear line and exit status 1, never a stack trace', async () => {
    // A device that never ends is no script (a folder or a missing file end as bash's do: 126, 127).
    const out = await cli(['run', '/dev/zero']);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^cilium-sim: [^\n]+\n$/);
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });

  it('prints each command of a script with its output, in order', async () => {
    const file = join(dir, 'short.sh');
    writeFileSync(file, 'echo one\nfalse\necho two\n');
    const out = await cli(['run', file]);
    expect(out).toEqual({ stdout: '$ echo one\none\n$ false\n$ echo two\ntwo\n', stderr: '', code: 0, signal: null });
  });

  it('ends with the status of the last command, as bash does', async () => {
    const file = join(dir, 'last.sh');
    writeFileSync(file, 'echo one\nkubectl get pod nope\n');
    expect(await cli(['run', file])).toEqual({
      stdout: '$ echo one\none\n$ kubectl get pod nope\nError from server (NotFound): pods "nope" not found\n',
      stderr: '',
      code: 1,
      signal: null,
    });
    writeFileSync(file, 'kubectl get pod nope || true\n');
    expect((await cli(['run', file])).code).toBe(0);
    writeFileSync(file, 'echo one | grep two\n# a comment after the last command\n\n');
    expect((await cli(['run', file])).code).toBe(1);
  });

  it('ends with the status of exit N, or of the failure that stopped a set -e script', async () => {
    const file = join(dir, 'errexit.sh');
    writeFileSync(file, 'set -e\necho one\nkubectl get pod nope\necho two\n');
    const out = await cli(['run', file]);
    expect(out.stdout).toBe('$ set -e\n$ echo one\none\n$ kubectl get pod nope\nError from server (NotFound): pods "nope" not found\n');
    expect(out.code).toBe(1);
    writeFileSync(file, 'echo one\nexit 3\necho two\n');
    expect((await cli(['run', file])).code).toBe(3);
  });
});
