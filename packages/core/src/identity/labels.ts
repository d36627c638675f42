/**
 * Cilium labels: `source:key=value`. The source says where a label came from (`k8s` for pod and
 * namespace labels, `reserved` for the built-in identities, `cidr`, `fqdn`); `any` in a selector
 * matches a label of any source.
 */
export type LabelSource = 'k8s' | 'reserved' | 'cidr' | 'fqdn' | 'cidrgroup' | 'node' | 'unspec' | 'any' | 'gen' | 'cni' | 'spiffe';

export const LABEL_SOURCES: readonly LabelSource[] = [
  'k8s',
  'reserved',
  'cidr',
  'fqdn',
  'cidrgroup',
  'node',
  'unspec',
  'any',
  'gen',
  'cni',
  'spiffe',
];

export interface Label {
  readonly source: string;
  readonly key: string;
  /** '' when the label has no value, as `reserved:host`. */
  readonly value: string;
}

/** A label set in canonical form: sorted by `source:key`, unique keys. Frozen; share freely. */
export type LabelSet = readonly Label[];

/** `k8s:org=empire`, `reserved:host`. */
export function formatLabel(l: Label): string {
  return l.value === '' ? `${l.source}:${l.key}` : `${l.source}:${l.key}=${l.value}`;
}

/**
 * Parses `source:key=value`, `key=value` or `key` (source `defaultSource`). The source is taken
 * only if it is a known one; `spiffe://x/y` is the `spiffe` source with key `//x/y`, which is how
 * the SPIFFE-label fork spells a SPIFFE ID as a label.
 *
 * @example parseLabel('k8s:app=web') // { source: 'k8s', key: 'app', value: 'web' }
 */
export function parseLabel(text: string, defaultSource = 'unspec'): Label {
  const eq = text.indexOf('=');
  const head = eq === -1 ? text : text.slice(0, eq);
  const value = eq === -1 ? '' : text.slice(eq + 1);
  const { source, key } = splitSource(head, defaultSource);
  return { source, key, value };
}

/** Splits `k8s:app` into source and key; a key without a known source gets `defaultSource`. */
export function splitSource(sourceAndKey: string, defaultSource = 'any'): { source: string; key: string } {
  const colon = sourceAndKey.indexOf(':');
  if (colon > 0) {
    const source = sourceAndKey.slice(0, colon);
    if ((LABEL_SOURCES as readonly string[]).includes(source)) return { source, key: sourceAndKey.slice(colon + 1) };
  }
  return { source: defaultSource, key: sourceAndKey };
}

export function labelSet(labels: Iterable<Label>): LabelSet {
  const byKey = new Map<string, Label>();
  for (const l of labels) byKey.set(`${l.source}:${l.key}`, l);
  return Object.freeze([...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, l]) => Object.freeze(l)));
}

/** Builds a label set from `{ key: value }` with one source, e.g. pod labels as `k8s:`. */
export function labelsFromRecord(record: Readonly<Record<string, string>>, source: string): LabelSet {
  return labelSet(Object.entries(record).map(([key, value]) => ({ source, key, value })));
}

/** The canonical string of a label set, used as the key of identity allocation. */
export function labelSetKey(labels: LabelSet): string {
  // Label sets are frozen and shared (a workload's replicas hold one): each is formatted once.
  let key = formattedKeys.get(labels);
  if (key !== undefined) return key;
  key = labels.map(formatLabel).join(';');
  if (Object.isFrozen(labels)) formattedKeys.set(labels, key);
  return key;
}

const formattedKeys = new WeakMap<LabelSet, string>();

/** Looks a key up as a selector does: source `any` matches a label of any source. */
export function lookupLabel(labels: LabelSet, source: string, key: string): Label | undefined {
  for (const l of labels) {
    if (l.key === key && (source === 'any' || l.source === source)) return l;
  }
  return undefined;
}
