import { SimError } from '../errors.ts';
import { NAME_ALPHABET } from './controllers/podTemplateHash.ts';
import { isRecord, type ManifestDocument } from './manifest.ts';
import type { Rng } from '../sim/rng.ts';

/**
 * `metadata.generateName` without a name: on create the API server names the object after the
 * prefix and five random characters (`web-x7k2p`), drawing again while the name is taken; apply
 * cannot name what it would have to find again, so kubectl refuses it before sending anything.
 */
export function withGeneratedName(
  doc: ManifestDocument,
  mode: 'apply' | 'create',
  names: Rng,
  taken: (name: string, namespace: unknown) => boolean,
): ManifestDocument {
  const value = doc.value;
  if (!isRecord(value) || !isRecord(value['metadata'])) return doc;
  const meta = value['metadata'];
  const prefix = meta['generateName'];
  if (typeof prefix !== 'string' || prefix === '' || (meta['name'] !== undefined && meta['name'] !== '')) return doc;
  if (mode === 'apply') {
    throw new SimError({
      code: 'INVALID_COMMAND',
      object: `${String(value['kind'])} ${prefix}`,
      path: 'metadata.generateName',
      message: `from ${prefix}: cannot use generate name with apply`,
    });
  }
  let name: string;
  const base = generatedPrefix(prefix);
  do name = `${base}${names.string(5, NAME_ALPHABET)}`;
  while (taken(name, meta['namespace']));
  return { ...doc, value: { ...value, metadata: { ...meta, name } } };
}

/** apiserver's maxGeneratedNameLength: 63 characters less the five random ones. */
const MAX_GENERATED_PREFIX = 58;

/**
 * The prefix a generated name starts with, as apiserver's SimpleNameGenerator cuts it to 58
 * characters so the name fits a 63-character label (controllers' pods are named so too).
 */
export function generatedPrefix(prefix: string): string {
  return prefix.length > MAX_GENERATED_PREFIX ? prefix.slice(0, MAX_GENERATED_PREFIX) : prefix;
}
