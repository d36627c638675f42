import { SimError } from '../errors.ts';

/** A registration-entry selector `type:value`, e.g. `k8s:ns:kube-system` (type `k8s`, value `ns:kube-system`). */
export interface Selector {
  readonly type: string;
  readonly value: string;
}

/**
 * A SPIRE registration entry: "workloads matching these selectors, under this parent, get this
 * SPIFFE ID". Plain data, changed only through the server (immer).
 */
export interface RegistrationEntry {
  /** A UUID, from the server's Rng. */
  readonly id: string;
  readonly spiffeId: string;
  /** The agent (or node alias, or other entry) this entry hangs under. */
  readonly parentId: string;
  /** Sorted by type, then value, as SPIRE stores them. */
  readonly selectors: readonly Selector[];
  /** Seconds; 0 means the server default (printed `default`). */
  readonly x509SvidTtl: number;
  readonly jwtSvidTtl: number;
  /** Starts at 0 and grows by one on each update. */
  readonly revision: number;
  readonly admin: boolean;
  readonly downstream: boolean;
  readonly dnsNames: readonly string[];
  /** Unix seconds after which the entry is pruned; 0 = never. */
  readonly expiresAt: number;
}

/** `-matchSelectorsOn`: how a selector filter compares with an entry's selectors. */
export type SelectorMatch = 'superset' | 'exact' | 'any' | 'subset';
export const SELECTOR_MATCHES: readonly SelectorMatch[] = ['exact', 'any', 'superset', 'subset'];

/**
 * Parses `type:value`; everything after the first colon is the value, so `k8s:ns:kube-system`
 * has type `k8s`. A missing colon is SPIRE's `selector "x" must be formatted as type:value`.
 */
export function parseSelector(text: string, field = 'selector'): Selector {
  const colon = text.indexOf(':');
  if (colon < 0) {
    throw new SimError({
      code: 'INVALID_FIELD',
      path: field,
      message: `selector ${JSON.stringify(text)} must be formatted as type:value, e.g. k8s:ns:kube-system or cilium:mutual-auth`,
    });
  }
  return { type: text.slice(0, colon), value: text.slice(colon + 1) };
}

export function formatSelector(s: Selector): string {
  return `${s.type}:${s.value}`;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareSelectors(a: Selector, b: Selector): number {
  return compareStrings(a.type, b.type) || compareStrings(a.value, b.value);
}

/** Sorted, without duplicates. */
export function normalizeSelectors(selectors: readonly Selector[]): Selector[] {
  const sorted = [...selectors].sort(compareSelectors);
  return sorted.filter((s, i) => i === 0 || compareSelectors(s, sorted[i - 1]!) !== 0);
}

function selectorListOrder(a: readonly Selector[], b: readonly Selector[]): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) {
    const c = compareSelectors(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return 0;
}

/**
 * The order `spire-server entry show` prints entries in (SPIRE's `SortTypesEntries`): by SPIFFE
 * ID, then parent ID, then X509 and JWT TTL, then selectors (shorter lists first). Entry IDs do
 * not take part, which is why the Cilium docs list cilium-agent before cilium-operator.
 */
export function compareEntries(a: RegistrationEntry, b: RegistrationEntry): number {
  return (
    compareStrings(a.spiffeId, b.spiffeId) ||
    compareStrings(a.parentId, b.parentId) ||
    a.x509SvidTtl - b.x509SvidTtl ||
    a.jwtSvidTtl - b.jwtSvidTtl ||
    selectorListOrder(a.selectors, b.selectors)
  );
}

/**
 * Whether an entry's selectors match a filter:
 * - superset (the default): the entry has every filter selector (and maybe more);
 * - exact: the same set;
 * - any: at least one in common;
 * - subset: every entry selector is among the filter's.
 */
export function selectorsMatch(entry: readonly Selector[], filter: readonly Selector[], match: SelectorMatch): boolean {
  const has = (list: readonly Selector[], s: Selector) => list.some((x) => compareSelectors(x, s) === 0);
  switch (match) {
    case 'superset':
      return filter.every((s) => has(entry, s));
    case 'exact':
      return filter.every((s) => has(entry, s)) && entry.every((s) => has(filter, s));
    case 'any':
      return filter.some((s) => has(entry, s));
    case 'subset':
      return entry.every((s) => has(filter, s));
  }
}

/** Two entries are "similar" (SPIRE refuses the second) when SPIFFE ID, parent and selector set are equal. */
export function similarEntries(a: Pick<RegistrationEntry, 'spiffeId' | 'parentId' | 'selectors'>, b: typeof a): boolean {
  return a.spiffeId === b.spiffeId && a.parentId === b.parentId && selectorListOrder(a.selectors, b.selectors) === 0;
}
