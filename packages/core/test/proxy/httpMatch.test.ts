import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HttpRequest } from '../../src/datapath/packet.ts';
import type { HttpRule } from '../../src/policy/types.ts';
import { httpAllowed, httpRuleMatches } from '../../src/proxy/httpMatch.ts';

function request(method: string, path: string, headers: [string, string][] = [], host = 'my-service'): HttpRequest {
  return { method, path, host, headers, body: '', scheme: 'http' };
}

describe('HTTP rule matching (Envoy safe_regex on :method, :path, :authority)', () => {
  it('anchors every regex at both ends, so a path rule is the whole path', () => {
    expect(httpRuleMatches({ path: '/v1/' }, request('GET', '/v1/'))).toBe(true);
    expect(httpRuleMatches({ path: '/v1/' }, request('GET', '/v1/x'))).toBe(false);
    expect(httpRuleMatches({ path: '/v1/.*' }, request('GET', '/v1/x/y'))).toBe(true);
    expect(httpRuleMatches({ path: '/path1$' }, request('GET', '/path1'))).toBe(true);
    expect(httpRuleMatches({ method: 'GET' }, request('GETX', '/'))).toBe(false);
  });

  it('matches a header sent twice as its values joined by commas, so an extra value never passes an exact rule', () => {
    const rule: HttpRule = { headers: [{ name: 'X-Token', value: 'secret' }] };
    const twice = (a: string, b: string) =>
      request('GET', '/', [
        ['X-Token', a],
        ['x-token', b],
      ]);
    expect(httpRuleMatches(rule, request('GET', '/', [['x-token', 'secret']]))).toBe(true);
    expect(httpRuleMatches(rule, twice('secret', 'other'))).toBe(false);
    expect(httpRuleMatches(rule, twice('other', 'secret'))).toBe(false);
    expect(httpRuleMatches({ headers: [{ name: 'X-Token', value: 'a,b' }] }, twice('a', 'b'))).toBe(true);
    expect(httpRuleMatches({ headers: [{ name: 'X-Token' }] }, twice('a', 'b'))).toBe(true);
  });

  it('matches the path with its query string, as Envoy sees :path', () => {
    expect(httpRuleMatches({ path: '/v1/request-landing' }, request('POST', '/v1/request-landing?fast=1'))).toBe(false);
    expect(httpRuleMatches({ path: '/v1/request-landing(\\?.*)?' }, request('POST', '/v1/request-landing?fast=1'))).toBe(true);
  });

  it("reads rules with RE2's syntax and matches them in linear time, as Envoy's safe_regex", () => {
    expect(httpRuleMatches({ path: '(?i)/V1/.*' }, request('GET', '/v1/x'))).toBe(true);
    expect(httpRuleMatches({ path: '/users/(?P<id>[[:digit:]]+)' }, request('GET', '/users/42'))).toBe(true);
    expect(httpRuleMatches({ path: '/\\p{L}+' }, request('GET', '/héllo'))).toBe(true);
    expect(httpRuleMatches({ path: '/(a+)+' }, request('GET', `/${'a'.repeat(40_000)}!`))).toBe(false);
  });

  it('takes alternation and classes in method and host', () => {
    expect(httpRuleMatches({ method: 'GET|HEAD' }, request('HEAD', '/'))).toBe(true);
    expect(httpRuleMatches({ host: 'api\\.example\\.com' }, request('GET', '/', [], 'api.example.com'))).toBe(true);
    expect(httpRuleMatches({ host: 'api\\.example\\.com' }, request('GET', '/', [], 'api.example.com:8080'))).toBe(false);
  });

  it('requires a header with the exact value, or only its presence, names in any case', () => {
    const rule: HttpRule = { method: 'PUT', path: '/path2$', headers: [{ name: 'X-My-Header', value: 'true' }] };
    expect(httpRuleMatches(rule, request('PUT', '/path2', [['x-my-header', 'true']]))).toBe(true);
    expect(httpRuleMatches(rule, request('PUT', '/path2', [['X-My-Header', 'false']]))).toBe(false);
    expect(httpRuleMatches(rule, request('PUT', '/path2'))).toBe(false);
    expect(httpRuleMatches({ headers: [{ name: 'X-Token' }] }, request('GET', '/', [['X-Token', 'anything']]))).toBe(true);
  });

  it('lets a headerMatches entry with a mismatch action pass, and a secret it cannot read fail', () => {
    expect(httpRuleMatches({ headers: [{ name: 'X-Env', value: 'prod', mismatch: 'LOG' }] }, request('GET', '/'))).toBe(true);
    expect(httpRuleMatches({ headers: [{ name: 'X-Key', secret: { name: 'api-key' } }] }, request('GET', '/', [['X-Key', 'k']]))).toBe(
      false,
    );
  });

  it('allows everything with an empty rule and nothing with no rules', () => {
    expect(httpAllowed([{}], request('DELETE', '/anything'))).toBe(true);
    expect(httpAllowed([], request('GET', '/'))).toBe(false);
  });

  // An independent oracle over a small vocabulary: literal methods and paths, one prefix form.
  const METHODS = ['GET', 'PUT', 'POST'] as const;
  const PATHS = ['/a', '/a/x', '/b', '/a?q=1'] as const;
  const ruleArb = fc.record({
    method: fc.constantFrom(undefined, 'GET', 'PUT', 'GET|POST'),
    path: fc.constantFrom(undefined, '/a', '/a/.*', '/b'),
    header: fc.constantFrom(undefined, 'prod'),
  });
  const reqArb = fc.record({
    method: fc.constantFrom(...METHODS),
    path: fc.constantFrom(...PATHS),
    env: fc.constantFrom(undefined, 'prod', 'dev'),
  });
  type R = { method: string | undefined; path: string | undefined; header: string | undefined };
  type Q = { method: string; path: string; env: string | undefined };
  function oracle(r: R, q: Q): boolean {
    const method = r.method === undefined || r.method.split('|').includes(q.method);
    const path = r.path === undefined || (r.path === '/a/.*' ? q.path.startsWith('/a/') : r.path === q.path);
    const header = r.header === undefined || q.env === r.header;
    return method && path && header;
  }
  function toRule(r: R): HttpRule {
    return {
      ...(r.method === undefined ? {} : { method: r.method }),
      ...(r.path === undefined ? {} : { path: r.path }),
      ...(r.header === undefined ? {} : { headers: [{ name: 'X-Env', value: r.header }] }),
    };
  }

  it('passes a request exactly when some rule of the port matches it', () => {
    fc.assert(
      fc.property(fc.array(ruleArb, { maxLength: 4 }), reqArb, (rules, q) => {
        const req = request(q.method, q.path, q.env === undefined ? [] : [['X-Env', q.env]]);
        expect(httpAllowed(rules.map(toRule), req)).toBe(rules.some((r) => oracle(r, q)));
      }),
    );
  });
});
