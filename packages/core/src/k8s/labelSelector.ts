import { lookupLabel, splitSource, type LabelSet } from '../identity/labels.ts';
import { DEFAULT_CILIUM_VERSION, parseCiliumVersion } from '../version/ciliumVersion.ts';
import { FieldReader, join, type RawObject } from './fieldReader.ts';
import { labelKeyProblem, labelValueProblem } from './names.ts';
import type { LabelSelector as LabelSelectorObject } from './builtinObjects.ts';

/**
 * The one label selector: Kubernetes' (apimachinery's labels package, which Cilium vendors),
 * with Cilium's label sources. A requirement names a key with its source (`k8s:app`,
 * `reserved:host`, `any:org`: `any` matches a label of any source); a key written without a
 * source gets the default source of where it is written: `k8s` in Kubernetes objects and
 * kubectl, `any` in Cilium policies and Hubble filters.
 *
 * Everything that selects by labels reads this module: the store (Deployment and Service
 * selectors), policy (CNP, CCNP and NetworkPolicy selectors), Hubble's `--label` filters and
 * kubectl's `-l`. It has one string parser, one reader of the object form
 * (`matchLabels`/`matchExpressions`) and one matcher.
 */
export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Equals' | 'NotEquals';

export interface Requirement {
  readonly source: string;
  readonly key: string;
  /** Equals and NotEquals are how `matchLabels` and `a=b` / `a!=b` spell a one-value In / NotIn. */
  readonly operator: SelectorOperator;
  /** Empty for Exists / DoesNotExist. */
  readonly values: readonly string[];
}

/**
 * A selector in canonical form (apimachinery's labels.Selector; `LabelSelector` of objects.ts is
 * the object form, metav1.LabelSelector): requirements sorted and de-duplicated, Equals/NotEquals as
 * In/NotIn, values sorted. Two selectors selecting alike by construction share a `key`, which
 * is what the policy's selector cache keys its selections by.
 */
export interface Selector {
  /** Canonical; empty selects everything. */
  readonly requirements: readonly Requirement[];
  /** Canonical text, e.g. `any:org=empire,k8s:io.kubernetes.pod.namespace=default`. */
  readonly key: string;
}

/** A Kubernetes object's labels: a plain map, every label of source `k8s`. */
export type LabelMap = Readonly<Record<string, string>>;

/** Builds a selector from requirements, sorting them into canonical order. */
export function makeSelector(requirements: Iterable<Requirement>): Selector {
  const byText = new Map<string, Requirement>();
  for (const r of requirements) {
    const operator = r.operator === 'Equals' ? 'In' : r.operator === 'NotEquals' ? 'NotIn' : r.operator;
    const canonical = Object.freeze({ source: r.source, key: r.key, operator, values: Object.freeze([...new Set(r.values)].sort()) });
    byText.set(formatRequirement(canonical), canonical);
  }
  const sorted = [...byText.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.freeze({ requirements: Object.freeze(sorted.map(([, r]) => r)), key: sorted.map(([t]) => t).join(',') });
}

/** `any:org=empire`, `k8s:env in (a,b)`, `k8s:tier`, `!k8s:tier`. */
export function formatRequirement(r: Requirement): string {
  const k = `${r.source}:${r.key}`;
  switch (r.operator) {
    case 'Equals':
      return `${k}=${r.values[0]}`;
    case 'NotEquals':
      return `${k}!=${r.values[0]}`;
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
export function selectorMatches(sel: Selector, labels: LabelSet | LabelMap): boolean {
  for (const r of sel.requirements) if (!requirementHolds(r, labels)) return false;
  return true;
}

export function requirementHolds(r: Requirement, labels: LabelSet | LabelMap): boolean {
  const value = labelValue(labels, r.source, r.key);
  switch (r.operator) {
    case 'In':
    case 'Equals':
      return value !== undefined && r.values.includes(value);
    case 'NotIn':
    case 'NotEquals':
      return value === undefined || !r.values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
  }
}

/** The value of `source:key` in a label set (`any` takes any source), or in a map of `k8s` labels. */
function labelValue(labels: LabelSet | LabelMap, source: string, key: string): string | undefined {
  if (Array.isArray(labels)) return lookupLabel(labels as LabelSet, source, key)?.value;
  if (source !== 'k8s' && source !== 'any') return undefined;
  const map = labels as LabelMap;
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

/**
 * The string syntax a selector is written in:
 * - `kubernetes`, as kubectl's `-l` reads it: keys are Kubernetes label keys (of source `k8s`,
 *   no source prefix), keys and values are checked as the API server checks labels;
 * - `cilium`, as Hubble's `--label` reads it: a key may carry a Cilium source (`k8s:app=web`,
 *   `reserved:world`), without one it is `any`; keys and values are taken as written.
 */
export type SelectorDialect = 'kubernetes' | 'cilium';

export type ParsedSelector = { readonly requirements: readonly Requirement[] } | { readonly problem: string };

/** Splits on commas outside `( … )`, so `env in (a,b),app` is two requirements. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.trim());
}

const KEY = '([a-zA-Z0-9][-a-zA-Z0-9_./:]*)';
const FORMS: readonly [RegExp, (m: RegExpExecArray) => [string, SelectorOperator, string[]]][] = [
  [new RegExp(`^!\\s*${KEY}$`), (m) => [m[1]!, 'DoesNotExist', []]],
  [new RegExp(`^${KEY}\\s*!=\\s*(\\S*)$`), (m) => [m[1]!, 'NotEquals', [m[2]!]]],
  [new RegExp(`^${KEY}\\s*==?\\s*(\\S*)$`), (m) => [m[1]!, 'Equals', [m[2]!]]],
  [
    new RegExp(`^${KEY}\\s+(in|notin)\\s*\\(([^)]*)\\)$`),
    (m) => [m[1]!, m[2] === 'in' ? 'In' : 'NotIn', m[3]!.split(',').map((v) => v.trim())],
  ],
  [new RegExp(`^${KEY}$`), (m) => [m[1]!, 'Exists', []]],
];

/**
 * Parses `key=value`, `key==value`, `key!=value`, `key`, `!key`, `key in (a,b)`,
 * `key notin (a,b)`, comma-separated and ANDed, into requirements in the order written.
 * A problem is worded for the user, the tool adds where it was written.
 *
 * @example parseLabelSelector('k8s:org=empire,!class', 'cilium')
 */
export function parseLabelSelector(text: string, dialect: SelectorDialect): ParsedSelector {
  if (text.trim() === '') return { problem: 'empty label selector: expected e.g. app=web or reserved:world' };
  const requirements: Requirement[] = [];
  for (const part of splitTopLevel(text)) {
    const req = parseRequirement(part, dialect);
    if (req === undefined) {
      return {
        problem: `invalid label selector "${text}": cannot parse "${part}"; expected key=value, key!=value, key, !key or key in (a,b)`,
      };
    }
    requirements.push(req);
  }
  const problem = dialect === 'kubernetes' ? requirements.map(kubernetesProblem).find((p) => p !== undefined) : undefined;
  return problem === undefined ? { requirements } : { problem: `invalid label selector ${JSON.stringify(text)}: ${problem}` };
}

function parseRequirement(part: string, dialect: SelectorDialect): Requirement | undefined {
  for (const [re, toParts] of FORMS) {
    const m = re.exec(part);
    if (m === null) continue;
    const [sourceKey, operator, values] = toParts(m);
    const { source, key } = dialect === 'cilium' ? splitSource(sourceKey, 'any') : { source: 'k8s', key: sourceKey };
    return { source, key, operator, values };
  }
  return undefined;
}

/** What apimachinery's parser refuses in a requirement: a bad key or value, an empty value set. */
function kubernetesProblem(r: Requirement): string | undefined {
  const problem = labelKeyProblem(r.key) ?? r.values.map((v) => labelValueProblem(v)).find((p) => p !== undefined);
  if (problem !== undefined) return problem;
  if ((r.operator === 'In' || r.operator === 'NotIn') && r.values.every((v) => v === ''))
    return `for 'in', 'notin' operators, values set can't be empty (key ${JSON.stringify(r.key)})`;
  return undefined;
}

/** Where an object-form selector is written: the source of unprefixed keys, and a key prefix. */
export interface SelectorScope {
  /** `k8s` in Kubernetes objects (NetworkPolicy included), `any` in Cilium policies. */
  readonly defaultSource: string;
  /** Prepended to every key: a NetworkPolicy namespaceSelector's `team` means `io.cilium.k8s.namespace.labels.team`. */
  readonly keyPrefix?: string;
}

const OBJECT_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;
const KEY_SOURCES: readonly string[] = ['k8s', 'any', 'unspec', 'reserved'];

/**
 * Reads `{matchLabels, matchExpressions}` into requirements in the order written (matchLabels
 * as Equals), reporting every problem to `r` by field. A key may carry a Cilium source; keys
 * of the Kubernetes-style sources are checked as label keys, values as label values. As every
 * FieldReader reader, it carries on past a problem with the requirement as written (only one
 * without a key or a known operator is left out), so a caller that reads an object validation
 * refused still matches as the object says.
 */
export function readLabelRequirements(r: FieldReader, raw: RawObject, path: string, scope: SelectorScope): Requirement[] {
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
    const key = readKey(r, k, p, scope);
    if (value !== undefined) {
      checkValue(r, value, p);
      reqs.push({ ...key, operator: 'Equals', values: [value] });
    }
  }
  r.list(raw['matchExpressions'], join(path, 'matchExpressions'), (e, p) => {
    const req = readExpression(r, e, p, scope);
    if (req !== undefined) reqs.push(req);
    return undefined;
  });
  return reqs;
}

/** `readLabelRequirements` in canonical form: what policy parsing keeps. */
export function readLabelSelector(r: FieldReader, raw: RawObject, path: string, scope: SelectorScope): Selector {
  return makeSelector(readLabelRequirements(r, raw, path, scope));
}

/** A Kubernetes object's selector reads alike under every Cilium version. */
const SELECTOR_VERSION = parseCiliumVersion(DEFAULT_CILIUM_VERSION);

/**
 * The requirements of a Kubernetes object's selector (a Deployment's, a NetworkPolicy's
 * podSelector), in the order written, keys of source `k8s`. The API server validates selectors
 * in its own words; this reads what the object says.
 */
export function objectSelectorRequirements(selector: LabelSelectorObject): Requirement[] {
  return readLabelRequirements(new FieldReader('LabelSelector', SELECTOR_VERSION), selector as RawObject, '', { defaultSource: 'k8s' });
}

/** A stored Kubernetes object's selector in canonical form, to match with. */
export function objectSelector(selector: LabelSelectorObject): Selector {
  return makeSelector(objectSelectorRequirements(selector));
}

/** A plain `key: value` selector (a Service's `spec.selector`): its pairs as `matchLabels`. */
export function mapSelector(map: LabelMap): Selector {
  return objectSelector({ matchLabels: map });
}

function readExpression(r: FieldReader, e: RawObject, p: string, scope: SelectorScope): Requirement | undefined {
  r.knownKeys(e, p, ['key', 'operator', 'values']);
  const keyText = r.string(e['key'], join(p, 'key'));
  const op = r.string(e['operator'], join(p, 'operator'));
  const values = r.strings(e['values'], join(p, 'values'));
  if (keyText === undefined) r.report('INVALID_SELECTOR', join(p, 'key'), 'a match expression needs a key');
  const operator = OBJECT_OPERATORS.find((o) => o === op);
  if (operator === undefined) {
    r.report(
      'INVALID_SELECTOR',
      join(p, 'operator'),
      `operator must be one of ${OBJECT_OPERATORS.join(', ')}, got ${op === undefined ? 'nothing' : `"${op}"`}`,
    );
  } else if ((operator === 'In' || operator === 'NotIn') && (values === undefined || values.length === 0)) {
    r.report('INVALID_SELECTOR', join(p, 'values'), `operator ${operator} needs a non-empty list of values`);
  } else if ((operator === 'Exists' || operator === 'DoesNotExist') && values !== undefined && values.length > 0) {
    r.report('INVALID_SELECTOR', join(p, 'values'), `operator ${operator} takes no values; remove "values"`);
  }
  const key = keyText === undefined ? undefined : readKey(r, keyText, join(p, 'key'), scope);
  for (const [i, v] of (values ?? []).entries()) checkValue(r, v, `${join(p, 'values')}[${i}]`);
  if (key === undefined || operator === undefined) return undefined;
  return { ...key, operator, values: operator === 'In' || operator === 'NotIn' ? (values ?? []) : [] };
}

function readKey(r: FieldReader, text: string, path: string, scope: SelectorScope): { source: string; key: string } {
  const { source, key } = splitSource(text, scope.defaultSource);
  const full = `${scope.keyPrefix ?? ''}${key}`;
  // Only Kubernetes-style sources have Kubernetes key syntax; `spiffe:`/`fqdn:` keys do not.
  if (KEY_SOURCES.includes(source) && labelKeyProblem(full) !== undefined) {
    r.report(
      'INVALID_SELECTOR',
      path,
      `invalid label key "${text}": a key is an optional DNS-subdomain prefix and "/", then a name of at most 63 characters (letters, digits, '-', '_', '.'), starting and ending with a letter or digit`,
    );
  }
  return { source, key: full };
}

function checkValue(r: FieldReader, value: string, path: string): void {
  if (labelValueProblem(value) === undefined) return;
  r.report(
    'INVALID_SELECTOR',
    path,
    `invalid label value "${value}": at most 63 characters, letters, digits, '-', '_' and '.', starting and ending with a letter or digit`,
  );
}
