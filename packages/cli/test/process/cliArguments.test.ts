import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The binary's own command line, as a user types it: a stray word, a flag where it means
// nothing, and a global option core refuses all end with one line naming what is wrong and
// exit status 2 (a usage error), before any cluster is built.
const MAIN = resolve(import.meta.dirname, '../../src/main.ts');
const dir = mkdtempSync(join(tmpdir(), 'cilium-sim-args-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const script = join(dir, 'hi.sh');
writeFileSync(script, 'echo hi\n');

function cli(args: readonly string[]): Promise<{ stderr: string; stdout: string; code: number | null }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => done({ stdout, stderr, code }));
  });
}

describe('cilium-sim refuses words its commands do not take', () => {
  it('as usage errors with exit status 2, naming the word or the flag', async () => {
    const cases: [string[], string][] = [
      [['run', script, 'extra'], 'cilium-sim: run: unexpected argument "extra"\n'],
      [['repl', 'extra'], 'cilium-sim: repl: unexpected argument "extra"\n'],
      [['scenario', 'list', 'extra'], 'cilium-sim: scenario: unexpected argument "extra"\n'],
      [['--step', 'run', script], 'cilium-sim: --step works with a scenario: cilium-sim scenario NAME --step\n'],
      [['--nodes', '0', 'run', script], 'cilium-sim: --nodes: must be a whole number from 1 to 1000, received 0\n'],
      [['--seed', '-1', 'run', script], 'cilium-sim: --seed: a value that starts with a dash goes after =: --seed=-N\n'],
      [
        ['--seed', '99999999999999999999', 'run', script],
        'cilium-sim: --seed must be a whole number (at most 9007199254740991), received "99999999999999999999"\n',
      ],
    ];
    const results = await Promise.all(cases.map(([args]) => cli(args)));
    results.forEach((r, i) => {
      expect(r.code, cases[i]![0].join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n\n')[0]! + (r.stderr.includes('\n\n') ? '\n' : '')).toBe(cases[i]![1]);
    });
  });
});

describe('cilium-sim words a flag parser problem as a flag parser does', () => {
  it('names the flag missing its value or given one it does not take, with exit status 2', async () => {
    const cases: [string[], string][] = [
      [['--seed'], 'cilium-sim: flag needs an argument: --seed\n'],
      [['run', script, '--nodes'], 'cilium-sim: flag needs an argument: --nodes\n'],
      [['--tetragon=false', 'run', script], 'cilium-sim: --tetragon takes no value: leave it out, or write it alone to turn it on\n'],
    ];
    const results = await Promise.all(cases.map(([args]) => cli(args)));
    results.forEach((r, i) => {
      expect(r, cases[i]![0].join(' ')).toEqual({ stdout: '', stderr: cases[i]![1], code: 2 });
    });
  });
});

describe('cilium-sim run of a script that is not there', () => {
  it('says so in one line and ends as bash FILE does: 127 for no file, 126 for a folder', async () => {
    const [missing, empty, folder] = await Promise.all([cli(['run', join(dir, 'nope.sh')]), cli(['run', '']), cli(['run', dir])]);
    expect(missing).toEqual({ stdout: '', stderr: `cilium-sim: run: ${join(dir, 'nope.sh')}: No such file or directory\n`, code: 127 });
    expect(empty).toEqual({ stdout: '', stderr: 'cilium-sim: run: : No such file or directory\n', code: 127 });
    expect(folder).toEqual({ stdout: '', stderr: `cilium-sim: run: ${dir}: Is a directory\n`, code: 126 });
  });
});

describe('cilium-sim run -', () => {
  it('reads the script from standard input, as bash -s does, with its here-documents', async () => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', MAIN, 'run', '-'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stdin.end(
      'kubectl apply -f - <<EOF\napiVersion: v1\nkind: Namespace\nmetadata: {name: piped}\nEOF\nkubectl get ns piped -o name\n',
    );
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(code).toBe(0);
    expect(stdout).toMatch(/\nnamespace\/piped created\n\$ kubectl get ns piped -o name\nnamespace\/piped\n$/);
  });
});
