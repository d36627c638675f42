import { decodeBase64, encodeBase64 } from '../base64.ts';
import { SimError, type SimIssue } from '../errors.ts';
import { canonicalJson } from './canonicalJson.ts';
import type { Subject } from './immutableFields.ts';
import type { AdmissionRequest } from './kindDefinition.ts';
import type { Secret } from './schemas/secret.ts';

const UTF8 = new TextEncoder();

/**
 * A Secret as the API server stores it: `type` defaults to Opaque; `stringData` is merged into
 * `data`, encoded, its values winning over `data`'s; `data` holds the bytes, so its values are
 * stored re-encoded (a value wrapped over lines reads back on one). On update the type may not
 * change, nor, once `immutable` is set, the data or the flag itself.
 */
export function admitSecret({ object, ref, manifest, metadata, existing }: AdmissionRequest<Secret>): Secret {
  const written = manifest as Pick<Secret, 'type' | 'immutable' | 'data' | 'stringData'>;
  const type = written.type === undefined || written.type === '' ? 'Opaque' : written.type;
  const data: Record<string, string> = {};
  // The schema has checked that every value of `data` decodes.
  for (const [key, value] of Object.entries(written.data ?? {})) data[key] = encodeBase64(decodeBase64(value) as Uint8Array);
  for (const [key, value] of Object.entries(written.stringData ?? {})) data[key] = encodeBase64(UTF8.encode(value));
  if (existing !== undefined) {
    const issues = updateIssues({ object, ref }, existing, type, data, written.immutable);
    if (issues.length > 0) throw SimError.of(issues);
  }
  return {
    apiVersion: manifest['apiVersion'] as string,
    kind: 'Secret',
    metadata,
    ...(written.immutable === undefined ? {} : { immutable: written.immutable }),
    ...(Object.keys(data).length === 0 ? {} : { data }),
    type,
  };
}

/** ValidateSecretUpdate: the type is fixed; an immutable Secret keeps its data and stays immutable. */
function updateIssues(
  { object, ref }: Subject,
  old: Secret,
  type: string,
  data: Record<string, string>,
  immutable: boolean | undefined,
): SimIssue[] {
  const issues: SimIssue[] = [];
  if (old.type !== type) {
    issues.push({ code: 'INVALID_FIELD', object, ref, path: 'type', message: `Invalid value: "${type}": field is immutable` });
  }
  if (old.immutable === true) {
    const forbidden = 'Forbidden: field is immutable when `immutable` is set';
    if (immutable !== true) issues.push({ code: 'INVALID_FIELD', object, ref, path: 'immutable', message: forbidden });
    if (canonicalJson(old.data ?? {}) !== canonicalJson(data))
      issues.push({ code: 'INVALID_FIELD', object, ref, path: 'data', message: forbidden });
  }
  return issues;
}
