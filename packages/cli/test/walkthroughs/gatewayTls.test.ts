import { describe, expect, it } from 'vitest';
import { transcript } from '../transcript.ts';
import { ADMIN_CERT, ADMIN_KEY, SHOP_CERT, SHOP_KEY, tlsSecretYaml } from '../../../core/test/gatewayapi/tlsFixtures.ts';

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
  [
    'passthrough.yaml',
    `apiVersion: v1
kind: Pod
metadata: { name: vault, labels: { app: vault } }
spec: { containers: [{ name: vault, image: hashicorp/vault, ports: [{ containerPort: 8200 }] }] }
---
apiVersion: v1
kind: Service
metadata: { name: vault }
spec: { selector: { app: vault }, ports: [{ port: 443, targetPort: 8200 }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: { name: cilium }
spec: { controllerName: io.cilium/gateway-controller }
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: tls }
spec:
  gatewayClassName: cilium
  listeners:
  - { name: passthrough, protocol: TLS, port: 443, hostname: "*.example.com", tls: { mode: Passthrough } }
---
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TLSRoute
metadata: { name: vault }
spec:
  parentRefs: [{ name: tls }]
  hostnames: [vault.example.com]
  rules: [{ backendRefs: [{ name: vault, port: 443 }] }]
`,
  ],
  [
    'ingress.yaml',
    `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: shop }
spec:
  ingressClassName: cilium
  tls: [{ hosts: [shop.example.com], secretName: shop-cert }]
  rules:
  - host: shop.example.com
    http:
      paths: [{ path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }]
`,
  ],
  [
    'bad-tlsroute.yaml',
    `apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TLSRoute
metadata: { name: bad }
spec:
  parentRefs: [{ name: tls }]
  hostnames: [Vault.Example.com]
  rules: []
`,
  ],
  [
    'certs.yaml',
    `apiVersion: v1\nkind: Namespace\nmetadata: { name: certs }\n---\n${tlsSecretYaml('shop-cert', SHOP_CERT, SHOP_KEY, 'certs')}`,
  ],
  [
    'cross-gateway.yaml',
    `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: { name: cilium }
spec: { controllerName: io.cilium/gateway-controller }
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: shared }
spec:
  gatewayClassName: cilium
  listeners:
  - { name: https, protocol: HTTPS, port: 443, tls: { certificateRefs: [{ name: shop-cert, namespace: certs }] } }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: shop }
spec:
  parentRefs: [{ name: shared }]
  rules: [{ backendRefs: [{ name: web, port: 80 }] }]
`,
  ],
  [
    'grant.yaml',
    `apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: { name: gateways-read-certs, namespace: certs }
spec:
  from: [{ group: gateway.networking.k8s.io, kind: Gateway, namespace: default }]
  to: [{ group: "", kind: Secret, name: shop-cert }]
`,
  ],
]);

const run = (lines: readonly string[]): string => transcript(FILES, lines);

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
          - group: gateway.networking.k8s.io
            kind: GRPCRoute
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
          - group: gateway.networking.k8s.io
            kind: GRPCRoute
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
  it('says why a listener is not programmed while its certificate is missing, and fails the handshake', () => {
    expect(
      run([
        'cilium config set enable-gateway-api true',
        'kubectl apply -f shop.yaml -f gateway.yaml',
        'kubectl get gateway shop -o jsonpath={.status.listeners[0].conditions}',
        'outside -- curl -sSk https://shop.example.com/ --resolve shop.example.com:443:172.18.255.200',
        'kubectl apply -f shop-cert.yaml',
        'kubectl get gateway shop -o jsonpath={.status.listeners[0].conditions[0].status}',
        'outside -- curl -sS https://shop.example.com/ --resolve shop.example.com:443:172.18.255.200',
      ]),
    ).toMatchInlineSnapshot(`
      "$ cilium config set enable-gateway-api true
      ✨ Patching ConfigMap cilium-config with enable-gateway-api=true...
      ♻️  Restarted Cilium pods
      $ kubectl apply -f shop.yaml -f gateway.yaml
      pod/web created
      pod/admin created
      service/web created
      service/admin created
      pod/client created
      gatewayclass.gateway.networking.k8s.io/cilium created
      gateway.gateway.networking.k8s.io/shop created
      httproute.gateway.networking.k8s.io/shop created
      httproute.gateway.networking.k8s.io/admin created
      $ kubectl get gateway shop -o jsonpath={.status.listeners[0].conditions}
      [{"lastTransitionTime":"2024-07-04T17:58:00Z","message":"Invalid CertificateRef","observedGeneration":1,"reason":"Invalid","status":"False","type":"Programmed"},{"lastTransitionTime":"2024-07-04T17:58:00Z","message":"Listener Accepted","observedGeneration":1,"reason":"Accepted","status":"True","type":"Accepted"},{"lastTransitionTime":"2024-07-04T17:58:00Z","message":"Invalid CertificateRef","observedGeneration":1,"reason":"InvalidCertificateRef","status":"False","type":"ResolvedRefs"}]$ outside -- curl -sSk https://shop.example.com/ --resolve shop.example.com:443:172.18.255.200
      curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to shop.example.com:443 
      [exit 35]
      $ kubectl apply -f shop-cert.yaml
      secret/shop-cert created
      $ kubectl get gateway shop -o jsonpath={.status.listeners[0].conditions[0].status}
      True$ outside -- curl -sS https://shop.example.com/ --resolve shop.example.com:443:172.18.255.200
      curl: (60) SSL certificate problem: unable to get local issuer certificate
      More details here: https://curl.se/docs/sslcerts.html

      curl failed to verify the legitimacy of the server and therefore could not
      establish a secure connection to it. To learn more about this situation and
      how to fix it, please visit the webpage mentioned above.

      [exit 60]
      "
    `);
  });
  it('takes a certificate Secret of another namespace once a ReferenceGrant there allows it', () => {
    expect(
      run([
        'cilium config set enable-gateway-api true',
        'kubectl apply -f shop.yaml -f certs.yaml -f cross-gateway.yaml',
        'kubectl get gateway shared -o jsonpath={.status.listeners[0].conditions[2]}',
        'outside -- curl -sSk https://shop.example.com/ --resolve shop.example.com:443:172.18.255.200',
        'kubectl apply -f grant.yaml',
        'kubectl get referencegrants -A',
        'kubectl get gateway shared -o jsonpath={.status.listeners[0].conditions[2].reason}',
        'outside -- curl -sk https://shop.example.com/cart --resolve shop.example.com:443:172.18.255.200',
      ]),
    ).toMatchInlineSnapshot(`
      "$ cilium config set enable-gateway-api true
      ✨ Patching ConfigMap cilium-config with enable-gateway-api=true...
      ♻️  Restarted Cilium pods
      $ kubectl apply -f shop.yaml -f certs.yaml -f cross-gateway.yaml
      pod/web created
      pod/admin created
      service/web created
      service/admin created
      pod/client created
      namespace/certs created
      secret/shop-cert created
      gatewayclass.gateway.networking.k8s.io/cilium created
      gateway.gateway.networking.k8s.io/shared created
      httproute.gateway.networking.k8s.io/shop created
      $ kubectl get gateway shared -o jsonpath={.status.listeners[0].conditions[2]}
      {"lastTransitionTime":"2024-07-04T17:58:00Z","message":"CertificateRef is not permitted","observedGeneration":1,"reason":"RefNotPermitted","status":"False","type":"ResolvedRefs"}$ outside -- curl -sSk https://shop.example.com/ --resolve shop.example.com:443:172.18.255.200
      curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to shop.example.com:443 
      [exit 35]
      $ kubectl apply -f grant.yaml
      referencegrant.gateway.networking.k8s.io/gateways-read-certs created
      $ kubectl get referencegrants -A
      NAMESPACE   NAME                  AGE
      certs       gateways-read-certs   0s
      $ kubectl get gateway shared -o jsonpath={.status.listeners[0].conditions[2].reason}
      ResolvedRefs$ outside -- curl -sk https://shop.example.com/cart --resolve shop.example.com:443:172.18.255.200
      GET /cart OK
      "
    `);
  });
});

describe('a TLS passthrough Gateway', () => {
  it('hands the stream to the TLSRoute the SNI names without opening it: TCP flows, no L7 record', () => {
    expect(
      run([
        'cilium config set enable-gateway-api true',
        'kubectl apply -f passthrough.yaml',
        'kubectl get gateway,tlsroute',
        'kubectl get tlsroute vault -o jsonpath={.status.parents[0].conditions}',
        "outside -- curl -s -o /dev/null -w '%{http_code}\\n' https://vault.example.com/v1/sys/health --resolve vault.example.com:443:172.18.255.200",
        'outside -- curl -sS https://db.example.com/ --resolve db.example.com:443:172.18.255.200',
        'hubble observe --from-identity ingress',
        'hubble observe --type l7',
        'kubectl apply -f bad-tlsroute.yaml',
      ]),
    ).toMatchInlineSnapshot(`
      "$ cilium config set enable-gateway-api true
      ✨ Patching ConfigMap cilium-config with enable-gateway-api=true...
      ♻️  Restarted Cilium pods
      $ kubectl apply -f passthrough.yaml
      pod/vault created
      service/vault created
      gatewayclass.gateway.networking.k8s.io/cilium created
      gateway.gateway.networking.k8s.io/tls created
      tlsroute.gateway.networking.k8s.io/vault created
      $ kubectl get gateway,tlsroute
      NAME                                    CLASS    ADDRESS          PROGRAMMED   AGE
      gateway.gateway.networking.k8s.io/tls   cilium   172.18.255.200   True         0s

      NAME                                       AGE
      tlsroute.gateway.networking.k8s.io/vault   0s
      $ kubectl get tlsroute vault -o jsonpath={.status.parents[0].conditions}
      [{"lastTransitionTime":"2024-07-04T17:58:00Z","message":"Accepted TLSRoute","observedGeneration":1,"reason":"Accepted","status":"True","type":"Accepted"},{"lastTransitionTime":"2024-07-04T17:58:00Z","message":"Service reference is valid","observedGeneration":1,"reason":"ResolvedRefs","status":"True","type":"ResolvedRefs"}]$ outside -- curl -s -o /dev/null -w '%{http_code}\\n' https://vault.example.com/v1/sys/health --resolve vault.example.com:443:172.18.255.200
      200
      $ outside -- curl -sS https://db.example.com/ --resolve db.example.com:443:172.18.255.200
      curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to db.example.com:443 
      [exit 35]
      $ hubble observe --from-identity ingress
      Jul  4 17:58:00.015: 10.244.1.255:34112 (ingress) -> default/vault:8200 (ID:46017) to-endpoint FORWARDED (TCP Flags: SYN)
      Jul  4 17:58:00.015: 10.244.1.255:34112 (ingress) -> default/vault:8200 (ID:46017) to-endpoint FORWARDED (TCP Flags: ACK)
      Jul  4 17:58:00.015: 10.244.1.255:34112 (ingress) -> default/vault:8200 (ID:46017) to-endpoint FORWARDED (TCP Flags: ACK, PSH)
      Jul  4 17:58:00.015: 10.244.1.255:34112 (ingress) -> default/vault:8200 (ID:46017) to-endpoint FORWARDED (TCP Flags: ACK, FIN)
      $ hubble observe --type l7
      $ kubectl apply -f bad-tlsroute.yaml
      The TLSRoute "bad" is invalid: 
      * spec.hostnames[0]: Invalid value: "Vault.Example.com": in body should match '^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'
      * spec.rules: Invalid value: []: should have at least 1 items
      [exit 1]
      "
    `);
  });
});

describe('an Ingress with spec.tls', () => {
  it('terminates TLS on 443 with its Secret and routes by its rules', () => {
    expect(
      run([
        'cilium config set enable-ingress-controller true',
        'kubectl apply -f shop.yaml -f shop-cert.yaml -f ingress.yaml',
        'kubectl get ingress',
        'outside -- curl -sk https://shop.example.com/cart --resolve shop.example.com:443:172.18.255.200',
        'outside -- curl -s http://172.18.255.200/cart -H "Host: shop.example.com"',
        'outside -- curl -sS https://shop.example.com/cart --resolve shop.example.com:443:172.18.255.200',
        'hubble observe --type l7',
      ]),
    ).toMatchInlineSnapshot(`
      "$ cilium config set enable-ingress-controller true
      ✨ Patching ConfigMap cilium-config with enable-ingress-controller=true...
      ♻️  Restarted Cilium pods
      $ kubectl apply -f shop.yaml -f shop-cert.yaml -f ingress.yaml
      pod/web created
      pod/admin created
      service/web created
      service/admin created
      pod/client created
      secret/shop-cert created
      ingress.networking.k8s.io/shop created
      $ kubectl get ingress
      NAME   CLASS    HOSTS              ADDRESS          PORTS     AGE
      shop   cilium   shop.example.com   172.18.255.200   80, 443   0s
      $ outside -- curl -sk https://shop.example.com/cart --resolve shop.example.com:443:172.18.255.200
      GET /cart OK
      $ outside -- curl -s http://172.18.255.200/cart -H "Host: shop.example.com"
      GET /cart OK
      $ outside -- curl -sS https://shop.example.com/cart --resolve shop.example.com:443:172.18.255.200
      curl: (60) SSL certificate problem: unable to get local issuer certificate
      More details here: https://curl.se/docs/sslcerts.html

      curl failed to verify the legitimacy of the server and therefore could not
      establish a secure connection to it. To learn more about this situation and
      how to fix it, please visit the webpage mentioned above.

      [exit 60]
      $ hubble observe --type l7
      Jul  4 17:58:00.025: 192.0.2.10:56530 (world) -> default/cilium-ingress-shop:443 (world) http-request FORWARDED (HTTP/1.1 GET https://shop.example.com/cart)
      Jul  4 17:58:00.026: 192.0.2.10:56530 (world) <- default/cilium-ingress-shop:443 (world) http-response FORWARDED (HTTP/1.1 200 1ms (GET https://shop.example.com/cart))
      Jul  4 17:58:00.061: 192.0.2.10:44356 (world) -> default/cilium-ingress-shop:80 (world) http-request FORWARDED (HTTP/1.1 GET http://shop.example.com/cart)
      Jul  4 17:58:00.062: 192.0.2.10:44356 (world) <- default/cilium-ingress-shop:80 (world) http-response FORWARDED (HTTP/1.1 200 1ms (GET http://shop.example.com/cart))
      "
    `);
  });
});
