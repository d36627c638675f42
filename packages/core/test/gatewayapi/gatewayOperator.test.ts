import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/index.ts';

const BACKENDS = `apiVersion: v1
kind: Pod
metadata: { name: v1, labels: { app: v1 } }
spec: { containers: [{ name: c, image: example/echo, ports: [{ containerPort: 8080 }] }] }
---
apiVersion: v1
kind: Pod
metadata: { name: v2, labels: { app: v2 } }
spec: { containers: [{ name: c, image: example/echo, ports: [{ containerPort: 8080 }] }] }
---
apiVersion: v1
kind: Service
metadata: { name: v1 }
spec: { selector: { app: v1 }, ports: [{ port: 80, targetPort: 8080 }] }
---
apiVersion: v1
kind: Service
metadata: { name: v2 }
spec: { selector: { app: v2 }, ports: [{ port: 80, targetPort: 8080 }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: { name: cilium }
spec: { controllerName: io.cilium/gateway-controller }
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: gw }
spec:
  gatewayClassName: cilium
  listeners:
  - { name: http, protocol: HTTP, port: 80 }
  - { name: https, protocol: HTTPS, port: 443, tls: { certificateRefs: [{ name: gw-cert }] } }
`;

function route(rules: string, parent = 'gw'): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: r }
spec:
  parentRefs: [{ name: ${parent} }]
  rules:
${rules}`;
}

function cluster(): Cluster {
  const c = Cluster.create({ seed: 5 });
  c.setConfig('enable-gateway-api', 'true');
  c.apply(BACKENDS);
  return c;
}

type Conditions = { type: string; status: string; reason: string; message: string }[];
const conditionsOf = (c: Cluster, kind: 'HTTPRoute', name: string): Conditions =>
  ((c.get(kind, name, 'default') as { status?: { parents: { conditions: Conditions }[] } }).status?.parents[0]?.conditions ?? []).map(
    ({ type, status, reason, message }) => ({ type, status, reason, message }),
  );

const get = (c: Cluster, path: string, headers: [string, string][] = []) => {
  const r = c.outside().curl({ url: `http://172.18.255.200${path}`, headers });
  return r.kind === 'response' ? `${r.response.status} ${r.response.body}`.trim() : `curl ${r.code}`;
};

describe("Cilium's Gateway API controller", () => {
  it('reports a missing backend and a missing Gateway in the route status, and a missing certificate on the listener', () => {
    const c = cluster();
    c.apply(route('  - backendRefs: [{ name: nope, port: 80 }]'));
    expect(conditionsOf(c, 'HTTPRoute', 'r')).toEqual([
      { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Accepted HTTPRoute' },
      { type: 'ResolvedRefs', status: 'False', reason: 'BackendNotFound', message: 'Service "nope" not found' },
    ]);
    expect(get(c, '/')).toBe('500');

    c.apply(route('  - backendRefs: [{ name: v1, port: 80 }]', 'my-gatewai'));
    expect(conditionsOf(c, 'HTTPRoute', 'r')[0]).toEqual({
      type: 'Accepted',
      status: 'False',
      reason: 'InvalidHTTPRoute',
      message: 'Gateway.gateway.networking.k8s.io "my-gatewai" not found',
    });

    const https = (c.get('Gateway', 'gw', 'default') as { status: { listeners: { name: string; conditions: Conditions }[] } }).status
      .listeners[1]!;
    expect(https.conditions.find((x) => x.type === 'ResolvedRefs')).toMatchObject({ status: 'False', reason: 'InvalidCertificateRef' });
  });

  it('splits traffic by weight, and a weight of 0 takes none', () => {
    const c = cluster();
    c.apply(
      route('  - backendRefs: [{ name: v1, port: 80, weight: 3 }, { name: v2, port: 80, weight: 1 }, { name: v2, port: 80, weight: 0 }]'),
    );
    const seen = { v1: 0, v2: 0 };
    for (let i = 0; i < 200; i++) {
      c.outside().curl('http://172.18.255.200/');
      const last = c.flows({ whitelist: [{ sourceIdentity: [8] }], last: 1 })[0];
      seen[last?.destination?.pod_name as 'v1' | 'v2']++;
    }
    expect(seen.v1 + seen.v2).toBe(200);
    expect(seen.v1 / 200).toBeGreaterThan(0.6);
    expect(seen.v1 / 200).toBeLessThan(0.9);
  });

  it('answers 403 Access denied in Envoy when the ingress identity’s own policy does not admit the client', () => {
    const c = cluster();
    c.apply(route('  - backendRefs: [{ name: v1, port: 80 }]'));
    c.apply(`apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: { name: external-lockdown }
spec:
  endpointSelector: { matchExpressions: [{ key: reserved:ingress, operator: Exists }] }
  ingress: [{ fromEntities: [cluster] }]
`);
    expect(get(c, '/')).toBe('403 Access denied');
    const l7 = c.flows({ whitelist: [{ eventType: [{ type: 129 }] }] });
    expect(l7.map((f) => [f.verdict, f.l7?.type])).toEqual([
      ['DROPPED', 'REQUEST'],
      ['FORWARDED', 'RESPONSE'],
    ]);
  });

  it('mirrors requests to a second backend and answers from the first', () => {
    const c = cluster();
    c.apply(
      route(`  - filters: [{ type: RequestMirror, requestMirror: { backendRef: { name: v2, port: 80 } } }]
    backendRefs: [{ name: v1, port: 80 }]`),
    );
    expect(get(c, '/shadow')).toBe('200 GET /shadow OK');
    c.advance('1s');
    const reached = c.flows({ whitelist: [{ sourceIdentity: [8] }] }).map((f) => f.destination?.pod_name);
    expect(new Set(reached)).toEqual(new Set(['v1', 'v2']));
  });
});
