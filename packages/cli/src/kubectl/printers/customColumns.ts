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
    const relaxedPath = relaxedJsonPath(part.slice(colon + 1));
    if ('error' in relaxedPath) return relaxedPath.error;
    const relaxed = relaxedPath.path;
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
 * kubectl's RelaxedJSONPathExpression: `.metadata.name`, `metadata.name`, `{metadata.name}` and
 * `{.metadata.name}` alike; anything else (an open brace, a template) is refused in its words.
 */
export function relaxedJsonPath(path: string): { path: string } | { error: string } {
  const m = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/s.exec(path);
  if (m === null)
    return { error: "error: unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'" };
  return { path: `{.${m[1] ?? m[2]}}` };
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
  const text = pathValues(column.template, object).map(goText).join(',');
  return text === '' ? '<none>' : text;
}

/** The values a path finds in an object; none where a key is missing, as kubectl's printers allow. */
export function pathValues(template: readonly TemplateItem[], object: unknown): unknown[] {
  try {
    return executeTemplate(template, object).flat();
  } catch (e) {
    if (!(e instanceof JsonPathExecError)) throw e;
    return [];
  }
}
