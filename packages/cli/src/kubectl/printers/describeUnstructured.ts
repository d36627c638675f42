import type { KubeObject } from '../objects.ts';
import { DescribeWriter } from './describeWriter.ts';

/**
 * kubectl's generic describer, which prints custom resources (CiliumNetworkPolicy,
 * CiliumClusterwideNetworkPolicy, ...): Name, Namespace, Labels and Annotations, then every
 * other field of the object in sorted order, keys turned into words (`endpointSelector` ->
 * `Endpoint Selector`), list items one after the other, then the events.
 */
export function describeUnstructured(obj: KubeObject): string {
  const w = new DescribeWriter();
  w.line(0, 'Name:', obj.metadata.name);
  w.line(0, 'Namespace:', obj.metadata.namespace ?? '');
  w.labels('Labels', obj.metadata.labels);
  w.annotations('Annotations', obj.metadata.annotations);
  const skip = new Set(['.metadata.managedFields', '.metadata.name', '.metadata.namespace', '.metadata.labels', '.metadata.annotations']);
  printContent(w, 0, obj as unknown as Record<string, unknown>, '', skip);
  w.events([]);
  return w.text();
}

function printContent(w: DescribeWriter, level: number, content: Record<string, unknown>, prefix: string, skip: ReadonlySet<string>): void {
  for (const field of Object.keys(content).sort()) {
    const value = content[field];
    if (value === undefined) continue;
    const path = `${prefix}.${field}`;
    if (skip.has(path)) continue;
    if (Array.isArray(value)) {
      w.line(level, `${smartLabelFor(field)}:`);
      for (const child of value) {
        if (isMap(child)) printContent(w, level + 1, child, path, skip);
        else w.line(level + 1, goValue(child));
      }
    } else if (isMap(value)) {
      w.line(level, `${smartLabelFor(field)}:`);
      printContent(w, level + 1, value, path, skip);
    } else {
      w.line(level, `${smartLabelFor(field)}:`, goValue(value));
    }
  }
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Go's `%v` of a JSON value: numbers as written, `<nil>` for null. */
function goValue(v: unknown): string {
  return v === null ? '<nil>' : String(v);
}

const ACRONYMS = new Set(['API', 'URL', 'UID', 'OSB', 'GUID']);

/**
 * kubectl's smartLabelFor: a key of letters and `-` only is split where its case changes and
 * each part title-cased (common acronyms upper-cased); any other key is printed as it is.
 */
export function smartLabelFor(field: string): string {
  if (!/^[\p{L}-]+$/u.test(field)) return field;
  return camelcaseSplit(field)
    .filter((part) => part !== '_')
    .map((part) => (ACRONYMS.has(part.toUpperCase()) ? part.toUpperCase() : part.charAt(0).toUpperCase() + part.slice(1).toLowerCase()))
    .join(' ');
}

/**
 * fatih/camelcase's Split: runs of lower-case, upper-case, digits and other characters, with the
 * last capital of an upper-case run moved to the lower-case run after it (`HTTPServer` ->
 * `HTTP`, `Server`).
 */
function camelcaseSplit(text: string): string[] {
  const kind = (ch: string): number => (/\p{Ll}/u.test(ch) ? 1 : /\p{Lu}/u.test(ch) ? 2 : /\p{Nd}/u.test(ch) ? 3 : 4);
  const runs: string[][] = [];
  let last = 0;
  for (const ch of text) {
    const k = kind(ch);
    if (k === last) runs[runs.length - 1]!.push(ch);
    else runs.push([ch]);
    last = k;
  }
  for (let i = 0; i < runs.length - 1; i++) {
    if (kind(runs[i]![0]!) === 2 && kind(runs[i + 1]![0]!) === 1) {
      runs[i + 1]!.unshift(runs[i]!.pop()!);
    }
  }
  return runs.filter((r) => r.length > 0).map((r) => r.join(''));
}
