import { removeDotSegments } from '../uriPath.ts';

/**
 * The `:path` as the filters of Cilium's Envoy see it. Cilium builds Envoy with path
 * normalization on by default (RFC 3986, Chromium's URL canonicaliser), so an HTTP rule is
 * matched against the path after:
 * - percent-escapes of unreserved characters are decoded (`%2e` is `.`, `%41` is `A`);
 * - `\` is read as `/`, as the canonicaliser reads it;
 * - `.` and `..` segments are removed (never above the root).
 * The query string is left as it is. Without this, `/public/%2e%2e/admin` would pass a rule
 * written for `/public/.*` while the server reads `/admin`.
 *
 * @example normalizedPath('/public/%2e%2E/admin?x=1') === '/admin?x=1'
 */
export function normalizedPath(path: string): string {
  const q = path.indexOf('?');
  const head = q < 0 ? path : path.slice(0, q);
  // Most paths have nothing to normalize: keep them (and the per-request cost) as they are.
  if (!head.startsWith('/') || !/%|\\|\/\.\.?(\/|$)/.test(head)) return path;
  const decoded = head.replace(/%([0-9A-Fa-f]{2})/g, (encoded, hex: string) => {
    const c = String.fromCharCode(Number.parseInt(hex, 16));
    return /[A-Za-z0-9\-._~]/.test(c) ? c : encoded;
  });
  return `${removeDotSegments(decoded.replaceAll('\\', '/'))}${q < 0 ? '' : path.slice(q)}`;
}
