import type { HttpRequest } from '../datapath/packet.ts';
import { compileRe2 } from '../re2.ts';

/** One path condition, as Envoy's route match holds it (Gateway API and Ingress alike). */
export interface PathMatch {
  readonly type: 'Exact' | 'PathPrefix' | 'RegularExpression';
  readonly value: string;
}

export interface ValueMatch {
  readonly type: 'Exact' | 'RegularExpression';
  readonly name: string;
  readonly value: string;
}

/** One HTTPRouteMatch: every condition must hold. */
export interface RouteMatch {
  readonly path: PathMatch;
  readonly headers: readonly ValueMatch[];
  readonly queryParams: readonly ValueMatch[];
  readonly method?: string;
}

/** Where a route came from, for the Gateway API's tie-breaks across routes. */
export interface RouteOrigin {
  /** RFC 3339 creation time of the HTTPRoute or Ingress: the oldest wins a tie. */
  readonly createdAt: string;
  /** `namespace/name`: alphabetical order breaks the remaining ties. */
  readonly key: string;
  /** Rule index, then match index, inside the route: the first in list order wins. */
  readonly rule: number;
  readonly match: number;
}

/** A match with whatever it leads to, and where it came from. */
export interface Routed<T> {
  readonly hostnames: readonly string[];
  readonly match: RouteMatch;
  readonly origin: RouteOrigin;
  readonly to: T;
}

/**
 * Does a request's host match a route's hostnames? None means any host; `*.example.com` matches
 * one or more labels in front of `example.com`, never `example.com` itself. Returns how specific
 * the best match is (the Gateway API prefers the longest non-wildcard, then the longest wildcard
 * hostname), or -1 when no hostname matches.
 */
export function hostnameScore(hostnames: readonly string[], host: string): number {
  if (hostnames.length === 0) return 0;
  const name = host.replace(/:\d+$/, '').toLowerCase();
  let best = -1;
  for (const h of hostnames) {
    if (h.startsWith('*.')) {
      if (name.endsWith(h.slice(1)) && name.length > h.length - 1) best = Math.max(best, h.length);
    } else if (h === name) best = Math.max(best, 1000 + h.length);
  }
  return best;
}

/** PathPrefix matches whole segments: `/foo` matches `/foo`, `/foo/` and `/foo/bar`, not `/foobar`. */
function pathMatches(m: PathMatch, path: string): boolean {
  switch (m.type) {
    case 'Exact':
      return path === m.value;
    case 'PathPrefix': {
      const prefix = m.value.endsWith('/') && m.value !== '/' ? m.value.slice(0, -1) : m.value;
      return prefix === '/' || path === prefix || path.startsWith(`${prefix}/`);
    }
    case 'RegularExpression':
      return fullMatch(m.value, path);
  }
}

/**
 * Envoy's safe_regex matches the whole value with RE2, not a substring: linear time, so a
 * route's `(a+)+$` cannot stall the Gateway on a long path, and RE2's syntax (`(?i)`,
 * `[[:alpha:]]`). A pattern RE2 refuses matches nothing.
 */
function fullMatch(pattern: string, text: string): boolean {
  const re = compileRe2(pattern);
  return typeof re !== 'string' && re.fullMatch(text);
}

function valueMatches(m: ValueMatch, value: string | undefined): boolean {
  if (value === undefined) return false;
  return m.type === 'Exact' ? value === m.value : fullMatch(m.value, value);
}

/** Does `request` satisfy every condition of `m`? Header names compare case-insensitively. */
export function requestMatches(m: RouteMatch, request: HttpRequest): boolean {
  const [path = '/', query = ''] = request.path.split('?', 2);
  if (!pathMatches(m.path, path)) return false;
  if (m.method !== undefined && m.method !== request.method) return false;
  for (const h of m.headers) {
    const name = h.name.toLowerCase();
    const value = name === 'host' ? request.host : request.headers.find(([k]) => k.toLowerCase() === name)?.[1];
    if (!valueMatches(h, value)) return false;
  }
  if (m.queryParams.length > 0) {
    const params = new URLSearchParams(query);
    for (const q of m.queryParams) if (!valueMatches(q, params.get(q.name) ?? undefined)) return false;
  }
  return true;
}

/** The path kinds in the order Cilium's Envoy route table tries them: Exact, then regex, then prefixes. */
const PATH_RANK = { Exact: 0, RegularExpression: 1, PathPrefix: 2 } as const;

/**
 * The Gateway API's precedence between matches of all routes on one listener, as the
 * specification orders them: an Exact path, then the longest PathPrefix (regular expressions,
 * implementation-specific, between them as Cilium sorts them), then a method match, the most
 * header matches, the most query parameter matches; across routes the oldest, then the first by
 * `namespace/name`; inside a route the first rule and match in list order.
 */
export function comparePrecedence(a: Routed<unknown>, b: Routed<unknown>): number {
  const pa = a.match.path;
  const pb = b.match.path;
  return (
    PATH_RANK[pa.type] - PATH_RANK[pb.type] ||
    (pa.type === pb.type && pa.type !== 'Exact' ? pb.value.length - pa.value.length : 0) ||
    Number(b.match.method !== undefined) - Number(a.match.method !== undefined) ||
    b.match.headers.length - a.match.headers.length ||
    b.match.queryParams.length - a.match.queryParams.length ||
    compareText(a.origin.createdAt, b.origin.createdAt) ||
    compareText(a.origin.key, b.origin.key) ||
    a.origin.rule - b.origin.rule ||
    a.origin.match - b.origin.match
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The route a request takes on a listener: among the routes whose hostnames match, those of the
 * most specific hostname; among them the first match in precedence order. Undefined when none
 * matches (Envoy answers 404).
 */
export function selectRoute<T>(routes: readonly Routed<T>[], request: HttpRequest): Routed<T> | undefined {
  let bestScore = -1;
  let candidates: Routed<T>[] = [];
  for (const r of routes) {
    const score = hostnameScore(r.hostnames, request.host);
    if (score < 0 || score < bestScore) continue;
    if (score > bestScore) {
      bestScore = score;
      candidates = [];
    }
    candidates.push(r);
  }
  return candidates.sort(comparePrecedence).find((r) => requestMatches(r.match, request));
}
