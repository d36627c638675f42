import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Cluster } from '../../src/cluster/cluster.ts';
import type { CurlResult } from '../../src/workload/curl.ts';
import { newCluster, observe, podIp, untimed } from './l7Fixtures.ts';

// Cilium's documented L7 HTTP example (policy language, "HTTP"): GET /path1 and PUT /path2
// with X-My-Header: true, on port 80 of app=myService, from any peer.
const L7_RULE = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: l7-rule }
spec:
  endpointSelector: { matchLabels: { app: myService } }
  ingress:
  - toPorts:
    - ports: [{ port: '80', protocol: TCP }]
      rules:
        http:
        - method: GET
          path: "/path1$"
        - method: PUT
          path: "/path2$"
          headers:
          - 'X-My-Header: true'
`;

function curl(cluster: Cluster, from: string, method: string, path: string, headers: [string, string][] = []): CurlResult {
  return cluster.exec(from).curl({ url: `http://${podIp(cluster, 'my-service')}${path}`, method, headers, connectTimeoutMs: 2000 });
}

function status(r: CurlResult): number | string {
  return r.kind === 'response' ? r.response.status : `exit ${r.code}`;
}

describe('the HTTP proxy (Envoy) on a port with rules.http', () => {
  it('forwards the requests a rule allows and answers the others 403 "Access denied"', () => {
    const cluster = newCluster();
    cluster.apply(L7_RULE);
    expect(status(curl(cluster, 'client', 'GET', '/path1'))).toBe(200);
    expect(status(curl(cluster, 'client', 'PUT', '/path2', [['X-My-Header', 'true']]))).toBe(200);
    const denied = curl(cluster, 'client', 'PUT', '/path2');
    expect(denied.kind === 'response' && denied.response).toEqual({
      status: 403,
      statusText: 'Forbidden',
      headers: [
        ['content-length', '15'],
        ['content-type', 'text/plain'],
        ['server', 'envoy'],
      ],
      body: 'Access denied\r\n',
    });
    expect(status(curl(cluster, 'client', 'GET', '/path1x'))).toBe(403);
    expect(status(curl(cluster, 'client', 'GET', '/path1?debug=1'))).toBe(403);
    expect(status(curl(cluster, 'client', 'PUT', '/path2', [['X-My-Header', 'false']]))).toBe(403);
  });

  it('logs http-request and http-response flows that hubble observe --type l7 prints and filters', () => {
    const cluster = newCluster();
    cluster.apply(L7_RULE);
    curl(cluster, 'client', 'GET', '/path1');
    curl(cluster, 'client', 'PUT', '/path2');
    const ip = podIp(cluster, 'my-service');
    const client = `default/client:\\d+ \\(ID:\\d+\\)`;
    const server = `default/my-service:80 \\(ID:\\d+\\)`;
    const lines = untimed(observe(cluster, '--type', 'l7'));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(new RegExp(`^${client} -> ${server} http-request FORWARDED \\(HTTP/1.1 GET http://${ip}/path1\\)$`));
    expect(lines[1]).toMatch(
      new RegExp(`^${client} <- ${server} http-response FORWARDED \\(HTTP/1.1 200 1ms \\(GET http://${ip}/path1\\)\\)$`),
    );
    expect(lines[2]).toMatch(new RegExp(`^${client} -> ${server} http-request DROPPED \\(HTTP/1.1 PUT http://${ip}/path2\\)$`));
    expect(lines[3]).toMatch(
      new RegExp(`^${client} <- ${server} http-response FORWARDED \\(HTTP/1.1 403 0ms \\(PUT http://${ip}/path2\\)\\)$`),
    );
    expect(observe(cluster, '--type', 'l7', '--http-method', 'PUT')).toHaveLength(2);
    expect(untimed(observe(cluster, '--type', 'l7', '--http-status', '403'))).toEqual([lines[3]]);
    expect(untimed(observe(cluster, '--protocol', 'http', '--http-path', '^/path1$'))).toEqual(lines.slice(0, 2));
    expect(untimed(observe(cluster, '--type', 'l7', '--verdict', 'DROPPED'))).toEqual([lines[2]]);
  });

  it("keeps the L3/L4 verdict FORWARDED for a request it denies: the deny is the proxy's", () => {
    const cluster = newCluster();
    cluster.apply(L7_RULE);
    curl(cluster, 'client', 'DELETE', '/path1');
    expect(observe(cluster, '--type', 'drop')).toEqual([]);
    expect(untimed(observe(cluster, '--type', 'policy-verdict'))[0]).toMatch(/policy-verdict:L4-Only INGRESS ALLOWED \(TCP Flags: SYN\)$/);
  });

  it('combines an L3/L4-only allow for one peer with L7 rules for another on the same port', () => {
    const cluster = newCluster();
    cluster.apply(`apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: mixed }
spec:
  endpointSelector: { matchLabels: { app: myService } }
  ingress:
  - fromEndpoints: [{ matchLabels: { app: client } }]
    toPorts:
    - ports: [{ port: '80', protocol: TCP }]
      rules: { http: [{ method: GET, path: /public }] }
  - fromEndpoints: [{ matchLabels: { app: test-app } }]
    toPorts:
    - ports: [{ port: '80', protocol: TCP }]
`);
    expect(status(curl(cluster, 'client', 'GET', '/public'))).toBe(200);
    expect(status(curl(cluster, 'client', 'GET', '/private'))).toBe(403);
    // The L3/L4-only peer gets an allow-all L7 rule on the port: still proxied, never denied.
    expect(status(curl(cluster, 'mediabot', 'DELETE', '/private'))).toBe(200);
    expect(observe(cluster, '--type', 'l7', '--pod', 'default/mediabot', '--verdict', 'FORWARDED')).toHaveLength(2);
  });

  it('drops a peer the L3 part of the L7 rule does not select before the proxy: a timeout, no 403', () => {
    const cluster = newCluster();
    cluster.apply(`apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: only-client }
spec:
  endpointSelector: { matchLabels: { app: myService } }
  ingress:
  - fromEndpoints: [{ matchLabels: { app: client } }]
    toPorts:
    - ports: [{ port: '80', protocol: TCP }]
      rules: { http: [{}] }
`);
    expect(status(curl(cluster, 'client', 'PATCH', '/x'))).toBe(200);
    expect(status(curl(cluster, 'mediabot', 'GET', '/x'))).toBe('exit 28');
    expect(observe(cluster, '--type', 'l7', '--from-pod', 'default/mediabot')).toEqual([]);
  });

  it("enforces egress HTTP rules on the client's node as well", () => {
    const cluster = newCluster();
    cluster.apply(`apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: egress-http }
spec:
  endpointSelector: { matchLabels: { app: client } }
  egress:
  - toEndpoints: [{ matchLabels: { app: myService } }]
    toPorts:
    - ports: [{ port: '80' }]
      rules: { http: [{ method: GET }] }
`);
    expect(status(curl(cluster, 'client', 'GET', '/'))).toBe(200);
    expect(status(curl(cluster, 'client', 'POST', '/'))).toBe(403);
    const egress = untimed(observe(cluster, '--type', 'l7', '--traffic-direction', 'egress'));
    expect(egress.map((l) => / (http-\w+ \w+) /.exec(l)?.[1])).toEqual([
      'http-request FORWARDED',
      'http-response FORWARDED',
      'http-request DROPPED',
      'http-response FORWARDED',
    ]);
  });

  // The property runs on one cluster, re-applying the policy each run (a policy update), so a
  // run costs a few requests rather than a cluster.
  it('forwards a request only if some rule on its port matches it (property)', () => {
    const cluster = newCluster();
    const ruleArb = fc.record({ method: fc.constantFrom('GET', 'PUT', 'POST', '.*'), path: fc.constantFrom('/a', '/a/.*', '/b') });
    const reqArb = fc.record({ method: fc.constantFrom('GET', 'PUT', 'POST'), path: fc.constantFrom('/a', '/a/x', '/b', '/c') });
    fc.assert(
      fc.property(fc.array(ruleArb, { minLength: 1, maxLength: 3 }), fc.array(reqArb, { minLength: 1, maxLength: 3 }), (rules, reqs) => {
        cluster.apply(
          L7_RULE.replace(
            /http:\n[\s\S]*$/,
            `http:\n${rules.map((r) => `        - { method: "${r.method}", path: "${r.path}" }\n`).join('')}`,
          ),
        );
        for (const q of reqs) {
          const expected = rules.some(
            (r) => (r.method === '.*' || r.method === q.method) && (r.path === '/a/.*' ? q.path.startsWith('/a/') : r.path === q.path),
          );
          expect(status(curl(cluster, 'client', q.method, q.path))).toBe(expected ? 200 : 403);
        }
      }),
      { numRuns: 25 },
    );
  });
});
