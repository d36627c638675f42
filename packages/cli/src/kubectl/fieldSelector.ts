import { k8s } from '@cilium-sim/core';
import { kubectlError } from './kubectlFlags.ts';
import type { KubeObject } from './objects.ts';

/** One `field=value` / `field!=value` term of `--field-selector`. */
export interface FieldRequirement {
  readonly field: string;
  readonly equal: boolean;
  readonly value: string;
}

/**
 * Parses `--field-selector spec.nodeName=kind-worker,status.phase!=Pending` as kubectl does
 * (`=`, `==` and `!=`, terms ANDed). Fields other than the ones the kind's registry entry lists
 * are refused as the API server refuses them.
 */
export function parseFieldSelector(text: string, kind: k8s.ApiKind): FieldRequirement[] {
  const type = k8s.KINDS[kind];
  return text
    .split(',')
    .filter((t) => t !== '')
    .map((term) => {
      const m = /^([A-Za-z.]+)\s*(==|!=|=)\s*(.*)$/.exec(term);
      if (m === null) throw kubectlError('get', `error: invalid selector: '${text}'; can't understand '${term}'`, '--field-selector');
      const field = m[1]!;
      if (!type.fieldSelectors.includes(field)) {
        const resource = `${type.group}/${type.versions[0]}, Resource=${type.plural}`;
        throw kubectlError(
          'get',
          `Error from server (BadRequest): Unable to find "${resource}" that match label selector "", field selector "${text}": "${field}" is not a known field selector: only "${type.fieldSelectors.join('", "')}"`,
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
