import { readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cycles, folderEdges, folderOf, readImportGraph } from './importGraph.ts';

// Checks of the workspace's shape that no single package can see: import cycles at file and
// folder level, the direction packages depend in (cli -> scenarios -> core), and the rules that
// keep core deterministic. docs/architecture.md explains each layer.
const ROOT = resolve(import.meta.dirname, '../..');
const graph = readImportGraph(ROOT, ['packages/core/src', 'packages/scenarios/src', 'packages/cli/src']);

describe('the import graph', () => {
  it('has no import cycle between files', () => {
    const found = cycles(graph.files, (f) => graph.edges.get(f) ?? []).map((c) => c.join(' <-> '));

    expect(found).toEqual([]);
  });

  it('has no import cycle between folders', () => {
    const edges = folderEdges(graph);
    const folders = [...new Set(graph.files.map(folderOf))];
    const found = cycles(folders, (f) => edges.get(f) ?? []).map((c) => c.join(' <-> '));

    expect(found).toEqual([]);
  });

  it('keeps packages depending one way: cli -> scenarios -> core', () => {
    const wrong = graph.files.flatMap((file) => {
      const pkgs = [...(graph.packages.get(file) ?? [])];
      if (file.startsWith('packages/core/')) return pkgs.filter((p) => p.startsWith('@cilium-sim/')).map((p) => `${file} imports ${p}`);
      if (file.startsWith('packages/scenarios/'))
        return pkgs.filter((p) => p.startsWith('@cilium-sim/cli')).map((p) => `${file} imports ${p}`);
      return [];
    });

    expect(wrong).toEqual([]);
  });
});

describe('core', () => {
  const coreFiles = graph.files.filter((f) => f.startsWith('packages/core/src/'));

  it('never reads the wall clock or global randomness', () => {
    const banned =
      /\bDate\.now\(|\bMath\.random\(|\bnew Date\(\)|\bperformance\.now\(|\bsetTimeout\(|\bsetInterval\(|\bcrypto\.randomUUID\(/;
    const hits = coreFiles.flatMap((f) =>
      readFileSync(join(ROOT, f), 'utf8')
        .split('\n')
        .flatMap((line, i) => (banned.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : [])),
    );

    expect(hits).toEqual([]);
  });

  it('does no I/O: no process, console or file system', () => {
    const banned = /(?<![\w.$])process\.\w|\bconsole\.|from 'node:fs'|from 'node:child_process'/;
    const hits = coreFiles.flatMap((f) =>
      readFileSync(join(ROOT, f), 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          banned.test(line) && !line.trim().startsWith('*') && !line.trim().startsWith('//') ? [`${f}:${i + 1}: ${line.trim()}`] : [],
        ),
    );

    expect(hits).toEqual([]);
  });

  it('runs in a browser: imports no Node built-in and uses no Buffer', () => {
    const builtins = coreFiles.flatMap((f) =>
      [...(graph.packages.get(f) ?? [])].filter((p) => isBuiltin(p)).map((p) => `${f} imports ${p}`),
    );
    const buffers = coreFiles.flatMap((f) =>
      readFileSync(join(ROOT, f), 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          /\bBuffer\b/.test(line) && !line.trim().startsWith('*') && !line.trim().startsWith('//') ? [`${f}:${i + 1}: ${line.trim()}`] : [],
        ),
    );

    expect([...builtins, ...buffers]).toEqual([]);
  });
});

/** Lines of `file` matching `pattern`, outside comments, as `file:line: text`. */
function linesMatching(files: readonly string[], pattern: RegExp): string[] {
  return files.flatMap((f) =>
    readFileSync(join(ROOT, f), 'utf8')
      .split('\n')
      .flatMap((line, i) =>
        pattern.test(line) && !line.trim().startsWith('*') && !line.trim().startsWith('//') ? [`${f}:${i + 1}: ${line.trim()}`] : [],
      ),
  );
}

// The browser playground runs the CLI's shell and the scenarios in a page. Only the CLI's Node
// entries (main.ts with what it loads, commandModules.ts, and the library's index.ts), the
// readline REPL (repl.ts) and node/, the CI
// commands that read a repository's files (ciCommands.ts and what only it runs: ci/,
// policyTest/, `replay` and `lint`), and the scenario files read from disk, may touch Node;
// everything else is what a page bundles.
const NODE_ONLY =
  /^packages\/cli\/src\/(main\.ts|index\.ts|commandModules\.ts|repl\.ts|node\/|ciCommands\.ts|ci\/|policyTest\/|replay\/replayCommand\.ts|policyLint\/lintCommand\.ts)|^packages\/scenarios\/src\/scenarioFilesNode\.ts$/;

describe('the shell and the scenarios', () => {
  const shellFiles = graph.files.filter((f) => !f.startsWith('packages/core/') && !NODE_ONLY.test(f));

  it('run in a browser: no Node built-in, process or Buffer outside the Node entry', () => {
    const builtins = shellFiles.flatMap((f) =>
      [...(graph.packages.get(f) ?? [])].filter((p) => isBuiltin(p)).map((p) => `${f} imports ${p}`),
    );

    expect([...builtins, ...linesMatching(shellFiles, /(?<![\w.$])process\.\w|\bBuffer\b/)]).toEqual([]);
  });

  it('never import the Node entry, so a page bundle holds none of it', () => {
    const wrong = shellFiles.flatMap((f) =>
      [...(graph.edges.get(f) ?? [])].filter((to) => NODE_ONLY.test(to)).map((to) => `${f} imports ${to}`),
    );

    expect(wrong).toEqual([]);
  });
});

describe('the playground', () => {
  it('imports the CLI only through its browser entry, never the Node library', () => {
    const page = readImportGraph(ROOT, ['packages/playground/src']);
    const wrong = page.files.flatMap((f) =>
      [...(page.packages.get(f) ?? [])].filter((p) => p === '@cilium-sim/cli' || isBuiltin(p)).map((p) => `${f} imports ${p}`),
    );

    expect(page.files.length).toBeGreaterThan(0);
    expect(wrong).toEqual([]);
  });
});
