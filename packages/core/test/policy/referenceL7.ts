// The reference evaluator's L7 side: how the L7 rules of several rules on one port combine, and
// whether the combined rules let an HTTP request or a DNS query through. Written from the rule
// semantics (cilium-facts §2.4), not from the engine's merge or the proxy's matchers.
import type { HttpRule, L7Rules } from '../../src/policy/types.ts';

type L7Aspect = 'http' | 'dns' | 'serverNames';
const ASPECTS: readonly L7Aspect[] = ['http', 'dns', 'serverNames'];
const ALLOW_EVERYTHING: { readonly [K in L7Aspect]: NonNullable<L7Rules[K]> } = {
  http: [{}],
  dns: [{ matchPattern: '*' }],
  serverNames: ['*'],
};

/** The L7 aspects that some of `rules` restrict. */
export function restrictedAspects(rules: readonly (L7Rules | undefined)[]): L7Aspect[] {
  return ASPECTS.filter((a) => rules.some((r) => r?.[a] !== undefined));
}

/**
 * A rule on a port where other rules restrict an L7 aspect it leaves open gets that aspect's
 * allow-everything form: its traffic still goes through the proxy, which denies nothing of it.
 */
export function widenL7(rules: L7Rules | undefined, aspects: readonly L7Aspect[]): L7Rules | undefined {
  if (aspects.length === 0) return rules;
  const out: Record<string, unknown> = { ...rules };
  for (const a of aspects) out[a] ??= ALLOW_EVERYTHING[a];
  return out as L7Rules;
}

/** Several rules' L7 for one peer on one port: lists OR together (deduplicated, sorted), TLS and listener the first. */
export function unionL7(parts: readonly (L7Rules | undefined)[]): L7Rules | undefined {
  const given = parts.filter((p) => p !== undefined);
  if (given.length <= 1) return given[0];
  const out: Record<string, unknown> = {};
  for (const a of ASPECTS) {
    const items = given.flatMap((g): readonly unknown[] => g[a] ?? []);
    if (given.some((g) => g[a] !== undefined)) out[a] = distinctSorted(items);
  }
  for (const k of ['terminatingTLS', 'originatingTLS', 'listener'] as const) {
    const [first] = distinctSorted(given.flatMap((g) => (g[k] === undefined ? [] : [g[k]])));
    if (first !== undefined) out[k] = first;
  }
  return out as L7Rules;
}

/** Distinct by JSON text, in the order of that text. */
function distinctSorted<T>(items: readonly T[]): T[] {
  const byText = new Map(items.map((i) => [JSON.stringify(i), i] as const));
  return [...byText.keys()].sort().map((t) => byText.get(t)!);
}

/** The parts of an HTTP request L7 rules look at. */
export interface ReferenceHttpRequest {
  readonly method: string;
  readonly path: string;
  readonly host: string;
  readonly headers: readonly (readonly [string, string])[];
}

/**
 * Whether the L7 rules of a decision let an HTTP request through, computed from the rule
 * semantics (cilium-facts §2.4), not from the proxy's matcher: no HTTP rules, no restriction;
 * otherwise some rule must match with all its fields. `method`, `path` and `host` are regexes
 * over the whole value (Envoy's safe_regex); a header needs a same-named header (names in any
 * case) with exactly the value (a header sent twice has its values joined by commas), or only
 * its presence; a header with a mismatch action never
 * denies; one whose value lives in a secret cannot match in the sandbox.
 */
export function referenceHttpAllows(l7: L7Rules | undefined, req: ReferenceHttpRequest): boolean {
  if (l7?.http === undefined) return true;
  const whole = (re: string | undefined, value: string): boolean => re === undefined || new RegExp(`^(?:${re})$`).test(value);
  const header = (h: NonNullable<HttpRule['headers']>[number]): boolean => {
    if (h.mismatch !== undefined) return true;
    if (h.value === undefined && h.secret !== undefined) return false;
    const sent = req.headers.filter(([k]) => k.toLowerCase() === h.name.toLowerCase());
    // Envoy reads a header sent several times as one value, the values joined by commas.
    return sent.length > 0 && (h.value === undefined || h.value === sent.map(([, v]) => v).join(','));
  };
  return l7.http.some(
    (r) => whole(r.method, req.method) && whole(r.path, req.path) && whole(r.host, req.host) && (r.headers ?? []).every(header),
  );
}

/**
 * Whether the L7 rules of a decision let a DNS query for `name` through: no DNS rules, no
 * restriction; otherwise some `matchName` equals the name or some `matchPattern` matches it,
 * both case-insensitive and ignoring a trailing dot. In a pattern `*` stands for zero or more
 * characters within one label, `*` alone for every name, a leading `**.` for one or more labels
 * (`anyDepth`, Cilium 1.19 and later; before, `**` is two `*` within one label).
 * Matched label by label, character by character, without regexes.
 */
export function referenceDnsAllows(l7: L7Rules | undefined, name: string, anyDepth = true): boolean {
  if (l7?.dns === undefined) return true;
  const norm = (s: string): string => s.toLowerCase().replace(/\.$/, '');
  const n = norm(name);
  return l7.dns.some((r) =>
    r.matchName !== undefined ? norm(r.matchName) === n : r.matchPattern !== undefined && patternMatches(norm(r.matchPattern), n, anyDepth),
  );
}

function patternMatches(pattern: string, name: string, anyDepth: boolean): boolean {
  if (pattern === '*') return name.length > 0;
  const labels = name.split('.');
  if (pattern.startsWith('**.') && anyDepth) {
    const rest = pattern.slice(3).split('.');
    // One or more whole labels first, then the rest label by label.
    return labels.length > rest.length && labels.slice(labels.length - rest.length).every((l, i) => labelMatches(rest[i]!, l));
  }
  const parts = pattern.split('.');
  return parts.length === labels.length && parts.every((p, i) => labelMatches(p, labels[i]!));
}

/** Glob within one label: `*` is any run of characters, every other character itself. */
function labelMatches(p: string, l: string): boolean {
  if (p === '') return l === '';
  if (p[0] === '*') {
    for (let i = 0; i <= l.length; i++) if (labelMatches(p.slice(1), l.slice(i))) return true;
    return false;
  }
  return l !== '' && p[0] === l[0] && labelMatches(p.slice(1), l.slice(1));
}
