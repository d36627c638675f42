import type { L7Rules } from './types.ts';

/**
 * How L7 rules of several rules on one port combine (§2.4). Within one port filter, a rule
 * that does not restrict an L7 aspect other rules restrict gets the allow-all form of it
 * ("empty L7 rules effectively wildcard L7"): traffic still goes through the proxy, but
 * nothing is denied at L7 for that peer.
 */
export type L7Kind = 'http' | 'dns' | 'serverNames';

const ALLOW_ALL: { readonly [K in L7Kind]: NonNullable<L7Rules[K]> } = {
  http: [{}],
  dns: [{ matchPattern: '*' }],
  serverNames: ['*'],
};

/** The L7 aspects any of `rules` restricts. */
export function l7Kinds(rules: Iterable<L7Rules | undefined>): Set<L7Kind> {
  const kinds = new Set<L7Kind>();
  for (const r of rules) {
    if (r === undefined) continue;
    if (r.http !== undefined) kinds.add('http');
    if (r.dns !== undefined) kinds.add('dns');
    if (r.serverNames !== undefined) kinds.add('serverNames');
  }
  return kinds;
}

/** `rules` with allow-all added for every kind of the filter it does not restrict. */
export function normaliseL7(rules: L7Rules | undefined, kinds: ReadonlySet<L7Kind>): L7Rules | undefined {
  if (kinds.size === 0) return rules;
  const out: { -readonly [K in keyof L7Rules]: L7Rules[K] } = { ...rules };
  for (const k of kinds) if (out[k] === undefined) (out as Record<L7Kind, unknown>)[k] = ALLOW_ALL[k];
  return out;
}

/**
 * `rules` with the allow-all entry added to its HTTP and DNS rules, as Cilium (1.18 on) widens
 * the L7 rules of a policy that opts out of default deny (`ensureWildcard`): they still send
 * traffic to the proxy, but deny nothing.
 */
export function withAllowAll(rules: L7Rules): L7Rules {
  const out: { -readonly [K in keyof L7Rules]: L7Rules[K] } = { ...rules };
  if (rules.http !== undefined && rules.http.length > 0) out.http = [...rules.http, ...ALLOW_ALL.http];
  if (rules.dns !== undefined && rules.dns.length > 0) out.dns = [...rules.dns, ...ALLOW_ALL.dns];
  return out;
}

/**
 * The union of several L7 rule sets for one peer on one port: entries OR, so lists are
 * concatenated, de-duplicated and sorted (order-independent, so every path agrees). TLS
 * contexts and listeners take the lexicographically first, for determinism.
 */
export function mergeL7(parts: readonly (L7Rules | undefined)[]): L7Rules | undefined {
  const defined = parts.filter((p): p is L7Rules => p !== undefined);
  if (defined.length === 0) return undefined;
  if (defined.length === 1) return defined[0];
  const out: { -readonly [K in keyof L7Rules]: L7Rules[K] } = {};
  for (const k of ['http', 'dns', 'serverNames'] as const) {
    const lists = defined.map((d) => d[k]).filter((l) => l !== undefined);
    if (lists.length > 0) (out as Record<string, unknown>)[k] = uniqueSorted(lists.flat());
  }
  for (const k of ['terminatingTLS', 'originatingTLS', 'listener'] as const) {
    const first = uniqueSorted(defined.map((d) => d[k]).filter((v) => v !== undefined))[0];
    if (first !== undefined) (out as Record<string, unknown>)[k] = first;
  }
  return out;
}

function uniqueSorted<T>(items: readonly T[]): T[] {
  const byText = new Map<string, T>();
  for (const i of items) byText.set(JSON.stringify(i), i);
  return [...byText.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}
