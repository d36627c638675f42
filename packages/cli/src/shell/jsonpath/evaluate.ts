import type { JsonPathNode, TemplateItem } from './parse.ts';

/** A failure while walking the data, with the message kubectl's engine gives. */
export class JsonPathExecError extends Error {}

/**
 * Runs a parsed template over `data` and returns the result groups kubectl prints: one
 * group per action (or literal text), values within a group joined by one space.
 * `{range X}...{end}` repeats its body for every value of X. Missing keys give nothing,
 * as `kubectl get` allows missing template keys by default.
 */
export function executeTemplate(items: readonly TemplateItem[], data: unknown): unknown[][] {
  const groups: unknown[][] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item.kind === 'text') {
      groups.push([item.text]);
      continue;
    }
    const head = item.nodes.find((n) => n.kind !== 'text' || n.text !== '');
    if (head?.kind === 'identifier' && head.name === 'end') throw new JsonPathExecError('not in range, nothing to end');
    if (head?.kind === 'identifier' && head.name === 'range') {
      const end = matchingEnd(items, i);
      const body = items.slice(i + 1, end);
      for (const value of walkList([data], item.nodes.slice(item.nodes.indexOf(head) + 1))) groups.push(...executeTemplate(body, value));
      i = end;
      continue;
    }
    groups.push(walkList([data], item.nodes));
  }
  return groups;
}

/** The index of the `{end}` closing the `{range}` at `at`, or the end of the template. */
function matchingEnd(items: readonly TemplateItem[], at: number): number {
  let depth = 0;
  for (let i = at; i < items.length; i++) {
    const name = identifierOf(items[i]!);
    if (name === 'range') depth++;
    if (name === 'end' && --depth === 0) return i;
  }
  return items.length;
}

function identifierOf(item: TemplateItem): string | undefined {
  if (item.kind !== 'action') return undefined;
  const first = item.nodes[0];
  return first?.kind === 'identifier' ? first.name : undefined;
}

function walkList(input: unknown[], nodes: readonly JsonPathNode[]): unknown[] {
  return nodes.reduce((values, node) => walk(values, node), input);
}

function walk(input: unknown[], node: JsonPathNode): unknown[] {
  switch (node.kind) {
    case 'text':
      return [node.text];
    case 'literal':
      return input.map(() => node.value);
    case 'field':
      return node.name === '' ? input : input.flatMap((v) => (isRecord(v) && Object.hasOwn(v, node.name) ? [v[node.name]] : []));
    case 'wildcard':
      return input.flatMap(children);
    case 'recursive':
      return input.flatMap(descendants);
    case 'slice':
      return input.flatMap((v) => slice(v, node));
    case 'union':
      return node.branches.flatMap((b) => walkList(input, b));
    case 'filter':
      return input.flatMap((v) => filter(v, node));
    case 'identifier':
      throw new JsonPathExecError(`unrecognized identifier ${node.name}`);
  }
}

function children(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (isRecord(value))
    return Object.keys(value)
      .sort()
      .map((k) => value[k]);
  return typeof value === 'string' ? [...value] : [];
}

/** The value and everything below it that has children, as `..` walks; strings stop the descent. */
function descendants(value: unknown): unknown[] {
  if (typeof value !== 'object' || value === null) return [];
  const kids = children(value);
  return kids.length === 0 ? [] : [value, ...kids.flatMap(descendants)];
}

function slice(value: unknown, node: Extract<JsonPathNode, { kind: 'slice' }>): unknown[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw new JsonPathExecError(`${goTypeName(value)} is not array or slice`);
  const length = value.length;
  const start = node.start === undefined ? 0 : node.start < 0 ? node.start + length : node.start;
  const end = node.end === undefined ? length : node.end < 0 ? node.end + length : node.end;
  if (start !== end) {
    if (start >= length || start < 0) throw new JsonPathExecError(`array index out of bounds: index ${start}, length ${length}`);
    if (end > length || end < 0) throw new JsonPathExecError(`array index out of bounds: index ${end - 1}, length ${length}`);
    if (start > end) throw new JsonPathExecError(`starting index ${start} is greater than ending index ${end}`);
  }
  const step = node.step ?? 1;
  return value.slice(start, end).filter((_, i) => i % step === 0);
}

function filter(value: unknown, node: Extract<JsonPathNode, { kind: 'filter' }>): unknown[] {
  if (!Array.isArray(value)) throw new JsonPathExecError(`${goTypeName(value)} is not array or slice and cannot be filtered`);
  return value.filter((item) => {
    const lefts = walkList([item], node.left);
    if (node.op === 'exists') return lefts.length > 0;
    const rights = walkList([item], node.right);
    if (lefts.length !== 1 || rights.length !== 1) throw new JsonPathExecError('can only compare one element at a time');
    return compare(lefts[0], node.op, rights[0]);
  });
}

/** As Go's text/template comparisons: numbers with numbers, strings with strings. */
function compare(left: unknown, op: string, right: unknown): boolean {
  if (op === '==') return left === right;
  if (op === '!=') return left !== right;
  const comparable = (typeof left === 'number' && typeof right === 'number') || (typeof left === 'string' && typeof right === 'string');
  if (!comparable) throw new JsonPathExecError('incompatible types for comparison');
  const [l, r] = [left as number | string, right as number | string];
  switch (op) {
    case '<':
      return l < r;
    case '>':
      return l > r;
    case '<=':
      return l <= r;
    case '>=':
      return l >= r;
    default:
      throw new JsonPathExecError(`unrecognized filter operator ${op}`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The Go type kubectl's engine names in its errors, for the JSON-decoded value. */
function goTypeName(value: unknown): string {
  if (isRecord(value)) return 'map[string]interface {}';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int64' : 'float64';
  return typeof value === 'boolean' ? 'bool' : 'string';
}
