import { isSimError, k8s, SimError } from '@cilium-sim/core';
import { resolveBundledUrl } from '@cilium-sim/scenarios';
import type { CliContext } from './cliContext.ts';

/**
 * The text behind `kubectl apply -f X`: a bundled copy for the labs' well-known URLs, a clear
 * "no network" error for any other URL, else a file relative to the script's folder.
 */
export function readManifest(ctx: CliContext, source: string): string {
  if (/^https?:\/\//.test(source)) return resolveBundledUrl(source).text;
  const text = ctx.readFile(source);
  if (text === undefined)
    throw new SimError({ code: 'NOT_FOUND', object: 'kubectl', path: '-f', message: `the path "${source}" does not exist` });
  return text;
}

/**
 * The files behind `-f X`: for a directory, its manifest files (.yaml, .yml, .json, in name order,
 * not its subdirectories) named under X as kubectl names them (`policies/web.yaml`); else X.
 */
export function manifestFilesOf(ctx: CliContext, source: string): string[] {
  if (/^https?:\/\//.test(source)) return [source];
  const files = ctx.listDir?.(source);
  if (files === undefined) return [source];
  const dir = source.replace(/\/+$/, '');
  return files.map((f) => `${dir}/${f.slice(f.lastIndexOf('/') + 1)}`);
}

/**
 * The text behind `-f X` as one change: a directory's files joined as the documents of one
 * manifest. Each file is read as YAML on its own first, so a malformed one is refused by its
 * name (`error parsing dir/x.yaml: ...`), not by a document number counted across the directory.
 */
export function readManifests(ctx: CliContext, source: string): string {
  return manifestFilesOf(ctx, source)
    .map((f) => {
      const text = readManifest(ctx, f);
      try {
        k8s.parseManifest(text);
      } catch (e) {
        if (isSimError(e)) throw new SimError({ code: e.code, message: manifestFileError(f, e) });
        throw e;
      }
      return text;
    })
    .join('\n---\n');
}

/** kubectl's words for a file it cannot read as a manifest. */
export function manifestFileError(file: string, e: SimError): string {
  return `error parsing ${file}: ${e.message}`;
}
