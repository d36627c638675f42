import { readFileSync, readSync, statSync, type Stats } from 'node:fs';
import { SimError } from '@cilium-sim/core';

/** Larger files are refused before reading: no script or manifest of a lab comes near it. */
export const MAX_HOST_FILE_BYTES = 64 * 1024 * 1024;

/**
 * Reads a file of the host's file system as text: undefined when nothing is there, a SimError
 * for what cannot be read as one (a directory, a device such as /dev/zero that never ends, a
 * file over MAX_HOST_FILE_BYTES), never Node's own EISDIR or an endless read.
 */
export function readHostFile(path: string): string | undefined {
  // The one device that reads as a file: empty.
  if (path === '/dev/null') return '';
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

/**
 * Reads standard input to its end as text (`cilium-sim run -`, as `bash -s` reads a piped
 * script), refusing it past MAX_HOST_FILE_BYTES rather than holding an endless stream.
 */
export function readStandardInput(): string {
  const chunks: Buffer[] = [];
  let size = 0;
  const chunk = Buffer.alloc(1024 * 1024);
  for (;;) {
    let n: number;
    try {
      n = readSync(0, chunk, 0, chunk.length, null);
    } catch (e) {
      const code = (e as { code?: string }).code;
      // A non-blocking pipe with nothing yet: wait for it as a blocking read would.
      if (code === 'EAGAIN') continue;
      if (code === 'EOF') break;
      throw new SimError({ code: 'INVALID_FIELD', object: 'standard input', message: `cannot be read (${code ?? 'I/O error'})` });
    }
    if (n === 0) break;
    size += n;
    if (size > MAX_HOST_FILE_BYTES)
      throw new SimError({
        code: 'LIMIT_EXCEEDED',
        object: 'standard input',
        message: `is over ${MAX_HOST_FILE_BYTES / (1024 * 1024)} MiB; cilium-sim reads scripts of at most that`,
      });
    chunks.push(Buffer.from(chunk.subarray(0, n)));
  }
  return Buffer.concat(chunks).toString('utf8');
}
