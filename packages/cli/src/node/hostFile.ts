import { statSync, readFileSync, type Stats } from 'node:fs';
import { SimError } from '@cilium-sim/core';

/** Larger files are refused before reading: no script or manifest of a lab comes near it. */
export const MAX_HOST_FILE_BYTES = 64 * 1024 * 1024;

/**
 * Reads a file of the host's file system as text: undefined when nothing is there, a SimError
 * for what cannot be read as one (a directory, a device such as /dev/zero that never ends, a
 * file over MAX_HOST_FILE_BYTES), never Node's own EISDIR or an endless read.
 */
export function readHostFile(path: string): string | undefined {
  let stat: Stats;
  try {
    stat = statSync(path);
  } catch {
    return undefined;
  }
  if (stat.isDirectory())
    throw new SimError({ code: 'INVALID_FIELD', object: path, message: 'is a directory; name the files in it one by one' });
  if (!stat.isFile()) throw new SimError({ code: 'INVALID_FIELD', object: path, message: 'is not a regular file' });
  if (stat.size > MAX_HOST_FILE_BYTES) {
    throw new SimError({
      code: 'LIMIT_EXCEEDED',
      object: path,
      message: `is ${Math.round(stat.size / (1024 * 1024))} MiB; cilium-sim reads files of at most ${MAX_HOST_FILE_BYTES / (1024 * 1024)} MiB`,
    });
  }
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new SimError({
      code: 'INVALID_FIELD',
      object: path,
      message: code === 'EACCES' ? 'Permission denied' : `cannot be read (${code ?? 'I/O error'})`,
    });
  }
}
