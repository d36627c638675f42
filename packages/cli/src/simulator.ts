import { dirname, resolve } from 'node:path';
import { Cluster, type ClusterOptions } from '@cilium-sim/core';
import { normalizePath } from './shell/redirect.ts';
import { ShellSession } from './shell/session.ts';
import { createDispatch } from './dispatcher.ts';
import { readHostFile } from './hostFile.ts';
import { manifestFiles } from './ci/inputFiles.ts';

export interface Simulator {
  readonly cluster: Cluster;
  readonly session: ShellSession;
}

/**
 * A cluster and a shell session wired to it: what `cilium-sim run`, `repl` and `scenario` use.
 * Files named on command lines resolve against `baseDir` (the script's folder), then against
 * the files the session wrote with `>`, then in-memory `files`.
 */
export function createSimulator(options: ClusterOptions, baseDir: string, files: ReadonlyMap<string, string> = new Map()): Simulator {
  const cluster = Cluster.create(options);
  let session: ShellSession | undefined;
  const readFile = (path: string): string | undefined => {
    const written = session?.files.get(path.replace(/^\.\//, ''));
    if (written !== undefined) return written;
    const bundled = files.get(path.replace(/^\.\//, ''));
    if (bundled !== undefined) return bundled;
    return readHostFile(resolve(baseDir, path));
  };
  const listDir = (path: string): readonly string[] | undefined => manifestFiles(resolve(baseDir, path));
  const writeFile = (path: string, data: string): void => void session?.files.set(normalizePath(path), data);
  session = new ShellSession({
    dispatch: createDispatch({ cluster, readFile, listDir, writeFile }),
    env: { HOME: '/root', PWD: '/root' },
    readFile,
  });
  return { cluster, session };
}

/** The folder a script's relative paths resolve against. */
export function scriptDir(path: string): string {
  return dirname(resolve(path));
}
