import { dirname, resolve } from 'node:path';
import type { HostFiles } from '../hostFiles.ts';
import { manifestFiles } from './inputFiles.ts';
import { readHostFile } from './hostFile.ts';

/** The disk as the shell sees it from `baseDir`: relative paths resolve there. */
export function nodeHostFiles(baseDir: string): HostFiles {
  return { read: (path) => readHostFile(resolve(baseDir, path)), listDir: (path) => manifestFiles(resolve(baseDir, path)) };
}

/** The folder a script's relative paths resolve against. */
export function scriptDir(path: string): string {
  return dirname(resolve(path));
}
