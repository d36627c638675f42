// What `pnpm build` and a published package rely on, checked without building: every export's
// source exists, each package builds from its own tsconfig.build.json, the CLI's bin stub is a
// node script, and the scenarios package ships its scenario folders.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');
const pkg = (name: string): Record<string, unknown> => JSON.parse(read(`packages/${name}/package.json`)) as Record<string, unknown>;

describe.each(['core', 'scenarios', 'cli'])('package %s', (name) => {
  it('exports its source to the workspace and its dist (with types) to everyone else', () => {
    const exported = (pkg(name)['exports'] as Record<string, Record<string, string>>)['.']!;
    expect(existsSync(new URL(`packages/${name}/${exported['source']}`, root))).toBe(true);
    expect(exported['types']).toBe('./dist/index.d.ts');
    expect(exported['import']).toBe('./dist/index.js');
    expect(pkg(name)['files']).toContain('dist');
  });

  it('builds with tsc from tsconfig.build.json into dist', () => {
    expect((pkg(name)['scripts'] as Record<string, string>)['build']).toBe('tsc -p tsconfig.build.json');
    const config = read(`packages/${name}/tsconfig.build.json`);
    expect(config).toContain('"outDir": "dist"');
    expect(config).toContain('"rewriteRelativeImportExtensions": true');
  });
});

describe('the published pieces', () => {
  it('gives the CLI a node bin that runs dist/main.js', () => {
    const bin = (pkg('cli')['bin'] as Record<string, string>)['cilium-sim']!;
    const stub = read(`packages/cli/${bin}`);
    expect(stub.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(stub).toContain("new URL('../dist/main.js', import.meta.url)");
    expect(pkg('cli')['files']).toContain('bin');
  });

  it('ships the scenario folders with the scenarios package', () => {
    expect(pkg('scenarios')['files']).toContain('scenarios');
  });
});
