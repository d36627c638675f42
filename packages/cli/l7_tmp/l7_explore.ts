import { createSimulator } from '../src/simulator.ts';
import { runScript } from '../src/shell/script.ts';

const files = new Map<string, string>([
['pods.yaml', `apiVersion: v1
kind: Pod
metadata: { name: mediabot, labels: { org: empire, class: mediabot, app: test-app } }
spec: { containers: [{ name: c, image: quay.io/cilium/json-mock:v1.3.8 }] }
---
apiVersion: v1
kind: Pod
metadata: { name: client, labels: { app: client } }
spec: { containers: [{ name: c, image: nicolaka/netshoot }] }
---
apiVersion: v1
kind: Pod
metadata: { name: svc1, labels: { app: myService } }
spec: { containers: [{ name: c, image: nginx, ports: [{containerPort: 80}] }] }
`],
['dns.yaml', `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: fqdn }
spec:
  endpointSelector: { matchLabels: { org: empire, class: mediabot } }
  egress:
  - toEndpoints:
    - matchLabels:
        "k8s:io.kubernetes.pod.namespace": kube-system
        "k8s:k8s-app": kube-dns
    toPorts:
    - ports: [{ port: "53", protocol: ANY }]
      rules:
        dns:
        - matchPattern: "*"
  - toFQDNs:
    - matchName: "api.github.com"
`],
['dnsname.yaml', `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: fqdn }
spec:
  endpointSelector: { matchLabels: { org: empire, class: mediabot } }
  egress:
  - toEndpoints:
    - matchLabels:
        "k8s:io.kubernetes.pod.namespace": kube-system
        "k8s:k8s-app": kube-dns
    toPorts:
    - ports: [{ port: "53", protocol: ANY }]
      rules:
        dns:
        - matchName: "api.github.com"
  - toFQDNs:
    - matchName: "api.github.com"
`],
['nol7.yaml', `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: to-fqdn }
spec:
  endpointSelector: { matchLabels: { app: test-app } }
  egress:
    - toEndpoints:
      - matchLabels:
          "k8s:io.kubernetes.pod.namespace": kube-system
          "k8s:k8s-app": kube-dns
    - toFQDNs:
        - matchName: "api.github.com"
`],
['sni.yaml', `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: sni }
spec:
  endpointSelector: { matchLabels: { org: empire, class: mediabot } }
  egress:
  - toEndpoints:
    - matchLabels:
        "k8s:io.kubernetes.pod.namespace": kube-system
        "k8s:k8s-app": kube-dns
    toPorts:
    - ports: [{ port: "53", protocol: ANY }]
      rules:
        dns:
        - matchPattern: "*"
  - toFQDNs:
    - matchName: "amit.cilium.rocks"
    - matchName: "google.com"
    toPorts:
    - ports: [{ port: "443", protocol: TCP }]
      serverNames:
      - amit.cilium.rocks
`],
['http.yaml', `apiVersion: "cilium.io/v2"
kind: CiliumNetworkPolicy
metadata:
  name: "l7-rule"
spec:
  endpointSelector:
    matchLabels:
      app: myService
  ingress:
  - toPorts:
    - ports:
      - port: '80'
        protocol: TCP
      rules:
        http:
        - method: GET
          path: "/path1$"
        - method: PUT
          path: "/path2$"
          headers:
          - 'X-My-Header: true'
`],
]);

const scripts: Record<string, string> = {
  dns: `kubectl apply -f pods.yaml
kubectl apply -f dns.yaml
kubectl exec mediabot -- curl -s -o /dev/null -w '%{http_code}' https://api.github.com
kubectl exec mediabot -- curl -s --connect-timeout 2 https://support.github.com
kubectl exec mediabot -- nslookup google.com
hubble observe --type l7 --last 6
hubble observe --pod mediabot --protocol dns --last 4
hubble observe --pod mediabot --type drop
cilium fqdn cache list
sleep 31s
kubectl exec mediabot -- curl -s --connect-timeout 2 --resolve api.github.com:443:140.82.121.6 https://api.github.com
hubble observe --pod mediabot --type drop --last 2
`,
  dnsname: `kubectl apply -f pods.yaml
kubectl apply -f dnsname.yaml
kubectl exec mediabot -- curl -s -o /dev/null -w '%{http_code}' https://api.github.com
kubectl exec mediabot -- nslookup google.com
kubectl exec mediabot -- nslookup api.github.com
hubble observe --pod mediabot --protocol dns --last 8
`,
  nol7: `kubectl apply -f pods.yaml
kubectl apply -f nol7.yaml
kubectl exec mediabot -- curl -s --connect-timeout 2 https://api.github.com
hubble observe --pod mediabot --type drop
`,
  sni: `kubectl apply -f pods.yaml
kubectl apply -f sni.yaml
kubectl exec mediabot -- curl -s -o /dev/null -w '%{http_code}' https://amit.cilium.rocks
kubectl exec mediabot -- curl -s --connect-timeout 2 https://google.com
kubectl exec mediabot -- curl -s --connect-timeout 2 --resolve amit.cilium.rocks:443:142.250.185.78 https://amit.cilium.rocks
hubble observe --pod mediabot --last 12
`,
  http: `kubectl apply -f pods.yaml
kubectl apply -f http.yaml
kubectl exec client -- curl -s http://SVC/path1
kubectl exec client -- curl -s http://SVC/path1x
kubectl exec client -- curl -s -X PUT http://SVC/path2
kubectl exec client -- curl -s -X PUT -H 'X-My-Header: true' http://SVC/path2
hubble observe --type l7 --http-method PUT
hubble observe --type l7 --http-status 403
hubble observe --type l7 --http-path '/path1'
`,
};
const which = process.argv[2] ?? 'dns';
const sim = createSimulator({ seed: 1, mutualAuth: false }, process.cwd(), files);
let script = scripts[which]!;
if (script.includes('SVC')) {
  sim.session.run('kubectl apply -f pods.yaml');
  script = script.replaceAll('SVC', sim.cluster.get('Pod', 'svc1', 'default')!.status.podIP!);
}
const r = runScript(script, sim.session, { name: 'x.sh' });
console.log(r.transcript);
