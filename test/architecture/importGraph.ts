import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The workspace's import graph, read from the sources' own `import` and `export ... from`
 * statements (type-only ones included: a cycle of types still ties two modules together).
 */
export interface ImportGraph {
  /** Every source file, relative to the workspace root. */
  readonly files: readonly string[];
  /** file -> the workspace files it imports (relative paths). */
  readonly edges: ReadonlyMap<string, ReadonlySet<string>>;
  /** file -> the package specifiers it imports (`@cilium-sim/core`, `node:fs`, `immer`). */
  readonly packages: ReadonlyMap<string, ReadonlySet<string>>;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[^'"`;]*?\sfrom\s+)?['"]([^'"]+)['"]/g;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

export function readImportGraph(root: string, sourceRoots: readonly string[]): ImportGraph {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) files.push(relative(root, path));
    }
  };
  for (const r of sourceRoots) if (existsSync(join(root, r))) walk(join(root, r));
  const known = new Set(files);
  const edges = new Map<string, Set<string>>();
  const packages = new Map<string, Set<string>>();
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    const out = new Set<string>();
    const pkgs = new Set<string>();
    for (const m of [...text.matchAll(IMPORT), ...text.matchAll(DYNAMIC)]) {
      const spec = m[1]!;
      if (!spec.startsWith('.')) {
        pkgs.add(spec);
        continue;
      }
      const base = relative(root, resolve(root, dirname(file), spec));
      const target = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')].find((c) => known.has(c));
      if (target !== undefined) out.add(target);
    }
    edges.set(file, out);
    packages.set(file, pkgs);
  }
  return { files, edges, packages };
}

/** Strongly connected components of more than one node (Tarjan), each sorted, in a stable order. */
export function cycles(nodes: readonly string[], next: (n: string) => Iterable<string>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of next(v)) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) found.push(component.sort());
  };
  for (const v of nodes) if (!index.has(v)) visit(v);
  return found.sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}

/**
 * The folder a file belongs to for layering: the first folder under `packages/NAME/src`
 * (`packages/core/src/policy`); a file directly in `src/` is a node of its own.
 */
export function folderOf(file: string): string {
  const parts = file.split('/');
  return parts.length > 4 ? parts.slice(0, 4).join('/') : file;
}

/** Folder-level edges: an import from one folder into another. */
export function folderEdges(graph: ImportGraph): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const [from, targets] of graph.edges) {
    for (const to of targets) {
      const [a, b] = [folderOf(from), folderOf(to)];
      if (a === b) continue;
      if (!out.has(a)) out.set(a, new Set());
      out.get(a)!.add(b);
    }
  }
  return out;
}
