import { describe, expect, it } from 'vitest';
import { ADMIN_CERT, ADMIN_KEY, SHOP_CERT, SHOP_KEY, tlsSecretYaml } from '../../../core/test/gatewayapi/tlsFixtures.ts';
import { nodeHostFiles } from '../../src/node/nodeHostFiles.ts';
import { createSimulator } from '../../src/simulator.ts';

const FILES = new Map([
  [
    'shop.yaml',
    `apiVersion: v1
kind: Pod
metadata: { name: web, labels: { app: web } }
spec: { containers: [{ name: web, image: ghcr.io/example/shop-web, ports: [{ containerPort: 8080 }] }] }
---
apiVersion: v1
kind: Pod
metadata: { name: admin, labels: { app: admin } }
spec: { containers: [{ name: admin, image: ghcr.io/example/shop-admin, ports: [{ containerPort: 8080 }] }] }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { selector: { app: web }, ports: [{ port: 80, targetPort: 8080 }] }
---
apiVersion: v1
kind: Service
metadata: { name: admin }
spec: { selector: { app: admin }, ports: [{ port: 80, targetPort: 8080 }] }
---
apiVersion: v1
kind: Pod
metadata: { name: client, labels: { app: client } }
spec: { containers: [{ name: c, image: curlimages/curl }] }
`,
  ],
  ['shop-cert.yaml', tlsSecretYaml('shop-cert', SHOP_CERT, SHOP_KEY)],
  ['admin-cert.yaml', tlsSecretYaml('admin-cert', ADMIN_CERT, ADMIN_KEY)],
  [
    'gateway.yaml',
    `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: { name: cilium }
spec: { controllerName: io.cilium/gateway-controller }
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: shop }
spec:
  gatewayClassName: cilium
  listeners:
  - { name: shop, protocol: HTTPS, port: 443, hostname: shop.example.com, tls: { certificateRefs: [{ name: shop-cert }] } }
  - { name: admin, protocol: HTTPS, port: 443, hostname: "*.example.com", tls: { certificateRefs: [{ name: admin-cert }] } }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: shop }
spec:
  parentRefs: [{ name: shop, sectionName: shop }]
  rules:
  - matches: [{ path: { type: PathPrefix, value: /cart } }]
    backendRefs: [{ name: web, port: 80 }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: admin }
spec:
  parentRefs: [{ name: shop, sectionName: admin }]
  rules:
  - backendRefs: [{ name: admin, port: 80 }]
`,
  ],
]);

function run(lines: readonly string[]): string {
  const sim = createSimulator({ seed: 1 }, nodeHostFiles(process.cwd()), FILES);
  return lines
    .map((line) => {
      const r = sim.session.run(line);
      return `$ ${line}\n${r.stdout}${r.stderr}${r.exitCode === 0 ? '' : `[exit ${r.exitCode}]\n`}`;
    })
    .join('');
}

describe('an HTTPS Gateway', () => {
  it('terminates TLS with the Secret of the listener the SNI picks and routes the request inside', () => {
    expect(
      run([
        'cilium config set enable-gateway-api true',
        'kubectl apply -f shop.yaml -f shop-cert.yaml -f admin-cert.yaml -f gateway.yaml',
        'kubectl get gateway shop -o yaml',
        'outside -- curl -s https://shop.example.com/cart/1 --resolve shop.example.com:443:172.18.255.200',
        'outside -- curl -sk https://shop.example.com/cart/1 --resolve shop.example.com:443:172.18.255.200',
        'outside -- curl -sk https://ops.example.com/x --resolve ops.example.com:443:172.18.255.200',
        'outside -- curl -sk https://other.org/x --resolve other.org:443:172.18.255.200',
        'outside -- curl -s http://172.18.255.200:443/x',
        'kubectl exec client -- curl -sk https://shop.example.com/cart/2 --resolve shop.example.com:443:172.18.255.200',
        'hubble observe --type l7',
        'hubble observe --from-identity ingress',
      ]),
    ).toMatchInlineSnapshot(`
      "$ cilium config set enable-gateway-api true
      ✨ Patching ConfigMap cilium-config with enable-gateway-api=true...
      ♻️  Restarted Cilium pods
      $ kubectl apply -f shop.yaml -f shop-cert.yaml -f admin-cert.yaml -f gateway.yaml
      pod/web created
      pod/admin created
      service/web created
      service/admin created
      pod/client created
      secret/shop-cert created
      secret/admin-cert created
      gatewayclass.gateway.networking.k8s.io/cilium created
      gateway.gateway.networking.k8s.io/shop created
      httproute.gateway.networking.k8s.io/shop created
      httproute.gateway.networking.k8s.io/admin created
      $ kubectl get gateway shop -o yaml
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        creationTimestamp: "2024-07-04T17:58:00Z"
        generation: 1
        name: shop
        namespace: default
        resourceVersion: "35"
        uid: 414f4523-cf71-49b0-adde-8083be220550
      spec:
        gatewayClassName: cilium
        listeners:
        - hostname: shop.example.com
          name: shop
          port: 443
          protocol: HTTPS
          tls:
            certificateRefs:
            - name: shop-cert
        - hostname: '*.example.com'
          name: admin
          port: 443
          protocol: HTTPS
          tls:
            certificateRefs:
            - name: admin-cert
      status:
        addresses:
        - type: IPAddress
          value: 172.18.255.200
        conditions:
        - lastTransitionTime: "2024-07-04T17:58:00Z"
          message: Gateway successfully scheduled
          observedGeneration: 1
          reason: Accepted
          status: "True"
          type: Accepted
        - lastTransitionTime: "2024-07-04T17:58:00Z"
          message: Gateway successfully reconciled
          observedGeneration: 1
          reason: Programmed
          status: "True"
          type: Programmed
        listeners:
        - attachedRoutes: 1
          conditions:
          - lastTransitionTime: "2024-07-04T17:58:00Z"
            message: Listener Ready
            observedGeneration: 1
            reason: Programmed
            status: "True"
            type: Programmed
          - lastTransitionTime: "2024-07-04T17:58:00Z"
            message: Listener Accepted
            observedGeneration: 1
            reason: Accepted
            status: "True"
            type: Accepted
          - lastTransitionTime: "2024-07-04T17:58:00Z"
            message: Resolved Refs
            observedGeneration: 1
            reason: ResolvedRefs
            status: "True"
            type: ResolvedRefs
          name: shop
          supportedKinds:
          - group: gateway.networking.k8s.io
            kind: HTTPRoute
        - attachedRoutes: 1
          conditions:
          - lastTransitionTime: "2024-07-04T17:58:00Z"
            message: Listener Ready
            observedGeneration: 1
            reason: Programmed
            status: "True"
            type: Programmed
          - lastTransitionTime: "2024-07-04T17:58:00Z"
            message: Listener Accepted
            observedGeneration: 1
            reason: Accepted
            status: "True"
            type: Accepted
          - lastTransitionTime: "2024-07-04T17:58:00Z"
            message: Resolved Refs
            observedGeneration: 1
            reason: ResolvedRefs
            status: "True"
            type: ResolvedRefs
          name: admin
          supportedKinds:
          - group: gateway.networking.k8s.io
            kind: HTTPRoute
      $ outside -- curl -s https://shop.example.com/cart/1 --resolve shop.example.com:443:172.18.255.200
      [exit 60]
      $ outside -- curl -sk https://shop.example.com/cart/1 --resolve shop.example.com:443:172.18.255.200
      GET /cart/1 OK
      $ outside -- curl -sk https://ops.example.com/x --resolve ops.example.com:443:172.18.255.200
      GET /x OK
      $ outside -- curl -sk https://other.org/x --resolve other.org:443:172.18.255.200
      [exit 35]
      $ outside -- curl -s http://172.18.255.200:443/x
      [exit 56]
      $ kubectl exec client -- curl -sk https://shop.example.com/cart/2 --resolve shop.example.com:443:172.18.255.200
      GET /cart/2 OK
      $ hubble observe --type l7
      Jul  4 17:58:00.060: 192.0.2.10:44356 (world) -> default/cilium-gateway-shop:443 (world) http-request FORWARDED (HTTP/1.1 GET https://shop.example.com/cart/1)
      Jul  4 17:58:00.061: 192.0.2.10:44356 (world) <- default/cilium-gateway-shop:443 (world) http-response FORWARDED (HTTP/1.1 200 1ms (GET https://shop.example.com/cart/1))
      Jul  4 17:58:00.106: 192.0.2.10:52033 (world) -> default/cilium-gateway-shop:443 (world) http-request FORWARDED (HTTP/1.1 GET https://ops.example.com/x)
      Jul  4 17:58:00.108: 192.0.2.10:52033 (world) <- default/cilium-gateway-shop:443 (world) http-response FORWARDED (HTTP/1.1 200 2ms (GET https://ops.example.com/x))
      Jul  4 17:58:00.168: default/client:37860 (ID:48336) -> default/cilium-gateway-shop:443 (world) http-request FORWARDED (HTTP/1.1 GET https://shop.example.com/cart/2)
      Jul  4 17:58:00.169: default/client:37860 (ID:48336) <- default/cilium-gateway-shop:443 (world) http-response FORWARDED (HTTP/1.1 200 1ms (GET https://shop.example.com/cart/2))
      $ hubble observe --from-identity ingress
      Jul  4 17:58:00.060: 10.244.1.255:34112 (ingress) -> default/web:8080 (ID:45799) to-endpoint FORWARDED (TCP Flags: SYN)
      Jul  4 17:58:00.060: 10.244.1.255:34112 (ingress) -> default/web:8080 (ID:45799) to-endpoint FORWARDED (TCP Flags: ACK)
      Jul  4 17:58:00.060: 10.244.1.255:34112 (ingress) -> default/web:8080 (ID:45799) to-endpoint FORWARDED (TCP Flags: ACK, PSH)
      Jul  4 17:58:00.061: 10.244.1.255:34112 (ingress) -> default/web:8080 (ID:45799) to-endpoint FORWARDED (TCP Flags: ACK, FIN)
      Jul  4 17:58:00.106: 10.244.1.255:40827 (ingress) -> default/admin:8080 (ID:46017) to-endpoint FORWARDED (TCP Flags: SYN)
      Jul  4 17:58:00.106: 10.244.1.255:40827 (ingress) -> default/admin:8080 (ID:46017) to-endpoint FORWARDED (TCP Flags: ACK)
      Jul  4 17:58:00.106: 10.244.1.255:40827 (ingress) -> default/admin:8080 (ID:46017) to-endpoint FORWARDED (TCP Flags: ACK, PSH)
      Jul  4 17:58:00.108: 10.244.1.255:40827 (ingress) -> default/admin:8080 (ID:46017) to-endpoint FORWARDED (TCP Flags: ACK, FIN)
      Jul  4 17:58:00.168: 10.244.1.255:55541 (ingress) -> default/web:8080 (ID:45799) to-endpoint FORWARDED (TCP Flags: SYN)
      Jul  4 17:58:00.168: 10.244.1.255:55541 (ingress) -> default/web:8080 (ID:45799) to-endpoint FORWARDED (TCP Flags: ACK)
      Jul  4 17:58:00.168: 10.244.1.255:55541 (ingress) -> default/web:8080 (ID:45799) to-endpoint FORWARDED (TCP Flags: ACK, PSH)
      Jul  4 17:58:00.169: 10.244.1.255:55541 (ingress) -> default/web:8080 (ID:45799) to-endpoint FORWARDED (TCP Flags: ACK, FIN)
      "
    `);
  });
});
