import { accessSync, constants, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

/** The function a CommonJS bundle is wrapped in by `buildBundle.mjs` (`__bundleUrl` stands for `import.meta.url`). */
type BundleFunction = (
  exports: object,
  require: NodeJS.Require,
  module: { exports: object },
  filename: string,
  dirname: string,
  bundleUrl: string,
) => void;

/**
 * Runs the CommonJS bundle at `url` and returns its exports, compiled from the V8 code cache
 * beside it (`<file>.cache`) when there is one. Node 20 caches no compiled ES module, and parsing
 * and compiling the simulator's megabyte and a half cost more than running a one-command script; with
 * the cache, V8 reads back the bytecode of every function the first run compiled. The first run,
 * and any run whose Node or V8 flags refuse the cache, writes it when the process exits; a folder
 * that cannot be written only means the next start compiles again.
 */
export function runCodeCached(url: URL): Record<string, unknown> {
  const file = fileURLToPath(url);
  const cacheFile = `${file}.cache`;
  const source = readFileSync(file, 'utf8');
  const cachedData = readCache(cacheFile);
  const script = new Script(source, { filename: file, ...(cachedData === undefined ? {} : { cachedData }) });
  if ((cachedData === undefined || script.cachedDataRejected === true) && writable(dirname(file))) {
    process.once('exit', () => writeCache(script, cacheFile));
  }
  const module = { exports: {} };
  (script.runInThisContext() as BundleFunction)(module.exports, createRequire(file), module, file, dirname(file), url.href);
  return module.exports as Record<string, unknown>;
}

/** Whether a cache could be written: an installation we may not write in never pays for making one. */
function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function readCache(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/** Written under a name of its own, then renamed, so that a process starting meanwhile never reads half a cache. */
function writeCache(script: Script, path: string): void {
  const partial = `${path}.${process.pid}`;
  try {
    writeFileSync(partial, script.createCachedData());
    renameSync(partial, path);
  } catch {
    try {
      rmSync(partial, { force: true });
    } catch {
      // A folder we may not write in holds no partial file either.
    }
  }
}
