import { describe, expect, it } from 'vitest';
import { transcript } from '../transcript.ts';

// A storefront behind a Gateway: the Gateway gets an address, routes pick the backend by path,
// Envoy opens the second leg from the node's reserved:ingress address, and a backend policy that
// admits only the ingress identity passes Gateway traffic and drops pods calling directly.
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
metadata: { name: cart, labels: { app: cart } }
spec: { containers: [{ name: cart, image: ghcr.io/example/shop-cart, ports: [{ containerPort: 8080 }] }] }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { selector: { app: web }, ports: [{ port: 80, targetPort: 8080 }] }
---
apiVersion: v1
kind: Service
metadata: { name: cart }
spec: { selector: { app: cart }, ports: [{ port: 80, targetPort: 8080 }] }
---
apiVersion: v1
kind: Pod
metadata: { name: client, labels: { app: client } }
spec: { containers: [{ name: c, image: curlimages/curl }] }
`,
  ],
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
  listeners: [{ name: web, protocol: HTTP, port: 80 }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: shop }
spec:
  parentRefs: [{ name: shop }]
  hostnames: [shop.example.com]
  rules:
  - matches: [{ path: { type: PathPrefix, value: /cart } }]
    filters:
    - type: URLRewrite
      urlRewrite: { path: { type: ReplacePrefixMatch, replacePrefixMatch: /api } }
    backendRefs: [{ name: cart, port: 80 }]
  - matches: [{ path: { type: Exact, value: /old } }]
    filters:
    - type: RequestRedirect
      requestRedirect: { path: { type: ReplaceFullPath, replaceFullPath: /new }, statusCode: 301 }
  - backendRefs: [{ name: web, port: 80 }]
`,
  ],
  [
    'only-ingress.yaml',
    `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: cart-from-gateway }
spec:
  endpointSelector: { matchLabels: { app: cart } }
  ingress: [{ fromEntities: [ingress] }]
`,
  ],
]);

const run = (lines: readonly string[]): string => transcript(FILES, lines);

describe('a Gateway through Envoy', () => {
  it('waits for the controller until Gateway API is enabled, then gets an address and routes by path', () => {
    expect(
      run([
        'kubectl apply -f shop.yaml -f gateway.yaml',
        'kubectl get gatewayclass,gateway',
        'cilium config set enable-gateway-api true',
        'kubectl get gatewayclass',
        'kubectl get gateway,httproute',
        'kubectl get gateway shop -o yaml',
        'kubectl get httproute shop -o jsonpath={.status.parents[0].conditions}',
        'outside -- curl -s -H "Host: shop.example.com" http://172.18.255.200/',
        'outside -- curl -s -H "Host: shop.example.com" http://172.18.255.200/cart/items',
        'outside -- curl -si -H "Host: shop.example.com" http://172.18.255.200/old',
        'outside -- curl -si http://172.18.255.200/',
      ]),
    ).toMatchInlineSnapshot(`
      "$ kubectl apply -f shop.yaml -f gateway.yaml
      pod/web created
      pod/cart created
      service/web created
      service/cart created
      pod/client created
      gatewayclass.gateway.networking.k8s.io/cilium created
      gateway.gateway.networking.k8s.io/shop created
      httproute.gateway.networking.k8s.io/shop created
      $ kubectl get gatewayclass,gateway
      NAME                                            CONTROLLER                     ACCEPTED   AGE
      gatewayclass.gateway.networking.k8s.io/cilium   io.cilium/gateway-controller   Unknown    0s

      NAME                                     CLASS    ADDRESS   PROGRAMMED   AGE
      gateway.gateway.networking.k8s.io/shop   cilium             Unknown      0s
      $ cilium config set enable-gateway-api true
      ✨ Patching ConfigMap cilium-config with enable-gateway-api=true...
      ♻️  Restarted Cilium pods
      $ kubectl get gatewayclass
      NAME     CONTROLLER                     ACCEPTED   AGE
      cilium   io.cilium/gateway-controller   True       0s
      $ kubectl get gateway,httproute
      NAME                                     CLASS    ADDRESS          PROGRAMMED   AGE
      gateway.gateway.networking.k8s.io/shop   cilium   172.18.255.200   True         0s

      NAME                                       HOSTNAMES              AGE
      httproute.gateway.networking.k8s.io/shop   ["shop.example.com"]   0s
      $ kubectl get gateway shop -o yaml
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        creationTimestamp: "2024-07-04T17:58:00Z"
        generation: 1
        name: shop
        namespace: default
        resourceVersion: "31"
        uid: 682b3f74-371d-4072-a589-a7f62f2359cb
      spec:
        gatewayClassName: cilium
        listeners:
        - name: web
          port: 80
          protocol: HTTP
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
          name: web
          supportedKinds:
          - group: gateway.networking.k8s.io
            kind: HTTPRoute
          - group: gateway.networking.k8s.io
            kind: GRPCRoute
      $ kubectl get httproute shop -o jsonpath={.status.parents[0].conditions}
      [{"lastTransitionTime":"2024-07-04T17:58:00Z","message":"Accepted HTTPRoute","observedGeneration":1,"reason":"Accepted","status":"True","type":"Accepted"},{"lastTransitionTime":"2024-07-04T17:58:00Z","message":"Service reference is valid","observedGeneration":1,"reason":"ResolvedRefs","status":"True","type":"ResolvedRefs"}]$ outside -- curl -s -H "Host: shop.example.com" http://172.18.255.200/
      GET / OK
      $ outside -- curl -s -H "Host: shop.example.com" http://172.18.255.200/cart/items
      GET /api/items OK
      $ outside -- curl -si -H "Host: shop.example.com" http://172.18.255.200/old
      HTTP/1.1 301 Moved Permanently
      location: http://shop.example.com/new
      server: envoy
      content-length: 0

      $ outside -- curl -si http://172.18.255.200/
      HTTP/1.1 404 Not Found
      content-type: text/plain
      content-length: 0

      "
    `);
  });

  it('lets a backend admit only the ingress identity: Gateway traffic passes, a pod calling directly is dropped', () => {
    expect(
      run([
        'kubectl apply -f shop.yaml -f gateway.yaml -f only-ingress.yaml',
        'cilium config set enable-gateway-api true',
        'outside -- curl -s -H "Host: shop.example.com" http://172.18.255.200/cart',
        'kubectl exec client -- curl -s --max-time 2 http://cart/api',
        'hubble observe --to-pod default/cart',
        'hubble observe --type l7',
        'cilium policy trace --src-identity 8 --dst-k8s-pod default:cart --dport 8080',
      ]),
    ).toMatchInlineSnapshot(`
      "$ kubectl apply -f shop.yaml -f gateway.yaml -f only-ingress.yaml
      pod/web created
      pod/cart created
      service/web created
      service/cart created
      pod/client created
      gatewayclass.gateway.networking.k8s.io/cilium created
      gateway.gateway.networking.k8s.io/shop created
      httproute.gateway.networking.k8s.io/shop created
      ciliumnetworkpolicy.cilium.io/cart-from-gateway created
      $ cilium config set enable-gateway-api true
      ✨ Patching ConfigMap cilium-config with enable-gateway-api=true...
      ♻️  Restarted Cilium pods
      $ outside -- curl -s -H "Host: shop.example.com" http://172.18.255.200/cart
      GET /api OK
      $ kubectl exec client -- curl -s --max-time 2 http://cart/api
      command terminated with exit code 28
      [exit 28]
      $ hubble observe --to-pod default/cart
      Jul  4 17:58:00.015: 10.244.1.255:34112 (ingress) -> default/cart:8080 (ID:46017) policy-verdict:L3-Only INGRESS ALLOWED (TCP Flags: SYN)
      Jul  4 17:58:00.015: 10.244.1.255:34112 (ingress) -> default/cart:8080 (ID:46017) to-endpoint FORWARDED (TCP Flags: SYN)
      Jul  4 17:58:00.015: 10.244.1.255:34112 (ingress) -> default/cart:8080 (ID:46017) to-endpoint FORWARDED (TCP Flags: ACK)
      Jul  4 17:58:00.015: 10.244.1.255:34112 (ingress) -> default/cart:8080 (ID:46017) to-endpoint FORWARDED (TCP Flags: ACK, PSH)
      Jul  4 17:58:00.017: 10.244.1.255:34112 (ingress) -> default/cart:8080 (ID:46017) to-endpoint FORWARDED (TCP Flags: ACK, FIN)
      Jul  4 17:58:00.037: default/client:47191 (ID:48336) <> default/cart:8080 (ID:46017) policy-verdict:none INGRESS DENIED (TCP Flags: SYN)
      Jul  4 17:58:00.037: default/client:47191 (ID:48336) <> default/cart:8080 (ID:46017) Policy denied DROPPED (TCP Flags: SYN)
      Jul  4 17:58:01.037: default/client:47191 (ID:48336) <> default/cart:8080 (ID:46017) policy-verdict:none INGRESS DENIED (TCP Flags: SYN)
      Jul  4 17:58:01.037: default/client:47191 (ID:48336) <> default/cart:8080 (ID:46017) Policy denied DROPPED (TCP Flags: SYN)
      $ hubble observe --type l7
      Jul  4 17:58:00.015: 192.0.2.10:56530 (world) -> default/cilium-gateway-shop:80 (world) http-request FORWARDED (HTTP/1.1 GET http://shop.example.com/cart)
      Jul  4 17:58:00.017: 192.0.2.10:56530 (world) <- default/cilium-gateway-shop:80 (world) http-response FORWARDED (HTTP/1.1 200 2ms (GET http://shop.example.com/cart))
      $ cilium policy trace --src-identity 8 --dst-k8s-pod default:cart --dport 8080
      ----------------------------------------------------------------
      Tracing From: identity ingress [reserved:ingress] => To: identity 46017 [k8s:app=cart, k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=default, k8s:io.cilium.k8s.policy.cluster=kind-kind, k8s:io.cilium.k8s.policy.serviceaccount=default, k8s:io.kubernetes.pod.namespace=default] Ports: [8080/TCP]

      Resolving egress policy for identity ingress:
      0 rule(s) select identity ingress.
      No selecting rule has egress rules, so egress policy is not enforced and everything is allowed.

      Final verdict: ALLOWED
      ----------------------------------------------------------------
      Tracing From: identity ingress [reserved:ingress] => To: identity 46017 [k8s:app=cart, k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=default, k8s:io.cilium.k8s.policy.cluster=kind-kind, k8s:io.cilium.k8s.policy.serviceaccount=default, k8s:io.kubernetes.pod.namespace=default] Ports: [8080/TCP]

      Resolving ingress policy for identity 46017:
        CiliumNetworkPolicy default/cart-from-gateway (spec) selects it, with ingress rules.
      1 rule(s) select identity 46017.
      Ingress policy is enforced with default deny: what no rule allows is dropped.
        CiliumNetworkPolicy default/cart-from-gateway spec.ingress[0] matches: it allows entity ingress on every port.

      Final verdict: ALLOWED
      "
    `);
  });
});
