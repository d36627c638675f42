import { describe, expect, it } from 'vitest';
import { transcript } from '../transcript.ts';

// A GRPCRoute on a Gateway: gRPC calls (HTTP/2 POSTs to /package.Service/Method) routed by
// service, method and headers through the node's Envoy, as grpcurl makes them and Hubble shows them.
const FILES = new Map([
  [
    'greeter.yaml',
    `apiVersion: v1
kind: Pod
metadata: { name: greeter-v1, labels: { app: greeter, version: v1 } }
spec: { containers: [{ name: g, image: example/greeter, ports: [{ containerPort: 50051 }] }] }
---
apiVersion: v1
kind: Pod
metadata: { name: greeter-v2, labels: { app: greeter, version: v2 } }
spec: { containers: [{ name: g, image: example/greeter, ports: [{ containerPort: 50051 }] }] }
---
apiVersion: v1
kind: Service
metadata: { name: greeter-v1 }
spec: { selector: { app: greeter, version: v1 }, ports: [{ name: grpc, port: 50051 }] }
---
apiVersion: v1
kind: Service
metadata: { name: greeter-v2 }
spec: { selector: { app: greeter, version: v2 }, ports: [{ name: grpc, port: 50051 }] }
---
apiVersion: v1
kind: Pod
metadata: { name: client, labels: { app: client } }
spec: { containers: [{ name: c, image: fullstorydev/grpcurl }] }
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
metadata: { name: grpc }
spec:
  gatewayClassName: cilium
  listeners: [{ name: grpc, protocol: HTTP, port: 80 }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: { name: greeter }
spec:
  parentRefs: [{ name: grpc }]
  hostnames: [grpc.example.com]
  rules:
  - matches:
    - method: { service: helloworld.Greeter, method: SayHello }
      headers: [{ name: env, value: canary }]
    backendRefs: [{ name: greeter-v2, port: 50051 }]
  - matches:
    - method: { type: RegularExpression, service: 'helloworld\\.Greet.*' }
    backendRefs: [{ name: greeter-v1, port: 50051, weight: 1 }, { name: greeter-v2, port: 50051, weight: 0 }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: { name: broken }
spec:
  parentRefs: [{ name: grpc }, { name: nowhere }]
  rules: [{ backendRefs: [{ name: missing, port: 50051 }] }]
`,
  ],
  [
    'bad.yaml',
    `apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: { name: bad }
spec:
  rules:
  - matches: [{ method: { type: Exact } }, { method: { service: a/b } }]
`,
  ],
]);

const run = (lines: readonly string[]): string => transcript(FILES, lines);

describe('a GRPCRoute through Envoy', () => {
  it('routes gRPC calls by service, method and header, with the route’s status as Cilium writes it', () => {
    expect(
      run([
        'kubectl apply -f greeter.yaml -f gateway.yaml',
        'cilium config set enable-gateway-api true',
        'kubectl get grpcroute',
        'kubectl get grpcroute greeter -o jsonpath={.status.parents[0].conditions}',
        'kubectl get grpcroute broken -o jsonpath={.status}',
        'kubectl get gateway grpc -o jsonpath={.status.listeners}',
        'outside -- grpcurl -plaintext -authority grpc.example.com 172.18.255.200:80 helloworld.Greeter/SayHello',
        'outside -- grpcurl -plaintext -authority grpc.example.com -H "env: canary" 172.18.255.200:80 helloworld.Greeter.SayHello',
        'hubble observe --type l7',
        'hubble observe --from-identity ingress --to-pod default/greeter-v2 --last 1',
        'outside -- grpcurl -plaintext -authority grpc.example.com 172.18.255.200:80 routeguide.RouteGuide/GetFeature',
        'outside -- grpcurl -authority grpc.example.com 172.18.255.200:80 helloworld.Greeter/SayHello',
        'kubectl exec client -- grpcurl -plaintext -d \'{"name": "sim"}\' greeter-v1:50051 helloworld.Greeter/SayHello',
        'kubectl exec client -- grpcurl -plaintext greeter-v1 helloworld.Greeter/SayHello',
        'kubectl exec client -- grpcurl -plaintext -bogus greeter-v1:50051 helloworld.Greeter/SayHello',
        'kubectl apply -f bad.yaml',
      ]),
    ).toMatchInlineSnapshot(`
      "$ kubectl apply -f greeter.yaml -f gateway.yaml
      pod/greeter-v1 created
      pod/greeter-v2 created
      service/greeter-v1 created
      service/greeter-v2 created
      pod/client created
      gatewayclass.gateway.networking.k8s.io/cilium created
      gateway.gateway.networking.k8s.io/grpc created
      grpcroute.gateway.networking.k8s.io/greeter created
      grpcroute.gateway.networking.k8s.io/broken created
      $ cilium config set enable-gateway-api true
      ✨ Patching ConfigMap cilium-config with enable-gateway-api=true...
      ♻️  Restarted Cilium pods
      $ kubectl get grpcroute
      NAME      HOSTNAMES              AGE
      broken                           0s
      greeter   ["grpc.example.com"]   0s
      $ kubectl get grpcroute greeter -o jsonpath={.status.parents[0].conditions}
      [{"lastTransitionTime":"2024-07-04T17:58:00Z","message":"Accepted GRPCRoute","observedGeneration":1,"reason":"Accepted","status":"True","type":"Accepted"},{"lastTransitionTime":"2024-07-04T17:58:00Z","message":"Service reference is valid","observedGeneration":1,"reason":"ResolvedRefs","status":"True","type":"ResolvedRefs"}]$ kubectl get grpcroute broken -o jsonpath={.status}
      {"parents":[{"conditions":[{"lastTransitionTime":"2024-07-04T17:58:00Z","message":"Accepted GRPCRoute","observedGeneration":1,"reason":"Accepted","status":"True","type":"Accepted"},{"lastTransitionTime":"2024-07-04T17:58:00Z","message":"Service \\"missing\\" not found","observedGeneration":1,"reason":"BackendNotFound","status":"False","type":"ResolvedRefs"}],"controllerName":"io.cilium/gateway-controller","parentRef":{"group":"gateway.networking.k8s.io","kind":"Gateway","name":"grpc"}},{"conditions":[{"lastTransitionTime":"2024-07-04T17:58:00Z","message":"Gateway.gateway.networking.k8s.io \\"nowhere\\" not found","observedGeneration":1,"reason":"InvalidGRPCRoute","status":"False","type":"Accepted"},{"lastTransitionTime":"2024-07-04T17:58:00Z","message":"Service \\"missing\\" not found","observedGeneration":1,"reason":"BackendNotFound","status":"False","type":"ResolvedRefs"}],"controllerName":"io.cilium/gateway-controller","parentRef":{"group":"gateway.networking.k8s.io","kind":"Gateway","name":"nowhere"}}]}$ kubectl get gateway grpc -o jsonpath={.status.listeners}
      [{"attachedRoutes":2,"conditions":[{"lastTransitionTime":"2024-07-04T17:58:00Z","message":"Listener Ready","observedGeneration":1,"reason":"Programmed","status":"True","type":"Programmed"},{"lastTransitionTime":"2024-07-04T17:58:00Z","message":"Listener Accepted","observedGeneration":1,"reason":"Accepted","status":"True","type":"Accepted"},{"lastTransitionTime":"2024-07-04T17:58:00Z","message":"Resolved Refs","observedGeneration":1,"reason":"ResolvedRefs","status":"True","type":"ResolvedRefs"}],"name":"grpc","supportedKinds":[{"group":"gateway.networking.k8s.io","kind":"HTTPRoute"},{"group":"gateway.networking.k8s.io","kind":"GRPCRoute"}]}]$ outside -- grpcurl -plaintext -authority grpc.example.com 172.18.255.200:80 helloworld.Greeter/SayHello
      {
        
      }
      $ outside -- grpcurl -plaintext -authority grpc.example.com -H "env: canary" 172.18.255.200:80 helloworld.Greeter.SayHello
      {
        
      }
      $ hubble observe --type l7
      Jul  4 17:58:00.015: 192.0.2.10:56530 (world) -> default/cilium-gateway-grpc:80 (world) http-request FORWARDED (HTTP/2 POST http://grpc.example.com/helloworld.Greeter/SayHello)
      Jul  4 17:58:00.016: 192.0.2.10:56530 (world) <- default/cilium-gateway-grpc:80 (world) http-response FORWARDED (HTTP/2 200 1ms (POST http://grpc.example.com/helloworld.Greeter/SayHello))
      Jul  4 17:58:00.051: 192.0.2.10:44356 (world) -> default/cilium-gateway-grpc:80 (world) http-request FORWARDED (HTTP/2 POST http://grpc.example.com/helloworld.Greeter/SayHello)
      Jul  4 17:58:00.053: 192.0.2.10:44356 (world) <- default/cilium-gateway-grpc:80 (world) http-response FORWARDED (HTTP/2 200 2ms (POST http://grpc.example.com/helloworld.Greeter/SayHello))
      $ hubble observe --from-identity ingress --to-pod default/greeter-v2 --last 1
      Jul  4 17:58:00.053: 10.244.1.255:40827 (ingress) -> default/greeter-v2:50051 (ID:45799) to-endpoint FORWARDED (TCP Flags: ACK, FIN)
      $ outside -- grpcurl -plaintext -authority grpc.example.com 172.18.255.200:80 routeguide.RouteGuide/GetFeature
      ERROR:
        Code: Unimplemented
        Message: unexpected HTTP status code received from server: 404 (Not Found); transport: received unexpected content-type "text/plain"
      [exit 76]
      $ outside -- grpcurl -authority grpc.example.com 172.18.255.200:80 helloworld.Greeter/SayHello
      Failed to dial target host "172.18.255.200:80": tls: first record does not look like a TLS handshake
      [exit 1]
      $ kubectl exec client -- grpcurl -plaintext -d '{"name": "sim"}' greeter-v1:50051 helloworld.Greeter/SayHello
      {
        
      }
      $ kubectl exec client -- grpcurl -plaintext greeter-v1 helloworld.Greeter/SayHello
      Failed to dial target host "greeter-v1": dial tcp: address greeter-v1: missing port in address
      command terminated with exit code 1
      [exit 1]
      $ kubectl exec client -- grpcurl -plaintext -bogus greeter-v1:50051 helloworld.Greeter/SayHello
      flag provided but not defined: -bogus
      Try 'grpcurl -help' for more details.
      command terminated with exit code 2
      [exit 2]
      $ kubectl apply -f bad.yaml
      The GRPCRoute "bad" is invalid: 
      * spec.rules[0].matches[0].method: Invalid value: "object": One or both of 'service' or 'method' must be specified
      * spec.rules[0].matches[1].method.service: Invalid value: "a/b": service in body should match '^[^/]+$'
      [exit 1]
      "
    `);
  });
});
