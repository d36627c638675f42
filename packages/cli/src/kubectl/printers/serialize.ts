import { Document, isScalar, visit } from 'yaml';
import type { KubeObject } from '../objects.ts';
import type { ResourceType } from '../resources.ts';
import { apiVersionOf, kindPrefix } from '../resources.ts';

/**
 * `-o json`, `-o yaml` and `-o name` as kubectl prints them. kubectl decodes objects into
 * generic maps before printing, and Go marshals maps with sorted keys, so every level of the
 * output is in alphabetical key order (which is why `apiVersion` comes before `kind`).
 */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeysDeep(v)]));
  }
  return value;
}

/**
 * The object with apiVersion and kind filled in, as the API server returns it; empty label and
 * annotation maps are left out, as Go's `omitempty` leaves them out.
 */
export function withTypeMeta(type: ResourceType, obj: KubeObject): KubeObject {
  const { labels, annotations, ...meta } = obj.metadata;
  const metadata = {
    ...meta,
    ...(labels === undefined || Object.keys(labels).length === 0 ? {} : { labels }),
    ...(annotations === undefined || Object.keys(annotations).length === 0 ? {} : { annotations }),
  };
  return { ...obj, metadata, apiVersion: obj.apiVersion ?? apiVersionOf(type), kind: obj.kind ?? type.kind };
}

/** kubectl's List wrapper for more than one object (or any selector/list query). */
export function asList(items: readonly KubeObject[]): Record<string, unknown> {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}

/**
 * Go's json.MarshalIndent with 4 spaces, plus the newline kubectl adds. Go escapes <, > and &
 * inside strings (HTML-safe by default), so annotations print as Go prints them.
 */
export function toJson(value: unknown): string {
  const text = JSON.stringify(sortKeysDeep(value), null, 4)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return `${text}\n`;
}

/**
 * sigs.k8s.io/yaml output (go-yaml v2 underneath): sorted keys, sequences not indented under
 * their key, no line folding. Quoting follows go-yaml: a string YAML 1.1 would read as another
 * type (`"16530"`, `"true"`, `"yes"`, a timestamp, `""`) is double-quoted; a string that merely
 * cannot be plain (`'a: b'`) is single-quoted; a multi-line string is a literal block.
 */
export function toYaml(value: unknown): string {
  const doc = new Document(sortKeysDeep(value));
  visit(doc, {
    Scalar(_, node) {
      if (isScalar(node) && typeof node.value === 'string' && resolvesAsNonString(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString({ indentSeq: false, lineWidth: 0, singleQuote: true });
}

/** go-yaml v2's resolve table: YAML 1.1 nulls, booleans, numbers (base 60 too) and timestamps. */
const YAML11_NON_STRING = [
  /^(~|null|Null|NULL|)$/,
  /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^[-+]?(0|[1-9][0-9_]*)$/,
  /^[-+]?0b[01_]+$/,
  /^[-+]?0x[0-9a-fA-F_]+$/,
  /^[-+]?0[0-7_]+$/,
  /^[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/,
  /^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$/,
  /^[-+]?\.(inf|Inf|INF)$/,
  /^\.(nan|NaN|NAN)$/,
  /^\d{4}-\d{1,2}-\d{1,2}([Tt ]|$)/,
];

function resolvesAsNonString(s: string): boolean {
  return YAML11_NON_STRING.some((re) => re.test(s));
}

/** `pod/xwing`, `deployment.apps/deathstar`, `ciliumnetworkpolicy.cilium.io/rule1`. */
export function toName(type: ResourceType, obj: KubeObject): string {
  return `${kindPrefix(type)}/${obj.metadata.name}`;
}
