import { tabwriteText } from '@cilium-sim/core';
import { executeTemplate, JsonPathExecError } from '../../shell/jsonpath/evaluate.ts';
import { goText } from '../../shell/jsonpath/goValue.ts';
import { JsonPathParseError, parseTemplate, type TemplateItem } from '../../shell/jsonpath/parse.ts';

/** One column of `-o custom-columns=NAME:.metadata.name,...`: its header and its parsed JSONPath. */
export interface CustomColumn {
  readonly header: string;
  readonly template: readonly TemplateItem[];
}

/**
 * Reads kubectl's custom-columns spec: `HEADER:PATH` pairs split on commas, each PATH relaxed as
 * kubectl relaxes it (`.metadata.name`, `metadata.name` and `{.metadata.name}` alike). Returns
 * kubectl's error text for a spec it refuses.
 */
export function parseCustomColumns(spec: string): CustomColumn[] | string {
  if (spec === '') return 'error: custom-columns format specified but no custom columns given';
  const columns: CustomColumn[] = [];
  for (const part of spec.split(',')) {
    const colon = part.indexOf(':');
    if (colon < 0) return `error: unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`;
    const path = part.slice(colon + 1);
    const relaxed = /^\{.*\}$/s.test(path) ? path : `{${path.startsWith('.') ? '' : '.'}${path}}`;
    try {
      columns.push({ header: part.slice(0, colon), template: parseTemplate(relaxed) });
    } catch (e) {
      if (!(e instanceof JsonPathParseError)) throw e;
      return `error: error parsing jsonpath ${relaxed}, ${e.message}`;
    }
  }
  return columns;
}

/**
 * The table kubectl prints for custom columns: the headers as written, then a row per object;
 * several values of a path join with commas, and a path that finds nothing prints `<none>`.
 */
export function printCustomColumns(columns: readonly CustomColumn[], objects: readonly unknown[], noHeaders: boolean): string {
  const rows = objects.map((o) => columns.map((c) => cell(c, o)));
  const lines = noHeaders ? rows : [columns.map((c) => c.header), ...rows];
  return tabwriteText(lines.map((cells) => `${cells.join('\t')}\n`).join(''), { minWidth: 6, padding: 3 });
}

function cell(column: CustomColumn, object: unknown): string {
  let values: unknown[];
  try {
    values = executeTemplate(column.template, object).flat();
  } catch (e) {
    // kubectl's custom-columns printer allows missing keys: what is not there is <none>.
    if (!(e instanceof JsonPathExecError)) throw e;
    values = [];
  }
  const text = values.map(goText).join(',');
  return text === '' ? '<none>' : text;
}
