import type { HttpRequest } from '../datapath/packet.ts';
import type { HttpRule } from '../policy/types.ts';

const compiled = new Map<string, RegExp>();

/** Envoy matches method, path and host as RE2 regexes against the whole value. */
function fullMatch(source: string, value: string): boolean {
  let re = compiled.get(source);
  if (re === undefined) {
    re = new RegExp(`^(?:${source})$`);
    compiled.set(source, re);
  }
  return re.test(value);
}

/** True when every field of `rule` matches `req` (an empty rule matches every request). */
export function httpRuleMatches(rule: HttpRule, req: HttpRequest): boolean {
  if (rule.method !== undefined && !fullMatch(rule.method, req.method)) return false;
  // The path rule sees the path without the query string, as the labs' `/v1/request-landing` expects.
  if (rule.path !== undefined && !fullMatch(rule.path, req.path.split('?')[0]!)) return false;
  if (rule.host !== undefined && !fullMatch(rule.host, req.host)) return false;
  for (const h of rule.headers ?? []) {
    const found = req.headers.find(([k]) => k.toLowerCase() === h.name.toLowerCase());
    if (found === undefined) return false;
    if (h.value !== undefined && found[1] !== h.value) return false;
  }
  return true;
}

/** Rules of one port OR together: the request passes when any rule matches it. */
export function httpAllowed(rules: readonly HttpRule[], req: HttpRequest): boolean {
  return rules.some((r) => httpRuleMatches(r, req));
}
