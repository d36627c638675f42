// Invariant: the L7 proxies enforce exactly the L7 rules the reference evaluator derives from the
// policies. HTTP: the proxy's matcher agrees with the reference matcher on random rules and
// requests, and end to end a curl gets 403 exactly when the reference says the rules of the
// decision (merged across rules, allow-all for a peer whose rule has none) reject it, and when a
// direct reading of the generated rules, which shares no merge code with either, says so. DNS: the
// DNS proxy's matcher agrees with the reference's own glob matcher, and end to end a lookup is
// REFUSED exactly when the reference says the decision's DNS rules reject the name.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/index.ts';
import { parsePolicy } from '../../src/policy/parsePolicy.ts';
import { referenceDnsAllows, referenceHttpAllows, type ReferenceHttpRequest } from '../policy/referenceL7.ts';
import { referenceVerdict } from '../policy/referenceVerdict.ts';
import type { HttpRequest } from '../../src/datapath/packet.ts';
import type { L7Rules } from '../../src/policy/types.ts';
import { dnsQueryAllowed } from '../../src/proxy/dnsProxy.ts';
import { httpAllowed } from '../../src/proxy/httpMatch.ts';
import { manifest } from './arbitraries.ts';
import { httpRuleArb } from './policyKinds.ts';
import { runtimeOf } from '../../src/cluster/cluster.ts';

const requestArb = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'GETX'),
  path: fc.constantFrom('/', '/a', '/a/1', '/b/22', '/bx', '/a?x=1', '/c/3'),
  headers: fc.subarray<[string, string]>([
    ['X-Env', 'prod'],
    ['x-env', 'dev'],
    ['X-Trace', '1'],
    ['x-trace', '2'],
  ]),
});

/** The http rules exactly as the parser reads them from a policy's `rules.http`. */
function parsedHttp(http: readonly Record<string, unknown>[]): L7Rules {
  // A non-empty list: an empty one parses to no L7 rules at all (a plain L4 allow).
  const parsed = parsePolicy({
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata: { name: 'l7', namespace: 'default' },
    spec: { endpointSelector: {}, ingress: [{ toPorts: [{ ports: [{ port: '80' }], rules: { http } }] }] },
  });
  return parsed.rules[0]!.ingress[0]!.portRules![0]!.l7!;
}

const DNS_NAMES = [
  'api.example.com',
  'API.example.com.',
  'example.com',
  'a.b.example.com',
  'cilium.io',
  'www.cilium.io',
  'x-1.cilium.io',
  'sub.api.cilium.io',
] as const;
const dnsRuleArb = fc.oneof(
  fc.constantFrom(...DNS_NAMES).map((n) => ({ matchName: n.replace(/\.$/, '') })),
  fc
    .constantFrom(
      '*',
      '*.example.com',
      '**.example.com',
      '*.cilium.io',
      'x-*.cilium.io',
      '*.api.*.io',
      'api.exa*',
      '**.cilium.io',
      'c*m.io',
    )
    .map((p) => ({ matchPattern: p })),
);

describe('HTTP rule enforcement', () => {
  it('the proxy matcher lets a request through exactly when the reference matcher does', () => {
    fc.assert(
      fc.property(fc.array(httpRuleArb, { minLength: 1, maxLength: 3 }), requestArb, (http, r) => {
        const l7 = parsedHttp(http);
        const req: HttpRequest = { ...r, host: 'server', body: '', scheme: 'http' };
        expect(httpAllowed(l7.http!, req)).toBe(referenceHttpAllows(l7, req));
      }),
      { numRuns: 1000 },
    );
  });

  const SERVER = pod('server', { app: 'server' });
  const CLIENTS = [pod('web', { app: 'web' }), pod('api', { app: 'api' })].join('\n---\n');
  const peer = fc.constantFrom({ matchLabels: { app: 'web' } }, { matchLabels: { app: 'api' } }, {});
  const rule = fc
    .record({ peer, http: fc.option(fc.array(httpRuleArb, { maxLength: 2 }), { nil: undefined, freq: 4 }) })
    .map(({ peer: p, http }) => ({
      fromEndpoints: [p],
      toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }], ...(http === undefined ? {} : { rules: { http } }) }],
    }));
  const egressRule = fc.array(httpRuleArb, { minLength: 1, maxLength: 2 }).map((http) => ({
    toEndpoints: [{ matchLabels: { app: 'server' } }],
    toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }], rules: { http } }],
  }));

  type RawRule = { fromEndpoints?: { matchLabels?: { app?: string } }[]; toPorts: { rules?: { http: Record<string, unknown>[] } }[] };
  /**
   * The answer read off the generated rules, without the policy engine: the server admits the
   * client when some ingress rule's peer does; the request passes a side when some rule admitting
   * the client there has no HTTP rules (or an empty list) or an HTTP rule matching it.
   */
  function directAnswer(from: string, ingress: readonly RawRule[], egress: RawRule | undefined, req: ReferenceHttpRequest): string {
    const passes = (x: RawRule): boolean => {
      const http = x.toPorts[0]?.rules?.http;
      return http === undefined || http.length === 0 || referenceHttpAllows(parsedHttp(http), req);
    };
    const admits = ingress.filter((x) => [undefined, from].includes(x.fromEndpoints?.[0]?.matchLabels?.app));
    if (admits.length === 0) return 'no answer';
    const egressOk = from !== 'web' || egress === undefined || passes(egress);
    return admits.some(passes) && egressOk ? '200' : '403';
  }

  it('answers a curl 403 exactly when the HTTP rules of either side reject it, and 200 otherwise', () => {
    fc.assert(
      fc.property(
        fc.array(rule, { minLength: 1, maxLength: 3 }),
        fc.option(egressRule, { nil: undefined }),
        fc.array(fc.tuple(fc.constantFrom('web', 'api'), requestArb), { minLength: 1, maxLength: 4 }),
        (ingress, egress, curls) => {
          const cluster = Cluster.create({ seed: 8, mutualAuth: false });
          const policies = [
            cnp('server-in', { app: 'server' }, { ingress }),
            ...(egress === undefined ? [] : [cnp('web-out', { app: 'web' }, { egress: [egress, { toEntities: ['all'] }] })]),
          ];
          expect(cluster.apply(manifest([SERVER, CLIENTS, ...policies])).every((r) => r.ok)).toBe(true);
          const server = cluster.inspect.endpoint('default', 'server')!;
          const rules = runtimeOf(cluster).policy.repository.rules();
          for (const [from, r] of curls) {
            const client = cluster.inspect.endpoint('default', from)!;
            const [src, dst] = [
              runtimeOf(cluster).policy.cache.identity(client.identity)!,
              runtimeOf(cluster).policy.cache.identity(server.identity)!,
            ];
            const out = referenceVerdict({ policies: rules, subject: src, remote: dst, direction: 'EGRESS', proto: 6, port: 80 });
            const into = referenceVerdict({ policies: rules, subject: dst, remote: src, direction: 'INGRESS', proto: 6, port: 80 });
            const req = { ...r, host: server.ip };
            const expected =
              !out.allowed || !into.allowed
                ? 'no answer'
                : referenceHttpAllows(out.l7, req) && referenceHttpAllows(into.l7, req)
                  ? '200'
                  : '403';

            const res = cluster
              .exec(`default/${from}`)
              .curl({ url: `http://${server.ip}${r.path}`, method: r.method, headers: r.headers, connectTimeoutMs: 1000 });

            const got = res.kind === 'response' ? String(res.response.status) : 'no answer';
            expect(got, `${from} ${r.method} ${r.path} ${JSON.stringify(r.headers)}`).toBe(expected);
            expect(got, 'the rules read directly').toBe(directAnswer(from, ingress, egress, req));
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('DNS rule enforcement', () => {
  it('the DNS proxy matcher lets a query through exactly when the reference matcher does', () => {
    fc.assert(
      fc.property(fc.array(dnsRuleArb, { maxLength: 3 }), fc.constantFrom(...DNS_NAMES), (dns, name) => {
        expect(dnsQueryAllowed(dns, { kind: 'dns-query', id: 1, name, qtype: 'A' })).toBe(referenceDnsAllows({ dns }, name));
      }),
      { numRuns: 1000 },
    );
  });

  it('reads a leading **. as one label before Cilium 1.19 and as any depth from 1.19', () => {
    fc.assert(
      fc.property(fc.array(dnsRuleArb, { maxLength: 3 }), fc.constantFrom(...DNS_NAMES), fc.boolean(), (dns, name, anyDepth) => {
        expect(dnsQueryAllowed(dns, { kind: 'dns-query', id: 1, name, qtype: 'A' }, anyDepth)).toBe(
          referenceDnsAllows({ dns }, name, anyDepth),
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses a lookup exactly when the DNS rules of the egress decision to kube-dns reject the name, as the version reads them', () => {
    fc.assert(
      fc.property(
        fc.array(dnsRuleArb, { minLength: 1, maxLength: 3 }),
        fc.array(fc.constantFrom(...DNS_NAMES), { minLength: 1, maxLength: 3 }),
        fc.constantFrom('1.16', '1.19'),
        (dns, names, ciliumVersion) => {
          const cluster = Cluster.create({ seed: 10, mutualAuth: false, ciliumVersion });
          const anyDepth = ciliumVersion === '1.19';
          const toDns = {
            toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s:k8s-app': 'kube-dns' } }],
            toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns } }],
          };
          expect(
            cluster.apply(manifest([pod('client', { app: 'web' }), cnp('dns', { app: 'web' }, { egress: [toDns] })])).every((r) => r.ok),
          ).toBe(true);
          const client = runtimeOf(cluster).policy.cache.identity(cluster.inspect.endpoint('default', 'client')!.identity)!;
          const coredns = cluster.inspect.endpoints().find((e) => e.podName.startsWith('coredns'))!;
          const decision = referenceVerdict({
            policies: runtimeOf(cluster).policy.repository.rules(),
            subject: client,
            remote: runtimeOf(cluster).policy.cache.identity(coredns.identity)!,
            direction: 'EGRESS',
            proto: 17,
            port: 53,
          });
          expect(decision.allowed).toBe(true);
          for (const name of names) {
            const fqdn = name.endsWith('.') ? name : `${name}.`;

            const res = cluster.exec('default/client').nslookup(fqdn);

            expect(res.ok ? 'answered' : res.rcode === 'REFUSED' ? 'refused' : 'answered', name).toBe(
              referenceDnsAllows(decision.l7, name, anyDepth) ? 'answered' : 'refused',
            );
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});

function pod(name: string, labels: Record<string, string>): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels },
    spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }] },
  });
}

function cnp(name: string, subject: Record<string, string>, sections: Record<string, unknown>): string {
  return JSON.stringify({
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata: { name, namespace: 'default' },
    spec: { endpointSelector: { matchLabels: subject }, ...sections },
  });
}
