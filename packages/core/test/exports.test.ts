import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as core from '../src/index.ts';

// The package's exported names, types included, are a contract: docs/library.md lists them, and
// adding or removing one means updating that list in the same change.
const INDEX = resolve(import.meta.dirname, '../src/index.ts');
const LIBRARY_DOC = resolve(import.meta.dirname, '../../../docs/library.md');

const REEXPORT = /export\s+(type\s+)?\{([^}]*)\}\s*from\s*'([^']+)'/g;
const STAR = /export\s+\*\s+(?:as\s+(\w+)\s+)?from\s*'([^']+)'/g;
const DECLARATION = /^export\s+(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:function\*?|const|let|class|interface|type|enum)\s+(\w+)/gm;

/** The names a module exports, read from its source: declarations, re-exports, `export *` followed. */
function exportedNames(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const at = (spec: string): string => resolve(dirname(file), spec);
  const names: string[] = [];
  for (const m of text.matchAll(DECLARATION)) names.push(m[1]!);
  for (const m of text.matchAll(REEXPORT)) {
    for (const item of m[2]!.split(',')) {
      const words = item
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/);
      if (words[0] !== '') names.push(words.at(-1)!);
    }
  }
  for (const m of text.matchAll(STAR)) {
    const inner = exportedNames(at(m[2]!));
    names.push(...(m[1] === undefined ? inner : [m[1], ...inner.map((n) => `${m[1]}.${n}`)]));
  }
  return [...new Set(names)].sort();
}

/** The list in docs/library.md: one name a line in the fenced block after `<!-- exports -->`. */
function documentedNames(): string[] {
  const text = readFileSync(LIBRARY_DOC, 'utf8');
  const block = /<!-- exports -->\s*```text\n([\s\S]*?)```/.exec(text)?.[1];
  if (block === undefined) throw new Error('docs/library.md has no `<!-- exports -->` list');
  return block
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

describe("the package's exports", () => {
  const exported = exportedNames(INDEX);

  it('are the names docs/library.md lists', () => {
    const documented = documentedNames();
    const added = exported.filter((n) => !documented.includes(n));
    const removed = documented.filter((n) => !exported.includes(n));

    expect({ added, removed }).toEqual({ added: [], removed: [] });
  });

  it('include every value the module really exports', () => {
    const values = Object.entries(core).flatMap(([name, value]) =>
      typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === null
        ? [name, ...Object.keys(value).map((inner) => `${name}.${inner}`)]
        : [name],
    );

    expect(values.filter((v) => !exported.includes(v))).toEqual([]);
  });
});
