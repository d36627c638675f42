import { describe, expect, it } from 'vitest';
import { transcript } from '../transcript.ts';

// The ingress identity (reserved:ingress, ID 8) in the policy author's tools: with Gateway API on,
// the matrix has a row for it (Envoy's second leg to the backends) and a column (the clients'
// first leg, checked against its own ingress policy in Envoy); `cilium policy trace` traces its
// egress policy as well as the backend's ingress policy.
const FILES = new Map([
  [
    'shop.yaml',
    `apiVersion: v1
kind: Pod
metadata: { name: web, labels: { app: web } }
spec: { containers: [{ name: web, image: example/web, ports: [{ containerPort: 8080 }] }] }
---
apiVersion: v1
kind: Pod
metadata: { name: cart, labels: { app: cart } }
spec: { containers: [{ name: cart, image: example/cart, ports: [{ containerPort: 8080 }] }] }
---
apiVersion: v1
kind: Pod
metadata: { name: client, labels: { app: client } }
spec: { containers: [{ name: c, image: curlimages/curl }] }
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
  [
    'gateway-to-web.yaml',
    `apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: { name: gateway-to-web }
spec:
  endpointSelector: { matchExpressions: [{ key: reserved:ingress, operator: Exists }] }
  egress: [{ toEndpoints: [{ matchLabels: { app: web } }] }]
`,
  ],
]);

const run = (lines: readonly string[]): string => transcript(FILES, lines);

describe('the ingress identity in the matrix and in policy trace', () => {
  it('shows the Gateway’s leg allowed and direct pod-to-pod traffic denied', () => {
    expect(
      run([
        'kubectl apply -f shop.yaml -f only-ingress.yaml',
        'cilium-sim matrix --port 8080',
        'cilium config set enable-gateway-api true',
        'cilium-sim matrix --port 8080',
        'cilium-sim matrix --port 8080 --by identity -o csv',
      ]),
    ).toMatchInlineSnapshot(`
      "$ kubectl apply -f shop.yaml -f only-ingress.yaml
      pod/web created
      pod/cart created
      pod/client created
      ciliumnetworkpolicy.cilium.io/cart-from-gateway created
      $ cilium-sim matrix --port 8080
      probe on port 8080, protocol TCP
      Ingress:
      +----------------+--------------+----------------+-------------+
      |                | DEFAULT/CART | DEFAULT/CLIENT | DEFAULT/WEB |
      +----------------+--------------+----------------+-------------+
      | default/cart   | #            | .              | .           |
      | default/client | X            | #              | .           |
      | default/web    | X            | .              | #           |
      +----------------+--------------+----------------+-------------+

      Egress:
      +----------------+--------------+----------------+-------------+
      |                | DEFAULT/CART | DEFAULT/CLIENT | DEFAULT/WEB |
      +----------------+--------------+----------------+-------------+
      | default/cart   | #            | .              | .           |
      | default/client | .            | #              | .           |
      | default/web    | .            | .              | #           |
      +----------------+--------------+----------------+-------------+

      Combined:
      +----------------+--------------+----------------+-------------+
      |                | DEFAULT/CART | DEFAULT/CLIENT | DEFAULT/WEB |
      +----------------+--------------+----------------+-------------+
      | default/cart   | #            | .              | .           |
      | default/client | X            | #              | .           |
      | default/web    | X            | .              | #           |
      +----------------+--------------+----------------+-------------+
      $ cilium config set enable-gateway-api true
      ✨ Patching ConfigMap cilium-config with enable-gateway-api=true...
      ♻️  Restarted Cilium pods
      $ cilium-sim matrix --port 8080
      probe on port 8080, protocol TCP
      Ingress:
      +------------------+------------------+--------------+----------------+-------------+
      |                  | RESERVED:INGRESS | DEFAULT/CART | DEFAULT/CLIENT | DEFAULT/WEB |
      +------------------+------------------+--------------+----------------+-------------+
      | reserved:ingress | #                | .            | .              | .           |
      | default/cart     | .                | #            | .              | .           |
      | default/client   | .                | X            | #              | .           |
      | default/web      | .                | X            | .              | #           |
      +------------------+------------------+--------------+----------------+-------------+

      Egress:
      +------------------+------------------+--------------+----------------+-------------+
      |                  | RESERVED:INGRESS | DEFAULT/CART | DEFAULT/CLIENT | DEFAULT/WEB |
      +------------------+------------------+--------------+----------------+-------------+
      | reserved:ingress | #                | .            | .              | .           |
      | default/cart     | .                | #            | .              | .           |
      | default/client   | .                | .            | #              | .           |
      | default/web      | .                | .            | .              | #           |
      +------------------+------------------+--------------+----------------+-------------+

      Combined:
      +------------------+------------------+--------------+----------------+-------------+
      |                  | RESERVED:INGRESS | DEFAULT/CART | DEFAULT/CLIENT | DEFAULT/WEB |
      +------------------+------------------+--------------+----------------+-------------+
      | reserved:ingress | #                | .            | .              | .           |
      | default/cart     | .                | #            | .              | .           |
      | default/client   | .                | X            | #              | .           |
      | default/web      | .                | X            | .              | #           |
      +------------------+------------------+--------------+----------------+-------------+
      $ cilium-sim matrix --port 8080 --by identity -o csv
      source,destination,port,protocol,ingress,egress,combined
      reserved:ingress,reserved:ingress,8080,TCP,allowed,allowed,allowed
      reserved:ingress,default/cart,8080,TCP,allowed,allowed,allowed
      reserved:ingress,default/client,8080,TCP,allowed,allowed,allowed
      reserved:ingress,default/web,8080,TCP,allowed,allowed,allowed
      default/cart,reserved:ingress,8080,TCP,allowed,allowed,allowed
      default/cart,default/cart,8080,TCP,denied,allowed,denied
      default/cart,default/client,8080,TCP,allowed,allowed,allowed
      default/cart,default/web,8080,TCP,allowed,allowed,allowed
      default/client,reserved:ingress,8080,TCP,allowed,allowed,allowed
      default/client,default/cart,8080,TCP,denied,allowed,denied
      default/client,default/client,8080,TCP,allowed,allowed,allowed
      default/client,default/web,8080,TCP,allowed,allowed,allowed
      default/web,reserved:ingress,8080,TCP,allowed,allowed,allowed
      default/web,default/cart,8080,TCP,denied,allowed,denied
      default/web,default/client,8080,TCP,allowed,allowed,allowed
      default/web,default/web,8080,TCP,allowed,allowed,allowed
      "
    `);
  });

  it('traces the ingress identity’s own egress policy, which Envoy enforces', () => {
    expect(
      run([
        'kubectl apply -f shop.yaml -f only-ingress.yaml -f gateway-to-web.yaml',
        'cilium config set enable-gateway-api true',
        'cilium policy trace --src-identity 8 --dst-k8s-pod default:cart --dport 8080',
        'cilium policy trace --src-identity 8 --dst-k8s-pod default:web --dport 8080',
        'cilium-sim matrix --port 8080',
      ]),
    ).toMatchInlineSnapshot(`
      "$ kubectl apply -f shop.yaml -f only-ingress.yaml -f gateway-to-web.yaml
      pod/web created
      pod/cart created
      pod/client created
      ciliumnetworkpolicy.cilium.io/cart-from-gateway created
      ciliumclusterwidenetworkpolicy.cilium.io/gateway-to-web created
      $ cilium config set enable-gateway-api true
      ✨ Patching ConfigMap cilium-config with enable-gateway-api=true...
      ♻️  Restarted Cilium pods
      $ cilium policy trace --src-identity 8 --dst-k8s-pod default:cart --dport 8080
      ----------------------------------------------------------------
      Tracing From: identity ingress [reserved:ingress] => To: identity 46017 [k8s:app=cart, k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=default, k8s:io.cilium.k8s.policy.cluster=kind-kind, k8s:io.cilium.k8s.policy.serviceaccount=default, k8s:io.kubernetes.pod.namespace=default] Ports: [8080/TCP]

      Resolving egress policy for identity ingress:
        CiliumClusterwideNetworkPolicy gateway-to-web (spec) selects it, with egress rules.
      1 rule(s) select identity ingress.
      Egress policy is enforced with default deny: what no rule allows is dropped.
        CiliumClusterwideNetworkPolicy gateway-to-web spec.egress[0] does not apply: it selects endpoints with any:app=web,k8s:io.kubernetes.pod.namespace, and identity 46017 has k8s:app=cart (needs any:app=web).

      Final verdict: DENIED (Policy denied)
      ----------------------------------------------------------------
      Tracing From: identity ingress [reserved:ingress] => To: identity 46017 [k8s:app=cart, k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=default, k8s:io.cilium.k8s.policy.cluster=kind-kind, k8s:io.cilium.k8s.policy.serviceaccount=default, k8s:io.kubernetes.pod.namespace=default] Ports: [8080/TCP]

      Resolving ingress policy for identity 46017:
        CiliumNetworkPolicy default/cart-from-gateway (spec) selects it, with ingress rules.
      1 rule(s) select identity 46017.
      Ingress policy is enforced with default deny: what no rule allows is dropped.
        CiliumNetworkPolicy default/cart-from-gateway spec.ingress[0] matches: it allows entity ingress on every port.

      Final verdict: ALLOWED
      $ cilium policy trace --src-identity 8 --dst-k8s-pod default:web --dport 8080
      ----------------------------------------------------------------
      Tracing From: identity ingress [reserved:ingress] => To: identity 45799 [k8s:app=web, k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=default, k8s:io.cilium.k8s.policy.cluster=kind-kind, k8s:io.cilium.k8s.policy.serviceaccount=default, k8s:io.kubernetes.pod.namespace=default] Ports: [8080/TCP]

      Resolving egress policy for identity ingress:
        CiliumClusterwideNetworkPolicy gateway-to-web (spec) selects it, with egress rules.
      1 rule(s) select identity ingress.
      Egress policy is enforced with default deny: what no rule allows is dropped.
        CiliumClusterwideNetworkPolicy gateway-to-web spec.egress[0] matches: it allows endpoints with any:app=web,k8s:io.kubernetes.pod.namespace on every port.

      Final verdict: ALLOWED
      ----------------------------------------------------------------
      Tracing From: identity ingress [reserved:ingress] => To: identity 45799 [k8s:app=web, k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=default, k8s:io.cilium.k8s.policy.cluster=kind-kind, k8s:io.cilium.k8s.policy.serviceaccount=default, k8s:io.kubernetes.pod.namespace=default] Ports: [8080/TCP]

      Resolving ingress policy for identity 45799:
      0 rule(s) select identity 45799.
      No selecting rule has ingress rules, so ingress policy is not enforced and everything is allowed.

      Final verdict: ALLOWED
      $ cilium-sim matrix --port 8080
      probe on port 8080, protocol TCP
      Ingress:
      +------------------+------------------+--------------+----------------+-------------+
      |                  | RESERVED:INGRESS | DEFAULT/CART | DEFAULT/CLIENT | DEFAULT/WEB |
      +------------------+------------------+--------------+----------------+-------------+
      | reserved:ingress | #                | .            | .              | .           |
      | default/cart     | .                | #            | .              | .           |
      | default/client   | .                | X            | #              | .           |
      | default/web      | .                | X            | .              | #           |
      +------------------+------------------+--------------+----------------+-------------+

      Egress:
      +------------------+------------------+--------------+----------------+-------------+
      |                  | RESERVED:INGRESS | DEFAULT/CART | DEFAULT/CLIENT | DEFAULT/WEB |
      +------------------+------------------+--------------+----------------+-------------+
      | reserved:ingress | #                | X            | X              | .           |
      | default/cart     | .                | #            | .              | .           |
      | default/client   | .                | .            | #              | .           |
      | default/web      | .                | .            | .              | #           |
      +------------------+------------------+--------------+----------------+-------------+

      Combined:
      +------------------+------------------+--------------+----------------+-------------+
      |                  | RESERVED:INGRESS | DEFAULT/CART | DEFAULT/CLIENT | DEFAULT/WEB |
      +------------------+------------------+--------------+----------------+-------------+
      | reserved:ingress | #                | X            | X              | .           |
      | default/cart     | .                | #            | .              | .           |
      | default/client   | .                | X            | #              | .           |
      | default/web      | .                | X            | .              | #           |
      +------------------+------------------+--------------+----------------+-------------+
      "
    `);
  });
});
