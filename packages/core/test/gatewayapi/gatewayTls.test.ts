import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/index.ts';
import { ADMIN_CERT, ADMIN_KEY, SHOP_CERT, SHOP_KEY, tlsSecretYaml } from './tlsFixtures.ts';

const BACKENDS = `apiVersion: v1
kind: Pod
metadata: { name: web, labels: { app: web } }
spec: { containers: [{ name: c, image: example/echo, ports: [{ containerPort: 8080 }] }] }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { selector: { app: web }, ports: [{ port: 80, targetPort: 8080 }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: { name: cilium }
spec: { controllerName: io.cilium/gateway-controller }
`;

function gateway(certRef: string): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: gw }
spec:
  gatewayClassName: cilium
  listeners:
  - { name: https, protocol: HTTPS, port: 443, hostname: shop.example.com, tls: { certificateRefs: [${certRef}] } }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: r }
spec:
  parentRefs: [{ name: gw }]
  rules: [{ backendRefs: [{ name: web, port: 80 }] }]
`;
}

const GRANT = `apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: { name: gateways-read-certs, namespace: certs }
spec:
  from: [{ group: gateway.networking.k8s.io, kind: Gateway, namespace: default }]
  to: [{ group: "", kind: Secret }]
`;

function cluster(): Cluster {
  const c = Cluster.create({ seed: 7 });
  c.setConfig('enable-gateway-api', 'true');
  c.apply(BACKENDS);
  return c;
}

type Conditions = { type: string; status: string; reason: string; message: string }[];
const listenerConditions = (c: Cluster): Conditions =>
  (c.get('Gateway', 'gw', 'default') as { status: { listeners: { conditions: Conditions }[] } }).status.listeners[0]!.conditions.map(
    ({ type, status, reason, message }) => ({ type, status, reason, message }),
  );

const https = (c: Cluster, path = '/', insecure = true) => {
  const r = c.outside().curl({
    url: `https://shop.example.com${path}`,
    resolve: [{ host: 'shop.example.com', port: 443, ip: '172.18.255.200' }],
    insecure,
  });
  return r.kind === 'response'
    ? `${r.response.status} ${r.response.body.trim()} [${r.certificate?.subject ?? 'no certificate'}]`
    : `curl ${r.code}`;
};

const NOT_PROGRAMMED = (reason: string, message: string): Conditions => [
  { type: 'Programmed', status: 'False', reason: 'Invalid', message: 'Invalid CertificateRef' },
  { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Listener Accepted' },
  { type: 'ResolvedRefs', status: 'False', reason, message },
];

describe('an HTTPS listener terminating TLS', () => {
  it('presents the certificate of its Secret and routes the request inside by its HTTPRoutes', () => {
    const c = cluster();
    c.apply(tlsSecretYaml('shop-cert', SHOP_CERT, SHOP_KEY));
    c.apply(gateway('{ name: shop-cert }'));
    expect(listenerConditions(c).map((x) => `${x.type}=${x.status}`)).toEqual(['Programmed=True', 'Accepted=True', 'ResolvedRefs=True']);
    expect(https(c, '/cart')).toBe('200 GET /cart OK [CN=shop.example.com]');
    // Without -k curl does not trust a certificate no CA in its store signed.
    expect(https(c, '/cart', false)).toBe('curl 60');
    const l7 = c.flows({ whitelist: [{ eventType: [{ type: 129 }] }] });
    expect(l7.map((f) => f.l7?.http?.url)).toContain('https://shop.example.com/cart');
    expect(c.flows({ whitelist: [{ sourceIdentity: [8] }], last: 1 })[0]?.destination?.pod_name).toBe('web');
  });

  it('is not programmed, and fails the handshake, while its Secret is missing, not PEM, or not a Secret', () => {
    const c = cluster();
    c.apply(gateway('{ name: shop-cert }'));
    expect(listenerConditions(c)).toEqual(NOT_PROGRAMMED('InvalidCertificateRef', 'Invalid CertificateRef'));
    expect(https(c)).toBe('curl 35');

    c.apply(`apiVersion: v1
kind: Secret
metadata: { name: shop-cert }
type: kubernetes.io/tls
stringData: { tls.crt: Hello world, tls.key: Hello world }
`);
    expect(listenerConditions(c)).toEqual(NOT_PROGRAMMED('InvalidCertificateRef', 'Invalid CertificateRef'));

    c.apply(tlsSecretYaml('shop-cert', SHOP_CERT, SHOP_KEY));
    expect(listenerConditions(c)[0]).toMatchObject({ type: 'Programmed', status: 'True' });
    expect(https(c)).toBe('200 GET / OK [CN=shop.example.com]');

    c.apply(gateway('{ kind: ConfigMap, name: shop-cert }'));
    expect(listenerConditions(c)).toEqual(NOT_PROGRAMMED('InvalidCertificateRef', 'Invalid CertificateRef'));
  });

  it('takes a Secret of another namespace only with a ReferenceGrant there', () => {
    const c = cluster();
    c.apply('apiVersion: v1\nkind: Namespace\nmetadata: { name: certs }\n');
    c.apply(tlsSecretYaml('shop-cert', SHOP_CERT, SHOP_KEY, 'certs'));
    c.apply(gateway('{ name: shop-cert, namespace: certs }'));
    expect(listenerConditions(c)).toEqual(NOT_PROGRAMMED('RefNotPermitted', 'CertificateRef is not permitted'));
    expect(https(c)).toBe('curl 35');

    c.apply(GRANT);
    expect(listenerConditions(c)[2]).toEqual({ type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', message: 'Resolved Refs' });
    expect(https(c)).toBe('200 GET / OK [CN=shop.example.com]');

    c.delete({ kind: 'ReferenceGrant', namespace: 'certs', name: 'gateways-read-certs' });
    expect(listenerConditions(c)[2]).toMatchObject({ reason: 'RefNotPermitted' });
  });

  it('lets the SNI choose between listeners of one port: the exact hostname, then the longest wildcard', () => {
    const c = cluster();
    c.apply(tlsSecretYaml('shop-cert', SHOP_CERT, SHOP_KEY));
    c.apply(tlsSecretYaml('admin-cert', ADMIN_CERT, ADMIN_KEY));
    c.apply(`apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: gw }
spec:
  gatewayClassName: cilium
  listeners:
  - { name: wild, protocol: HTTPS, port: 443, hostname: "*.example.com", tls: { certificateRefs: [{ name: admin-cert }] } }
  - { name: shop, protocol: HTTPS, port: 443, hostname: shop.example.com, tls: { certificateRefs: [{ name: shop-cert }] } }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: r }
spec:
  parentRefs: [{ name: gw }]
  rules: [{ backendRefs: [{ name: web, port: 80 }] }]
`);
    const subject = (host: string) => {
      const r = c.outside().curl({ url: `https://${host}/`, resolve: [{ host, port: 443, ip: '172.18.255.200' }], insecure: true });
      return r.kind === 'response' ? r.certificate?.subject : `curl ${r.code}`;
    };
    expect(subject('shop.example.com')).toBe('CN=shop.example.com');
    expect(subject('api.example.com')).toBe('CN=admin.example.com');
    expect(subject('example.com')).toBe('curl 35');
  });
});

describe('a ReferenceGrant for HTTPRoute backends', () => {
  it('admits a Service of another namespace; without it the route says RefNotPermitted and Envoy answers 500', () => {
    const c = cluster();
    c.apply(`apiVersion: v1
kind: Namespace
metadata: { name: store }
---
apiVersion: v1
kind: Pod
metadata: { name: stock, namespace: store, labels: { app: stock } }
spec: { containers: [{ name: c, image: example/echo, ports: [{ containerPort: 8080 }] }] }
---
apiVersion: v1
kind: Service
metadata: { name: stock, namespace: store }
spec: { selector: { app: stock }, ports: [{ port: 80, targetPort: 8080 }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: gw }
spec: { gatewayClassName: cilium, listeners: [{ name: http, protocol: HTTP, port: 80 }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: r }
spec:
  parentRefs: [{ name: gw }]
  rules: [{ backendRefs: [{ name: stock, namespace: store, port: 80 }] }]
`);
    const resolved = () =>
      (c.get('HTTPRoute', 'r', 'default') as { status: { parents: { conditions: Conditions }[] } }).status.parents[0]!.conditions[1];
    const get = () => {
      const r = c.outside().curl('http://172.18.255.200/items');
      return r.kind === 'response' ? `${r.response.status} ${r.response.body}`.trim() : `curl ${r.code}`;
    };
    expect(resolved()).toMatchObject({ status: 'False', reason: 'RefNotPermitted', message: 'Cross namespace references are not allowed' });
    expect(get()).toBe('500');
    c.apply(`apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: { name: routes-to-stock, namespace: store }
spec:
  from: [{ group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: default }]
  to: [{ group: "", kind: Service, name: stock }]
`);
    expect(resolved()).toMatchObject({ status: 'True', reason: 'ResolvedRefs' });
    expect(get()).toBe('200 GET /items OK');
  });

  it('refuses a grant without from or to entries, naming the object and field, and stores nothing', () => {
    const c = cluster();
    const [empty] = c.apply(`apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: { name: empty }
spec: { from: [], to: [{ group: "", kind: Secret }] }
`);
    expect(empty).toMatchObject({ ok: false, error: { path: 'spec.from' } });
    expect(empty?.ok === false && empty.error.message).toContain('should have at least 1 items');
    const [noTo] = c.apply(
      'apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata: { name: no-to }\nspec: { from: [{ group: "", kind: Gateway, namespace: a }] }\n',
    );
    expect(noTo).toMatchObject({ ok: false, error: { path: 'spec.to' } });
    expect(c.list('ReferenceGrant')).toEqual([]);
  });
});

describe('a TLS listener', () => {
  const tlsGateway = (mode: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: gw }
spec:
  gatewayClassName: cilium
  listeners: [{ name: tls, protocol: TLS, port: 443, tls: { mode: ${mode} } }]
---
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TLSRoute
metadata: { name: t }
spec:
  parentRefs: [{ name: gw }]
  hostnames: [db.example.com]
  rules: [{ backendRefs: [{ name: web, port: 80 }] }]
`;
  const listener = (c: Cluster) =>
    (c.get('Gateway', 'gw', 'default') as { status: { listeners: { attachedRoutes: number; supportedKinds: unknown[] }[] } }).status
      .listeners[0]!;
  const accepted = (c: Cluster) =>
    (c.get('TLSRoute', 't', 'default') as { status: { parents: { conditions: Conditions }[] } }).status.parents[0]!.conditions[0];

  it('in Passthrough mode takes TLSRoutes, counts them, and the route is accepted', () => {
    const c = cluster();
    c.apply(tlsGateway('Passthrough'));
    expect(listener(c)).toMatchObject({ attachedRoutes: 1, supportedKinds: [{ group: 'gateway.networking.k8s.io', kind: 'TLSRoute' }] });
    expect(listenerConditions(c).map((x) => `${x.type}=${x.status}`)).toEqual(['Programmed=True', 'Accepted=True', 'ResolvedRefs=True']);
    expect(accepted(c)).toMatchObject({ status: 'True', reason: 'Accepted', message: 'Accepted TLSRoute' });
  });

  it('passes the stream only when the ingress identity admits the client: a lockdown ends the handshake', () => {
    const c = cluster();
    c.apply(tlsGateway('Passthrough'));
    const probe = () => {
      const r = c
        .outside()
        .curl({ url: 'https://db.example.com/', resolve: [{ host: 'db.example.com', port: 443, ip: '172.18.255.200' }] });
      return r.kind === 'response' ? r.response.status : `curl ${r.code}`;
    };
    expect(probe()).toBe(200);
    expect(c.flows({ whitelist: [{ sourceIdentity: [8] }], last: 1 })[0]?.destination?.pod_name).toBe('web');
    c.apply(`apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: { name: external-lockdown }
spec:
  endpointSelector: { matchExpressions: [{ key: reserved:ingress, operator: Exists }] }
  ingress: [{ fromEntities: [cluster] }]
`);
    expect(probe()).toBe('curl 35');
    expect(c.flows({ whitelist: [{ eventType: [{ type: 129 }] }] })).toEqual([]);
  });

  it('in Terminate mode is not accepted, as Cilium does not terminate TLSRoutes, and no route attaches', () => {
    const c = cluster();
    c.apply(tlsGateway('Terminate'));
    expect(listener(c)).toMatchObject({ attachedRoutes: 0, supportedKinds: [] });
    expect(listenerConditions(c)[1]).toMatchObject({ type: 'Accepted', status: 'False', reason: 'UnsupportedValue' });
    expect(accepted(c)).toMatchObject({ status: 'False', reason: 'NotAllowedByListeners' });
  });
});
