import { describe, expect, it } from 'vitest';
import { transcript } from '../transcript.ts';

// Ingress with ingressClassName cilium, on the Gateway machinery: a dedicated load balancer per
// Ingress by default, the shared kube-system/cilium-ingress by annotation; Cilium's path types.
const FILES = new Map([
  [
    'app.yaml',
    `apiVersion: v1
kind: Pod
metadata: { name: details, labels: { app: details } }
spec: { containers: [{ name: c, image: example/details, ports: [{ containerPort: 9080 }] }] }
---
apiVersion: v1
kind: Service
metadata: { name: details }
spec: { selector: { app: details }, ports: [{ name: http, port: 9080 }] }
`,
  ],
  [
    'ingress.yaml',
    `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: basic-ingress }
spec:
  ingressClassName: cilium
  rules:
  - http:
      paths:
      - { path: /details, pathType: Prefix, backend: { service: { name: details, port: { number: 9080 } } } }
      - { path: /exact, pathType: Exact, backend: { service: { name: details, port: { name: http } } } }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shared-one
  annotations: { ingress.cilium.io/loadbalancer-mode: shared }
spec:
  ingressClassName: cilium
  rules:
  - host: details.example.com
    http:
      paths:
      - { path: "/v[0-9]+/.*", pathType: ImplementationSpecific, backend: { service: { name: details, port: { number: 9080 } } } }
`,
  ],
  [
    'bad.yaml',
    `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: bad }
spec:
  rules:
  - http:
      paths:
      - { path: details, pathType: Prefix, backend: { service: { name: details, port: { number: 9080 } } } }
`,
  ],
]);

const run = (lines: readonly string[]): string => transcript(FILES, lines);

describe('an Ingress of class cilium', () => {
  it('gets a dedicated or the shared load balancer and routes by Cilium’s path types', () => {
    expect(
      run([
        'kubectl apply -f app.yaml -f ingress.yaml',
        'kubectl get ingress',
        'cilium config set enable-ingress-controller true',
        'kubectl get ingress',
        'outside -- curl -s http://172.18.255.200/details/1',
        'outside -- curl -s http://172.18.255.200/detailsx',
        'outside -- curl -s http://172.18.255.200/exact/more',
        'outside -- curl -s -H "Host: details.example.com" http://172.18.255.201/v1/reviews',
        'hubble observe --from-identity ingress --last 1',
        'kubectl apply -f bad.yaml',
      ]),
    ).toMatchInlineSnapshot(`
      "$ kubectl apply -f app.yaml -f ingress.yaml
      pod/details created
      service/details created
      ingress.networking.k8s.io/basic-ingress created
      ingress.networking.k8s.io/shared-one created
      $ kubectl get ingress
      NAME            CLASS    HOSTS                 ADDRESS   PORTS   AGE
      basic-ingress   cilium   *                               80      0s
      shared-one      cilium   details.example.com             80      0s
      $ cilium config set enable-ingress-controller true
      ✨ Patching ConfigMap cilium-config with enable-ingress-controller=true...
      ♻️  Restarted Cilium pods
      $ kubectl get ingress
      NAME            CLASS    HOSTS                 ADDRESS          PORTS   AGE
      basic-ingress   cilium   *                     172.18.255.200   80      0s
      shared-one      cilium   details.example.com   172.18.255.201   80      0s
      $ outside -- curl -s http://172.18.255.200/details/1
      GET /details/1 OK
      $ outside -- curl -s http://172.18.255.200/detailsx
      $ outside -- curl -s http://172.18.255.200/exact/more
      $ outside -- curl -s -H "Host: details.example.com" http://172.18.255.201/v1/reviews
      GET /v1/reviews OK
      $ hubble observe --from-identity ingress --last 1
      Jul  4 17:58:00.122: 10.244.1.255:40827 (ingress) -> default/details:9080 (ID:46017) to-endpoint FORWARDED (TCP Flags: ACK, FIN)
      $ kubectl apply -f bad.yaml
      The Ingress "bad" is invalid: spec.rules[0].http.paths[0].path: Invalid value: "details": must be an absolute path
      [exit 1]
      "
    `);
  });
});
