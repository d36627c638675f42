import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ClusterOptions } from '@cilium-sim/core';
import { runCiWith } from '../../src/ciCommands.ts';

/** The fixture repository of policies and test files. */
export const POLICY_REPO = resolve(import.meta.dirname, '../fixtures/policy-repo');

/** `cilium-sim COMMAND ARGS` run in `cwd`, with what it printed and wrote. */
export function ci(
  command: 'test' | 'lint' | 'replay',
  args: readonly string[],
  cwd: string,
  opts: { stdin?: string; cluster?: ClusterOptions } = {},
): { code: number; out: string; err: string; written: Map<string, string> } {
  let out = '';
  let err = '';
  const written = new Map<string, string>();
  const code = runCiWith(command, args, opts.cluster ?? {}, {
    cwd,
    stdin: () => opts.stdin ?? '',
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    writeFile: (path, text) => void written.set(path, text),
  });
  return { code, out, err, written };
}

/** A copy of the fixture repository to change, with `edit(path, text => text)` for its files. */
export function repoCopy(): { dir: string; edit: (path: string, f: (text: string) => string) => void } {
  const dir = mkdtempSync(join(tmpdir(), 'cilium-sim-repo-'));
  cpSync(POLICY_REPO, dir, { recursive: true });
  return {
    dir,
    edit: (path, f) => {
      const file = join(dir, path);
      const before = readFileSync(file, 'utf8');
      const after = f(before);
      if (after === before) throw new Error(`the edit of ${path} changed nothing`);
      writeFileSync(file, after);
    },
  };
}
