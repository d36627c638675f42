import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HttpRequest } from '../../src/datapath/packet.ts';
import { applyRequestFilters, applyResponseFilters } from '../../src/gatewayapi/httpFilters.ts';
import { comparePrecedence, requestMatches, type RouteMatch, type Routed, selectRoute } from '../../src/gatewayapi/routeMatch.ts';

const req = (path: string, extra: Partial<HttpRequest> = {}): HttpRequest => ({
  method: 'GET',
  path,
  host: 'shop.example.com',
  headers: [],
  body: '',
  scheme: 'http',
  ...extra,
});

interface RouteSpec {
  readonly name: string;
  readonly path?: RouteMatch['path'];
  readonly headers?: RouteMatch['headers'];
  readonly queryParams?: RouteMatch['queryParams'];
  readonly method?: string | undefined;
  readonly hostnames?: readonly string[];
  readonly createdAt?: string;
  readonly key?: string;
  readonly rule?: number;
}

function routed(r: RouteSpec): Routed<string> {
  return {
    hostnames: r.hostnames ?? [],
    match: {
      path: r.path ?? { type: 'PathPrefix', value: '/' },
      headers: r.headers ?? [],
      queryParams: r.queryParams ?? [],
      ...(r.method === undefined ? {} : { method: r.method }),
    },
    origin: { createdAt: r.createdAt ?? '2024-07-04T17:58:00Z', key: r.key ?? 'default/route', rule: r.rule ?? 0, match: 0 },
    to: r.name,
  };
}

const exact = (value: string) => ({ type: 'Exact', value }) as const;
const prefix = (value: string) => ({ type: 'PathPrefix', value }) as const;
const header = (name: string, value: string) => ({ type: 'Exact', name, value }) as const;

// Each case: the routes on one listener, a request, the route the Gateway API says it takes
// (HTTPRouteRule precedence, gateway-api v1.1.0 apis/v1/httproute_types.go), or none (404).
const CASES: readonly [string, readonly RouteSpec[], HttpRequest, string | undefined][] = [
  [
    'an Exact path over a PathPrefix of the same value',
    [
      { name: 'prefix', path: prefix('/foo') },
      { name: 'exact', path: exact('/foo') },
    ],
    req('/foo'),
    'exact',
  ],
  [
    'the longest PathPrefix',
    [
      { name: 'short', path: prefix('/foo') },
      { name: 'long', path: prefix('/foo/bar') },
    ],
    req('/foo/bar/baz'),
    'long',
  ],
  ['PathPrefix matches whole segments only', [{ name: 'foo', path: prefix('/foo') }], req('/foobar'), undefined],
  ['a PathPrefix with a trailing slash matches the path without it', [{ name: 'foo', path: prefix('/foo/') }], req('/foo'), 'foo'],
  [
    'a method match over none',
    [
      { name: 'any', path: prefix('/') },
      { name: 'get', path: prefix('/'), method: 'GET' },
    ],
    req('/x'),
    'get',
  ],
  [
    'the most header matches',
    [
      { name: 'one', headers: [header('env', 'canary')] },
      { name: 'two', headers: [header('env', 'canary'), header('team', 'a')] },
    ],
    req('/', {
      headers: [
        ['Env', 'canary'],
        ['team', 'a'],
      ],
    }),
    'two',
  ],
  [
    'the most query parameter matches',
    [
      { name: 'none', path: prefix('/') },
      { name: 'q', queryParams: [{ type: 'Exact', name: 'v', value: '2' }] },
    ],
    req('/?v=2'),
    'q',
  ],
  [
    'the oldest route on a tie',
    [
      { name: 'new', key: 'default/a', createdAt: '2024-07-04T18:00:00Z' },
      { name: 'old', key: 'default/b', createdAt: '2024-07-04T17:00:00Z' },
    ],
    req('/'),
    'old',
  ],
  [
    'then the first by namespace/name',
    [
      { name: 'b', key: 'default/b' },
      { name: 'a', key: 'default/a' },
    ],
    req('/'),
    'a',
  ],
  [
    'then the first rule in list order',
    [
      { name: 'second', rule: 1 },
      { name: 'first', rule: 0 },
    ],
    req('/'),
    'first',
  ],
  [
    'the most specific hostname before any path precedence',
    [
      { name: 'wild', hostnames: ['*.example.com'], path: exact('/cart') },
      { name: 'exact-host', hostnames: ['shop.example.com'], path: prefix('/') },
    ],
    req('/cart'),
    'exact-host',
  ],
  [
    'a wildcard hostname does not match its own suffix',
    [{ name: 'wild', hostnames: ['*.example.com'] }],
    req('/', { host: 'example.com' }),
    undefined,
  ],
  [
    'a request for another host finds no route',
    [{ name: 'shop', hostnames: ['shop.example.com'] }],
    req('/', { host: 'other.example.com' }),
    undefined,
  ],
  [
    'a regular expression matches the whole path',
    [{ name: 're', path: { type: 'RegularExpression', value: '/items/[0-9]+' } }],
    req('/items/12/x'),
    undefined,
  ],
  ['a method that differs does not match', [{ name: 'post', method: 'POST' }], req('/'), undefined],
];

describe('HTTPRoute matching and precedence', () => {
  it.each(CASES)('%s', (_, routes, request, expected) => {
    expect(selectRoute(routes.map(routed), request)?.to).toBe(expected);
  });

  it('always takes a matching route that no other matching route precedes', () => {
    const arbRoute = fc.record({
      name: fc.string(),
      path: fc.oneof(
        fc.constantFrom('/', '/a', '/a/b', '/b').map((v) => prefix(v)),
        fc.constantFrom('/a', '/a/b').map((v) => exact(v)),
      ),
      headers: fc.subarray([header('x', '1'), header('y', '2')]),
      method: fc.option(fc.constantFrom('GET', 'POST'), { nil: undefined }),
      key: fc.constantFrom('default/a', 'default/b'),
      rule: fc.nat(3),
    });
    const arbReq = fc.record({
      path: fc.constantFrom('/', '/a', '/a/b', '/a/b/c', '/b'),
      method: fc.constantFrom('GET', 'POST'),
      headers: fc.subarray([['x', '1'] as const, ['y', '2'] as const]),
    });
    fc.assert(
      fc.property(fc.array(arbRoute, { maxLength: 6 }), arbReq, (specs, r) => {
        const routes = specs.map((s) => routed(s));
        const request = req(r.path, { method: r.method, headers: r.headers });
        const chosen = selectRoute(routes, request);
        const matching = routes.filter((x) => requestMatches(x.match, request));
        if (chosen === undefined) return matching.length === 0;
        return requestMatches(chosen.match, request) && matching.every((m) => comparePrecedence(chosen, m) <= 0);
      }),
    );
  });
});

describe('HTTPRoute filters', () => {
  it('modifies request headers: set replaces, add appends, remove deletes, names without case', () => {
    const out = applyRequestFilters(
      [
        {
          type: 'RequestHeaderModifier',
          requestHeaderModifier: { set: [{ name: 'X-Env', value: 'prod' }], add: [{ name: 'x-a', value: '2' }], remove: ['x-drop'] },
        },
      ],
      req('/', {
        headers: [
          ['x-env', 'dev'],
          ['X-Drop', '1'],
          ['x-a', '1'],
        ],
      }),
      prefix('/'),
    );
    expect(out.kind === 'forward' && out.request.headers).toEqual([
      ['x-a', '1'],
      ['X-Env', 'prod'],
      ['x-a', '2'],
    ]);
  });

  it('rewrites the matched prefix or the whole path, and the host', () => {
    const rewrite = (
      path: { type: 'ReplacePrefixMatch' | 'ReplaceFullPath'; replacePrefixMatch?: string; replaceFullPath?: string },
      p: string,
    ) => {
      const out = applyRequestFilters([{ type: 'URLRewrite', urlRewrite: { hostname: 'internal', path } }], req(p), prefix('/shop'));
      return out.kind === 'forward' ? `${out.request.host}${out.request.path}` : 'redirect';
    };
    expect(rewrite({ type: 'ReplacePrefixMatch', replacePrefixMatch: '/' }, '/shop/cart?x=1')).toBe('internal/cart?x=1');
    expect(rewrite({ type: 'ReplacePrefixMatch', replacePrefixMatch: '/v2' }, '/shop/cart')).toBe('internal/v2/cart');
    expect(rewrite({ type: 'ReplacePrefixMatch', replacePrefixMatch: '/v2' }, '/shop')).toBe('internal/v2');
    expect(rewrite({ type: 'ReplaceFullPath', replaceFullPath: '/index' }, '/shop/cart')).toBe('internal/index');
  });

  it('redirects with 302 by default, to the scheme’s own port when the scheme changes', () => {
    const out = applyRequestFilters(
      [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https' } }],
      req('/cart', { host: 'shop.example.com:8080' }),
      prefix('/'),
    );
    expect(out.kind === 'redirect' && [out.response.status, out.response.headers[0]]).toEqual([
      302,
      ['location', 'https://shop.example.com/cart'],
    ]);
  });

  it('modifies response headers', () => {
    const res = applyResponseFilters(
      [{ type: 'ResponseHeaderModifier', responseHeaderModifier: { add: [{ name: 'x-served-by', value: 'gw' }] } }],
      {
        status: 200,
        statusText: 'OK',
        headers: [],
        body: '',
      },
    );
    expect(res.headers).toEqual([['x-served-by', 'gw']]);
  });
});

describe('route regular expressions (Envoy safe_regex, RE2)', () => {
  it("matches in linear time with RE2's syntax: nested quantifiers on a long path end at once", () => {
    const nested: RouteMatch = { path: { type: 'RegularExpression', value: '/(a+)+$' }, headers: [], queryParams: [] };
    expect(requestMatches(nested, req(`/${'a'.repeat(5000)}!`))).toBe(false);
    expect(requestMatches(nested, req('/aaa'))).toBe(true);
    const classes: RouteMatch = { path: { type: 'RegularExpression', value: '/[[:alpha:]]+' }, headers: [], queryParams: [] };
    expect(requestMatches(classes, req('/Shop'))).toBe(true);
    expect(requestMatches(classes, req('/shop1'))).toBe(false);
    const header: RouteMatch = {
      path: { type: 'PathPrefix', value: '/' },
      headers: [{ type: 'RegularExpression', name: 'x-v', value: '(?i)canary' }],
      queryParams: [],
    };
    expect(requestMatches(header, req('/', { headers: [['X-V', 'CANARY']] }))).toBe(true);
  });
});
