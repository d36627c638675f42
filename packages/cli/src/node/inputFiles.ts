import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { SimError } from '@cilium-sim/core';
import { readHostFile } from './hostFile.ts';

/** A file named on the command line (or found in a directory named there), read as text. */
export interface InputFile {
  /** As the user named it, relative to the working directory: `policies/deny.yaml`, or `-` for stdin. */
  readonly path: string;
  /** Absolute, to resolve what the file names relative to itself. */
  readonly absolute: string;
  readonly text: string;
}

/** The extensions `kubectl apply -f DIR` reads. */
const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

/**
 * The files behind `PATH ...` as `kubectl apply -f` takes them: a file, a directory (its
 * .yaml/.yml/.json files in name order, subdirectories too with `recursive`), or `-` for
 * standard input. A path that does not exist is a SimError naming it.
 */
export function readInputFiles(paths: readonly string[], opts: { cwd: string; recursive: boolean; stdin: () => string }): InputFile[] {
  const out: InputFile[] = [];
  for (const p of paths) {
    if (p === '-') {
      out.push({ path: '-', absolute: join(opts.cwd, '-'), text: opts.stdin() });
      continue;
    }
    const absolute = resolve(opts.cwd, p);
    let isDir: boolean;
    try {
      isDir = statSync(absolute).isDirectory();
    } catch {
      throw new SimError({ code: 'NOT_FOUND', object: p, message: 'no such file or directory' });
    }
    const files = isDir ? directoryFiles(absolute, opts.recursive) : [absolute];
    for (const f of files) {
      const text = readHostFile(f);
      if (text === undefined) throw new SimError({ code: 'NOT_FOUND', object: f, message: 'no such file or directory' });
      out.push({ path: relative(opts.cwd, f) || f, absolute: f, text });
    }
  }
  return out;
}

function directoryFiles(dir: string, recursive: boolean): string[] {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return entries.flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return recursive ? directoryFiles(full, true) : [];
    return MANIFEST_EXTENSIONS.some((x) => e.name.endsWith(x)) ? [full] : [];
  });
}

/** The manifest files of a directory (not its subdirectories), in name order; undefined when it is none. */
export function manifestFiles(dir: string): string[] | undefined {
  try {
    if (!statSync(dir).isDirectory()) return undefined;
  } catch {
    return undefined;
  }
  return directoryFiles(dir, false);
}

/** Standard input as text (`-`), read once. */
export function readStdin(): string {
  return readFileSync(0, 'utf8');
}
