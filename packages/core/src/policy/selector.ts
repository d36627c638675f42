import { lookupLabel, splitSource, type LabelSet } from '../identity/labels.ts';
import { join, type FieldReader, type RawObject } from './fieldReader.ts';

/**
 * Endpoint selectors (matchLabels + matchExpressions) compiled to requirements over a label
 * set. A key without a source prefix is `any:` and matches a label of any source; `k8s:`,
 * `reserved:` and the other sources match only their own labels.
 */
export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface Requirement {
  readonly source: string;
  readonly key: string;
  readonly operator: SelectorOperator;
  /** Sorted; empty for Exists / DoesNotExist. */
  readonly values: readonly string[];
}

export interface LabelSelector {
  /** Sorted and de-duplicated; empty selects everything. */
  readonly requirements: readonly Requirement[];
  /** Canonical text, e.g. `any:org=empire,k8s:io.kubernetes.pod.namespace=default`. */
  readonly key: string;
}

export const NAMESPACE_KEY = 'io.kubernetes.pod.namespace';
export const NAMESPACE_LABELS_PREFIX = 'io.cilium.k8s.namespace.labels.';
export const CLUSTER_KEY = 'io.cilium.k8s.policy.cluster';

const OPERATORS: readonly SelectorOperator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];
const NAME_RE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;
const DNS_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Builds a selector from requirements, sorting them into canonical order. */
export function makeSelector(requirements: Iterable<Requirement>): LabelSelector {
  const byText = new Map<string, Requirement>();
  for (const r of requirements) {
    const canonical = Object.freeze({ ...r, values: Object.freeze([...new Set(r.values)].sort()) });
    byText.set(formatRequirement(canonical), canonical);
  }
  const sorted = [...byText.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.freeze({ requirements: Object.freeze(sorted.map(([, r]) => r)), key: sorted.map(([t]) => t).join(',') });
}

/** `any:org=empire`, `k8s:env in (a,b)`, `k8s:tier`, `!k8s:tier`. */
export function formatRequirement(r: Requirement): string {
  const k = `${r.source}:${r.key}`;
  switch (r.operator) {
    case 'In':
      return r.values.length === 1 ? `${k}=${r.values[0]}` : `${k} in (${r.values.join(',')})`;
    case 'NotIn':
      return `${k} notin (${r.values.join(',')})`;
    case 'Exists':
      return k;
    case 'DoesNotExist':
      return `!${k}`;
  }
}

/** True when every requirement holds for `labels` (NotIn holds when the key is absent). */
export function selectorMatches(sel: LabelSelector, labels: LabelSet): boolean {
  return sel.requirements.every((r) => requirementHolds(r, labels));
}

export function requirementHolds(r: Requirement, labels: LabelSet): boolean {
  const label = lookupLabel(labels, r.source, r.key);
  switch (r.operator) {
    case 'In':
      return label !== undefined && r.values.includes(label.value);
    case 'NotIn':
      return label === undefined || !r.values.includes(label.value);
    case 'Exists':
      return label !== undefined;
    case 'DoesNotExist':
      return label === undefined;
  }
}

/**
 * Reads `{matchLabels, matchExpressions}`. `defaultSource` is `any` for Cilium selectors and
 * `k8s` for NetworkPolicy selectors; `keyPrefix` turns a namespaceSelector key `team` into
 * `io.cilium.k8s.namespace.labels.team`.
 */
export function readSelector(r: FieldReader, raw: RawObject, path: string, defaultSource: string, keyPrefix = ''): LabelSelector {
  r.knownKeys(raw, path, ['matchLabels', 'matchExpressions']);
  const reqs: Requirement[] = [];
  const labels = r.record(raw['matchLabels'], join(path, 'matchLabels'));
  for (const [k, v] of Object.entries(labels ?? {})) {
    const p = `${join(path, 'matchLabels')}.${k}`;
    const value =
      v === null || v === undefined
        ? ''
        : typeof v === 'string'
          ? v
          : typeof v === 'number' || typeof v === 'boolean'
            ? String(v)
            : undefined;
    if (value === undefined) r.report('INVALID_SELECTOR', p, `label value must be a string, got ${typeof v}`);
    const key = readKey(r, k, p, defaultSource, keyPrefix);
    if (key !== undefined && value !== undefined && checkValue(r, value, p)) reqs.push({ ...key, operator: 'In', values: [value] });
  }
  r.list(raw['matchExpressions'], join(path, 'matchExpressions'), (e, p) => {
    const req = readExpression(r, e, p, defaultSource, keyPrefix);
    if (req !== undefined) reqs.push(req);
    return undefined;
  });
  return makeSelector(reqs);
}

function readExpression(r: FieldReader, e: RawObject, p: string, defaultSource: string, keyPrefix: string): Requirement | undefined {
  r.knownKeys(e, p, ['key', 'operator', 'values']);
  const keyText = r.string(e['key'], join(p, 'key'));
  const op = r.string(e['operator'], join(p, 'operator'));
  const values = r.strings(e['values'], join(p, 'values'));
  if (keyText === undefined) r.report('INVALID_SELECTOR', join(p, 'key'), 'a match expression needs a key');
  const operator = OPERATORS.find((o) => o === op);
  if (operator === undefined) {
    r.report(
      'INVALID_SELECTOR',
      join(p, 'operator'),
      `operator must be one of ${OPERATORS.join(', ')}, got ${op === undefined ? 'nothing' : `"${op}"`}`,
    );
  } else if ((operator === 'In' || operator === 'NotIn') && (values === undefined || values.length === 0)) {
    r.report('INVALID_SELECTOR', join(p, 'values'), `operator ${operator} needs a non-empty list of values`);
  } else if ((operator === 'Exists' || operator === 'DoesNotExist') && values !== undefined && values.length > 0) {
    r.report('INVALID_SELECTOR', join(p, 'values'), `operator ${operator} takes no values; remove "values"`);
  }
  const key = keyText === undefined ? undefined : readKey(r, keyText, join(p, 'key'), defaultSource, keyPrefix);
  const ok = (values ?? []).every((v, i) => checkValue(r, v, `${join(p, 'values')}[${i}]`));
  if (key === undefined || operator === undefined || !ok) return undefined;
  return { ...key, operator, values: operator === 'In' || operator === 'NotIn' ? (values ?? []) : [] };
}

function readKey(
  r: FieldReader,
  text: string,
  path: string,
  defaultSource: string,
  keyPrefix: string,
): { source: string; key: string } | undefined {
  const { source, key } = splitSource(text, defaultSource);
  const full = `${keyPrefix}${key}`;
  // Only Kubernetes-style sources have Kubernetes key syntax; `spiffe:`/`fqdn:` keys do not.
  if (['k8s', 'any', 'unspec', 'reserved'].includes(source) && !validKey(full)) {
    r.report(
      'INVALID_SELECTOR',
      path,
      `invalid label key "${text}": a key is an optional DNS-subdomain prefix and "/", then a name of at most 63 characters (letters, digits, '-', '_', '.'), starting and ending with a letter or digit`,
    );
    return undefined;
  }
  return { source, key: full };
}

function validKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const name = slash === -1 ? key : key.slice(slash + 1);
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  if (name === '' || name.length > 63 || !NAME_RE.test(name)) return false;
  return prefix === undefined || (prefix.length <= 253 && DNS_SUBDOMAIN_RE.test(prefix));
}

function checkValue(r: FieldReader, value: string, path: string): boolean {
  if (value.length <= 63 && NAME_RE.test(value)) return true;
  r.report(
    'INVALID_SELECTOR',
    path,
    `invalid label value "${value}": at most 63 characters, letters, digits, '-', '_' and '.', starting and ending with a letter or digit`,
  );
  return false;
}

/** True when the selector already says which namespace(s) it means (§2.5). */
export function mentionsNamespace(sel: LabelSelector): boolean {
  return sel.requirements.some(
    (r) =>
      (r.key === NAMESPACE_KEY && (r.source === 'k8s' || r.source === 'any')) ||
      r.key.startsWith(NAMESPACE_LABELS_PREFIX) ||
      r.source === 'reserved',
  );
}

/** The selector restricted to one namespace (a CNP's endpointSelector replaces any namespace match). */
export function inNamespace(sel: LabelSelector, namespace: string, replace: boolean): LabelSelector {
  const kept = replace
    ? sel.requirements.filter((r) => !(r.key === NAMESPACE_KEY && (r.source === 'k8s' || r.source === 'any')))
    : sel.requirements;
  return makeSelector([...kept, { source: 'k8s', key: NAMESPACE_KEY, operator: 'In', values: [namespace] }]);
}

/** The selector restricted to pods of any namespace (CCNP peers, NetworkPolicy namespaceSelector). */
export function inAnyNamespace(sel: LabelSelector): LabelSelector {
  return makeSelector([...sel.requirements, { source: 'k8s', key: NAMESPACE_KEY, operator: 'Exists', values: [] }]);
}
