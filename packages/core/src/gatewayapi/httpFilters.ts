import type { HttpRequest, HttpResponse } from '../datapath/packet.ts';
import type { HttpRouteFilter } from '../k8s/schemas/httpRoute.ts';
import { httpResponse } from '../workload/serverApp.ts';
import type { PathMatch } from './routeMatch.ts';

type Headers = readonly (readonly [string, string])[];
type HeaderModifier = NonNullable<HttpRouteFilter['requestHeaderModifier']>;
type PathModifier = NonNullable<NonNullable<HttpRouteFilter['urlRewrite']>['path']>;

/** What a route's filters make of a request: the request to send on, or Envoy's own answer. */
export type FilteredRequest =
  | { readonly kind: 'forward'; readonly request: HttpRequest; readonly mirrors: readonly HttpRouteFilter[] }
  | { readonly kind: 'redirect'; readonly response: HttpResponse };

/** Header names compare case-insensitively; `set` replaces, `add` appends, `remove` deletes. */
export function modifyHeaders(headers: Headers, m: HeaderModifier | undefined): Headers {
  if (m === undefined) return headers;
  const drop = new Set([...(m.remove ?? []), ...(m.set ?? []).map((h) => h.name)].map((n) => n.toLowerCase()));
  return [
    ...headers.filter(([k]) => !drop.has(k.toLowerCase())),
    ...(m.set ?? []).map((h) => [h.name, h.value] as const),
    ...(m.add ?? []).map((h) => [h.name, h.value] as const),
  ];
}

/** A path rewritten in full, or with the prefix the route matched replaced (`/old/x` -> `/new/x`). */
function rewritePath(path: string, m: PathModifier, matched: PathMatch): string {
  const [bare = '/', query] = path.split('?', 2);
  let out = bare;
  if (m.type === 'ReplaceFullPath') out = m.replaceFullPath ?? '/';
  else if (matched.type === 'PathPrefix') {
    const prefix = matched.value.endsWith('/') && matched.value !== '/' ? matched.value.slice(0, -1) : matched.value;
    const rest = prefix === '/' ? bare : bare.slice(prefix.length);
    const base = m.replacePrefixMatch ?? '/';
    out =
      base.endsWith('/') && rest.startsWith('/')
        ? base + rest.slice(1)
        : rest === '' || rest.startsWith('/')
          ? base + rest
          : `${base}/${rest}`;
    if (out === '') out = '/';
  }
  return query === undefined ? out : `${out}?${query}`;
}

/**
 * Applies a rule's filters in order, as Envoy's route does: header modifiers and URL rewrites
 * change the request; a redirect answers at once (302 unless the filter says 301), with the
 * Location the Gateway API defines; mirrors are collected for the caller to send.
 */
export function applyRequestFilters(filters: readonly HttpRouteFilter[], request: HttpRequest, matched: PathMatch): FilteredRequest {
  let req = request;
  const mirrors: HttpRouteFilter[] = [];
  for (const f of filters) {
    if (f.type === 'RequestHeaderModifier') req = { ...req, headers: modifyHeaders(req.headers, f.requestHeaderModifier) };
    else if (f.type === 'RequestMirror') mirrors.push(f);
    else if (f.type === 'URLRewrite' && f.urlRewrite !== undefined) {
      const u = f.urlRewrite;
      req = {
        ...req,
        ...(u.hostname === undefined ? {} : { host: u.hostname }),
        ...(u.path === undefined ? {} : { path: rewritePath(req.path, u.path, matched) }),
      };
    } else if (f.type === 'RequestRedirect' && f.requestRedirect !== undefined) {
      return { kind: 'redirect', response: redirect(req, f.requestRedirect, matched) };
    }
  }
  return { kind: 'forward', request: req, mirrors };
}

function redirect(req: HttpRequest, r: NonNullable<HttpRouteFilter['requestRedirect']>, matched: PathMatch): HttpResponse {
  const scheme = r.scheme ?? req.scheme;
  const [hostOnly, portText] = req.host.split(':');
  const host = r.hostname ?? hostOnly ?? '';
  const defaultPort = scheme === 'https' ? 443 : 80;
  // The port is kept only when the scheme is kept; a changed scheme uses its well-known port.
  const port = r.port ?? (r.scheme === undefined && portText !== undefined ? Number(portText) : defaultPort);
  const path = r.path === undefined ? req.path : rewritePath(req.path, r.path, matched);
  const location = `${scheme}://${host}${port === defaultPort ? '' : `:${port}`}${path}`;
  const status = r.statusCode ?? 302;
  const base = httpResponse(status, '');
  return {
    ...base,
    headers: [
      ['location', location],
      ['server', 'envoy'],
      ['content-length', '0'],
    ],
  };
}

/** The response as the client gets it: the route's ResponseHeaderModifier filters applied. */
export function applyResponseFilters(filters: readonly HttpRouteFilter[], response: HttpResponse): HttpResponse {
  let res = response;
  for (const f of filters)
    if (f.type === 'ResponseHeaderModifier') res = { ...res, headers: modifyHeaders(res.headers, f.responseHeaderModifier) };
  return res;
}
