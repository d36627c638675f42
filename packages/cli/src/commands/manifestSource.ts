import { SimError } from '@cilium-sim/core';
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
