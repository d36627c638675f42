import { compileRe2 } from '../re2.ts';
import type { HttpRequest } from '../datapath/packet.ts';
import type { HeaderMatch, HttpRule } from '../policy/types.ts';
import { normalizedPath } from './envoyPath.ts';

/**
 * Envoy matches `method`, `path` and `host` as RE2 `safe_regex` against the whole header value
 * (`:method`, `:path`, `:authority`), so every rule is implicitly anchored at both ends: the
 * docs' `/v1/` does not allow `/v1/x`; `/v1/.*` does.
 */
function fullMatch(source: string, value: string): boolean {
  const re = compileRe2(source);
  // Admission refuses what RE2 does not compile; a rule that slipped through matches nothing (fail closed).
  return typeof re !== 'string' && re.fullMatch(value);
}

/**
 * One header requirement. Cases, as Cilium's Envoy filter applies them:
 * - `mismatch` set (LOG, ADD, DELETE, REPLACE): a mismatch is acted on (logged, the header fixed
 *   up), never denied, so the requirement always holds;
 * - a value from a Kubernetes secret: the sandbox has no secret store, so it cannot match;
 * - a value: the header is present with exactly that value (names compare case-insensitively;
 *   a header sent more than once is its values joined by commas, as Envoy sees it);
 * - no value: the header is present.
 */
function headerHolds(h: HeaderMatch, req: HttpRequest): boolean {
  if (h.mismatch !== undefined) return true;
  if (h.secret !== undefined && h.value === undefined) return false;
  const name = h.name.toLowerCase();
  const values = req.headers.filter(([k]) => k.toLowerCase() === name).map(([, v]) => v);
  if (values.length === 0) return false;
  // Envoy matches a header sent several times as its values joined by commas, so a second
  // `X-Token` beside the allowed one does not pass (HeaderUtility::getAllOfHeaderAsString).
  return h.value === undefined || values.join(',') === h.value;
}

/**
 * True when every field of `rule` matches `req`; an empty rule matches every request. The path
 * rule sees `:path` as Envoy does: normalized (`normalizedPath`), query string included.
 *
 * @example httpRuleMatches({ method: 'GET', path: '/path1$' }, getPath1) === true
 */
export function httpRuleMatches(rule: HttpRule, req: HttpRequest, path = normalizedPath(req.path)): boolean {
  if (rule.method !== undefined && !fullMatch(rule.method, req.method)) return false;
  if (rule.path !== undefined && !fullMatch(rule.path, path)) return false;
  if (rule.host !== undefined && !fullMatch(rule.host, req.host)) return false;
  for (const h of rule.headers ?? []) if (!headerHolds(h, req)) return false;
  return true;
}

/** Rules of one port OR together: the request passes when any rule matches it. */
export function httpAllowed(rules: readonly HttpRule[], req: HttpRequest): boolean {
  const path = normalizedPath(req.path);
  return rules.some((r) => httpRuleMatches(r, req, path));
}
