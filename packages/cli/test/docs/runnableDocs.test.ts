// Every ```ts runnable block of docs/ runs here, against the real packages.
//
// No transpiler: a runnable block is written in the subset of TypeScript that is also
// JavaScript (no type annotations, no `!`, no `as`), so it runs as it reads. Its `import`
// lines become look-ups in the modules below, the rest runs as the body of an async
// function, and `console.log` is captured. A `console.log(...)` line that ends with a
// `// text` comment promises that output: the test compares them in order.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as core from '@cilium-sim/core';
import * as scenarios from '@cilium-sim/scenarios';

const MODULES: Readonly<Record<string, unknown>> = { '@cilium-sim/core': core, '@cilium-sim/scenarios': scenarios };
const DOCS = fileURLToPath(new URL('../../../../docs/', import.meta.url));

interface Block {
  readonly file: string;
  readonly line: number;
  readonly code: string;
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? markdownFiles(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : [],
  );
}

/** The fenced blocks whose info string is `ts runnable` (or `js runnable`). */
export function runnableBlocks(markdown: string, file: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|js|typescript|javascript)\s+runnable\s*$/.test(lines[i]!)) continue;
    const end = lines.findIndex((l, j) => j > i && l.startsWith('```'));
    if (end < 0) throw new Error(`${file}:${i + 1}: unterminated code block`);
    blocks.push({ file, line: i + 1, code: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return blocks;
}

/** `import { a, b as c } from 'm';` becomes `const { a, b: c } = __modules['m'];`. */
function rewriteImports(code: string): string {
  return code
    .replace(/^import\s+\{([^}]*)\}\s+from\s+'([^']+)';?/gm, (_, names: string, mod: string) => {
      const bindings = names
        .split(',')
        .map((n) => n.trim())
        .filter((n) => n !== '' && !n.startsWith('type '))
        .map((n) => n.replace(/\s+as\s+/, ': '));
      return `const { ${bindings.join(', ')} } = __module(${JSON.stringify(mod)});`;
    })
    .replace(
      /^import\s+\*\s+as\s+(\w+)\s+from\s+'([^']+)';?/gm,
      (_, name: string, mod: string) => `const ${name} = __module(${JSON.stringify(mod)});`,
    );
}

/**
 * One entry per `console.log` line, in order: the output its trailing `// text` comment
 * promises, or undefined when it promises nothing. (So keep console.log out of loops.)
 */
function promisedOutputs(code: string): (string | undefined)[] {
  return code.split('\n').flatMap((l) => {
    if (!/^\s*console\.log\(/.test(l)) return [];
    const m = /\);\s*\/\/ (.*)$/.exec(l);
    return [m === null ? undefined : m[1]!.trim()];
  });
}

async function runBlock(block: Block): Promise<string[]> {
  const logged: string[] = [];
  const fakeConsole = {
    log: (...args: unknown[]) => logged.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')),
  };
  const module = (name: string): unknown => {
    const m = MODULES[name];
    if (m === undefined) throw new Error(`runnable blocks may import only ${Object.keys(MODULES).join(', ')}; got ${name}`);
    return m;
  };
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
  let fn: (...a: unknown[]) => Promise<void>;
  try {
    fn = new AsyncFunction('__module', 'console', rewriteImports(block.code));
  } catch (e) {
    throw new Error(`the block is not JavaScript-compatible TypeScript (no annotations, no !, no as): ${(e as Error).message}`);
  }
  await fn(module, fakeConsole);
  return logged;
}

const blocks = markdownFiles(DOCS)
  .sort()
  .flatMap((f) => runnableBlocks(readFileSync(f, 'utf8'), relative(join(DOCS, '..'), f)));

describe('runnable code blocks in docs/', () => {
  it('exist', () => {
    expect(blocks.length).toBeGreaterThan(5);
  });

  it.each(blocks.map((b) => [`${b.file}:${b.line}`, b] as const))('%s runs and prints what its comments promise', async (_where, block) => {
    const logged = await runBlock(block);
    const promised = promisedOutputs(block.code);
    expect(logged).toHaveLength(promised.length);
    expect(logged.map((l, i) => (promised[i] === undefined ? undefined : l))).toEqual(promised);
  });
});

describe('the runnable-block reader', () => {
  it('rewrites imports and finds promised outputs', () => {
    expect(rewriteImports("import { Cluster, type Flow, hubble as h } from '@cilium-sim/core';")).toBe(
      'const { Cluster, hubble: h } = __module("@cilium-sim/core");',
    );
    expect(promisedOutputs("console.log(1 + 1); // 2\nconsole.log('x');")).toEqual(['2', undefined]);
    expect(runnableBlocks('a\n```ts runnable\nx\n```\n```ts\ny\n```\n', 'f.md')).toEqual([{ file: 'f.md', line: 2, code: 'x' }]);
  });
});
