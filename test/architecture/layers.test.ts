import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cycles, folderEdges, folderOf, readImportGraph } from './importGraph.ts';

// Checks of the workspace's shape that no single package can see: import cycles at file and
// folder level, the direction packages depend in (cli -> scenarios -> core), and the rules that
// keep core deterministic. docs/architecture.md explains each layer.
const ROOT = resolve(import.meta.dirname, '../..');
const graph = readImportGraph(ROOT, ['packages/core/src', 'packages/scenarios/src', 'packages/cli/src']);

/** Cycles that existed before the layering was enforced; each entry goes as its cycle is cut. */
const KNOWN_FILE_CYCLES: readonly string[] = [
  'packages/core/src/auth/authManager.ts <-> packages/core/src/auth/mutualHandshake.ts',
  'packages/core/src/cluster/ciliumObjects.ts <-> packages/core/src/cluster/cluster.ts <-> packages/core/src/cluster/policyTrace.ts <-> packages/core/src/cluster/workloadAccess.ts',
  'packages/core/src/datapath/datapath.ts <-> packages/core/src/datapath/flowEmitter.ts',
];
const KNOWN_FOLDER_CYCLES: readonly string[] = [
  'packages/cli/src/commands <-> packages/cli/src/dispatcher.ts <-> packages/cli/src/lab <-> packages/cli/src/replHelp.ts <-> packages/cli/src/scenarioRunner.ts <-> packages/cli/src/simulator.ts',
  'packages/core/src/agent <-> packages/core/src/datapath <-> packages/core/src/policy',
];

describe('the import graph', () => {
  it('has no import cycle between files', () => {
    const found = cycles(graph.files, (f) => graph.edges.get(f) ?? []).map((c) => c.join(' <-> '));

    expect(found.filter((c) => !KNOWN_FILE_CYCLES.includes(c))).toEqual([]);
  });

  it('has no import cycle between folders', () => {
    const edges = folderEdges(graph);
    const folders = [...new Set(graph.files.map(folderOf))];
    const found = cycles(folders, (f) => edges.get(f) ?? []).map((c) => c.join(' <-> '));

    expect(found.filter((c) => !KNOWN_FOLDER_CYCLES.includes(c))).toEqual([]);
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
    const banned = /\bprocess\.|\bconsole\.|from 'node:fs'|from 'node:child_process'/;
    const hits = coreFiles.flatMap((f) =>
      readFileSync(join(ROOT, f), 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          banned.test(line) && !line.trim().startsWith('*') && !line.trim().startsWith('//') ? [`${f}:${i + 1}: ${line.trim()}`] : [],
        ),
    );

    expect(hits).toEqual([]);
  });
});
