import { kubectlError } from './kubectlFlags.ts';
import type { KubeObject } from './objects.ts';

/** One `field=value` / `field!=value` term of `--field-selector`. */
export interface FieldRequirement {
  readonly field: string;
  readonly equal: boolean;
  readonly value: string;
}

/** The fields the API server accepts in field selectors for every kind, and for pods. */
const COMMON_FIELDS = ['metadata.name', 'metadata.namespace'];
const POD_FIELDS = ['spec.nodeName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP'];

/**
 * Parses `--field-selector spec.nodeName=kind-worker,status.phase!=Pending` as kubectl does
 * (`=`, `==` and `!=`, terms ANDed). Fields other than the supported ones are refused as the
 * API server refuses them.
 */
export function parseFieldSelector(text: string, kind: string): FieldRequirement[] {
  return text
    .split(',')
    .filter((t) => t !== '')
    .map((term) => {
      const m = /^([A-Za-z.]+)\s*(==|!=|=)\s*(.*)$/.exec(term);
      if (m === null) throw kubectlError('get', `error: invalid selector: '${text}'; can't understand '${term}'`, '--field-selector');
      const field = m[1]!;
      if (!COMMON_FIELDS.includes(field) && !(kind === 'Pod' && POD_FIELDS.includes(field))) {
        throw kubectlError(
          'get',
          `Error from server (BadRequest): Unable to find "/v1, Resource=${kind.toLowerCase()}s" that match label selector "", field selector "${text}": "${field}" is not a known field selector: only "${[...COMMON_FIELDS, ...(kind === 'Pod' ? POD_FIELDS : [])].join('", "')}"`,
          '--field-selector',
        );
      }
      return { field, equal: m[2] !== '!=', value: m[3]! };
    });
}

/** The objects whose fields satisfy every requirement. */
export function matchingFields(objects: readonly KubeObject[], requirements: readonly FieldRequirement[]): KubeObject[] {
  return objects.filter((o) => requirements.every((r) => (String(fieldOf(o, r.field) ?? '') === r.value) === r.equal));
}

function fieldOf(o: KubeObject, path: string): unknown {
  let v: unknown = o;
  for (const part of path.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
  return v;
}
