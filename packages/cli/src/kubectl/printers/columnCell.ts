import { k8s } from '@cilium-sim/core';
import { executeTemplate, JsonPathExecError } from '../../shell/jsonpath/evaluate.ts';
import { goText } from '../../shell/jsonpath/goValue.ts';
import { parseTemplate, type TemplateItem } from '../../shell/jsonpath/parse.ts';
import type { KubeObject } from '../objects.ts';

/**
 * The text of one cell of a `kubectl get` table. A built-in kind's column computes it; a column
 * declared as a CRD declares it is read as the API server's table convertor reads it: the first
 * value its JSONPath finds, an empty cell when there is none, an age for a `date`.
 */
export function columnCell(column: k8s.PrinterColumn, obj: KubeObject, ctx: k8s.PrintContext): string {
  if ('cell' in column) return column.cell(obj, ctx);
  const value = firstValue(column.jsonPath, obj);
  if (column.type === 'date') return k8s.age(typeof value === 'string' ? value : undefined, ctx.nowMs);
  return value === undefined || value === null ? '' : goText(value);
}

/** The registry's paths are few and fixed: each is parsed once. */
const parsed = new Map<string, TemplateItem[]>();

function firstValue(jsonPath: string, obj: KubeObject): unknown {
  let items = parsed.get(jsonPath);
  if (items === undefined) parsed.set(jsonPath, (items = parseTemplate(`{${jsonPath}}`)));
  try {
    return executeTemplate(items, obj)[0]?.[0];
  } catch (e) {
    // A path that does not fit the object (an index into a map) finds nothing, as for a CRD column.
    if (e instanceof JsonPathExecError) return undefined;
    throw e;
  }
}
