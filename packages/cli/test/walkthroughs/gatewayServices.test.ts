import { describe, expect, it } from 'vitest';
import { transcript } from '../transcript.ts';

// The objects Cilium keeps beside Gateways and Ingresses: a LoadBalancer Service per Gateway and
// per dedicated Ingress (owned by it, so it goes with it and comes back while it lives), the
// shared kube-system/cilium-ingress of the Helm chart, and the `cilium` IngressClass.
const FILES = new Map([
  [
    'app.yaml',
    `apiVersion: v1
kind: Pod
metadata: { name: web, labels: { app: web } }
spec: { containers: [{ name: web, image: example/web, ports: [{ containerPort: 8080 }] }] }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { selector: { app: web }, ports: [{ port: 80, targetPort: 8080 }] }
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
  listeners: [{ name: web, protocol: HTTP, port: 80 }, { name: alt, protocol: HTTP, port: 8080 }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: shop }
spec:
  parentRefs: [{ name: shop }]
  rules: [{ backendRefs: [{ name: web, port: 80 }] }]
`,
  ],
  [
    'ingress.yaml',
    `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web }
spec:
  ingressClassName: cilium
  defaultBackend: { service: { name: web, port: { number: 80 } } }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: classless }
spec:
  defaultBackend: { service: { name: web, port: { number: 80 } } }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: for-nginx }
spec:
  ingressClassName: nginx
  defaultBackend: { service: { name: web, port: { number: 80 } } }
`,
  ],
  [
    'nginx-class.yaml',
    `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: { name: nginx }
spec:
  controller: k8s.io/ingress-nginx
  parameters: { apiGroup: k8s.nginx.org, kind: NginxIngressController, name: nginx-config }
`,
  ],
]);

const run = (lines: readonly string[]): string => transcript(FILES, lines);

describe('the Services of Gateways and Ingresses', () => {
  it('gives each Gateway a LoadBalancer Service owned by it, whose address is the Gateway’s', () => {
    expect(
      run([
        'kubectl apply -f app.yaml -f gateway.yaml',
        'cilium config set enable-gateway-api true',
        'kubectl get svc -A',
        'kubectl get gateway shop',
        'kubectl get svc cilium-gateway-shop -o yaml',
        'kubectl get endpoints cilium-gateway-shop',
        'outside -- curl -s http://172.18.255.200:8080/',
        'kubectl run client --image=curlimages/curl',
        'kubectl exec client -- curl -s http://cilium-gateway-shop/',
        'hubble observe --from-pod default/client --to-service default/cilium-gateway-shop --last 2',
        'kubectl delete svc cilium-gateway-shop',
        'kubectl get svc cilium-gateway-shop',
        'outside -- curl -s http://172.18.255.200/',
        'kubectl delete gateway shop',
        'kubectl get svc',
        'outside -- curl -s --connect-timeout 1 http://172.18.255.200/',
      ]),
    ).toMatchInlineSnapshot(`
      "$ kubectl apply -f app.yaml -f gateway.yaml
      pod/web created
      service/web created
      gatewayclass.gateway.networking.k8s.io/cilium created
      gateway.gateway.networking.k8s.io/shop created
      httproute.gateway.networking.k8s.io/shop created
      $ cilium config set enable-gateway-api true
      ✨ Patching ConfigMap cilium-config with enable-gateway-api=true...
      ♻️  Restarted Cilium pods
      $ kubectl get svc -A
      NAMESPACE      NAME                  TYPE           CLUSTER-IP       EXTERNAL-IP      PORT(S)                       AGE
      cilium-spire   spire-server          ClusterIP      10.106.43.135    <none>           8081/TCP                      10m
      default        cilium-gateway-shop   LoadBalancer   10.110.78.189    172.18.255.200   80:31724/TCP,8080:31412/TCP   0s
      default        kubernetes            ClusterIP      10.96.0.1        <none>           443/TCP                       10m
      default        web                   ClusterIP      10.100.128.115   <none>           80/TCP                        0s
      kube-system    hubble-relay          ClusterIP      10.98.165.125    <none>           80/TCP                        10m
      kube-system    hubble-ui             ClusterIP      10.97.156.62     <none>           80/TCP                        10m
      kube-system    kube-dns              ClusterIP      10.96.0.10       <none>           53/UDP,53/TCP,9153/TCP        10m
      $ kubectl get gateway shop
      NAME   CLASS    ADDRESS          PROGRAMMED   AGE
      shop   cilium   172.18.255.200   True         0s
      $ kubectl get svc cilium-gateway-shop -o yaml
      apiVersion: v1
      kind: Service
      metadata:
        creationTimestamp: "2024-07-04T17:58:00Z"
        generation: 1
        labels:
          io.cilium.gateway/owning-gateway: shop
        name: cilium-gateway-shop
        namespace: default
        ownerReferences:
        - apiVersion: gateway.networking.k8s.io/v1
          controller: true
          kind: Gateway
          name: shop
          uid: b4c83024-cef4-4475-a9ce-9e83fc89a161
        resourceVersion: "30"
        uid: ec8527f5-c97d-4f55-bd33-4c69239a67a5
      spec:
        clusterIP: 10.110.78.189
        clusterIPs:
        - 10.110.78.189
        ipFamilies:
        - IPv4
        ipFamilyPolicy: SingleStack
        loadBalancerSourceRanges:
        - 0.0.0.0/0
        - ::/0
        ports:
        - name: port-80
          nodePort: 31724
          port: 80
          protocol: TCP
          targetPort: 80
        - name: port-8080
          nodePort: 31412
          port: 8080
          protocol: TCP
          targetPort: 8080
        type: LoadBalancer
      status:
        loadBalancer:
          ingress:
          - ip: 172.18.255.200
      $ kubectl get endpoints cilium-gateway-shop
      NAME                  ENDPOINTS              AGE
      cilium-gateway-shop   192.192.192.192:9999   0s
      $ outside -- curl -s http://172.18.255.200:8080/
      GET / OK
      $ kubectl run client --image=curlimages/curl
      pod/client created
      $ kubectl exec client -- curl -s http://cilium-gateway-shop/
      GET / OK
      $ hubble observe --from-pod default/client --to-service default/cilium-gateway-shop --last 2
      Jul  4 17:58:00.036: default/client:47191 (ID:48336) -> default/cilium-gateway-shop:80 (world) http-request FORWARDED (HTTP/1.1 GET http://cilium-gateway-shop/)
      $ kubectl delete svc cilium-gateway-shop
      service "cilium-gateway-shop" deleted
      $ kubectl get svc cilium-gateway-shop
      NAME                  TYPE           CLUSTER-IP     EXTERNAL-IP      PORT(S)                       AGE
      cilium-gateway-shop   LoadBalancer   10.99.133.45   172.18.255.200   80:32688/TCP,8080:31412/TCP   0s
      $ outside -- curl -s http://172.18.255.200/
      GET / OK
      $ kubectl delete gateway shop
      gateway.gateway.networking.k8s.io "shop" deleted
      $ kubectl get svc
      NAME         TYPE        CLUSTER-IP       EXTERNAL-IP   PORT(S)   AGE
      kubernetes   ClusterIP   10.96.0.1        <none>        443/TCP   10m
      web          ClusterIP   10.100.128.115   <none>        80/TCP    0s
      $ outside -- curl -s --connect-timeout 1 http://172.18.255.200/
      [exit 28]
      "
    `);
  });

  it('installs the cilium IngressClass with the controller, and serves only the Ingresses of its class', () => {
    expect(
      run([
        'kubectl apply -f app.yaml -f ingress.yaml -f nginx-class.yaml',
        'kubectl get ingressclass',
        'cilium config set enable-ingress-controller true',
        'kubectl get ingressclass',
        'kubectl get ingress',
        'kubectl get svc -A -l cilium.io/ingress=true',
        'kubectl annotate ingressclass cilium ingressclass.kubernetes.io/is-default-class=true',
        'kubectl get ingress',
        'kubectl get svc -l cilium.io/ingress=true',
        'outside -- curl -s http://172.18.255.201/',
        'kubectl delete ingress classless',
        'kubectl get svc -l cilium.io/ingress=true',
        'cilium config set ingress-default-lb-mode shared',
        'kubectl get svc -A -l cilium.io/ingress=true',
        'kubectl get ingress web',
        'kubectl get ingressclass cilium -o yaml',
      ]),
    ).toMatchInlineSnapshot(`
      "$ kubectl apply -f app.yaml -f ingress.yaml -f nginx-class.yaml
      pod/web created
      service/web created
      ingress.networking.k8s.io/web created
      ingress.networking.k8s.io/classless created
      ingress.networking.k8s.io/for-nginx created
      ingressclass.networking.k8s.io/nginx created
      $ kubectl get ingressclass
      NAME    CONTROLLER             PARAMETERS                                          AGE
      nginx   k8s.io/ingress-nginx   NginxIngressController.k8s.nginx.org/nginx-config   0s
      $ cilium config set enable-ingress-controller true
      ✨ Patching ConfigMap cilium-config with enable-ingress-controller=true...
      ♻️  Restarted Cilium pods
      $ kubectl get ingressclass
      NAME     CONTROLLER                     PARAMETERS                                          AGE
      cilium   cilium.io/ingress-controller   <none>                                              0s
      nginx    k8s.io/ingress-nginx           NginxIngressController.k8s.nginx.org/nginx-config   0s
      $ kubectl get ingress
      NAME        CLASS    HOSTS   ADDRESS          PORTS   AGE
      classless   <none>   *                        80      0s
      for-nginx   nginx    *                        80      0s
      web         cilium   *       172.18.255.200   80      0s
      $ kubectl get svc -A -l cilium.io/ingress=true
      NAMESPACE   NAME                 TYPE           CLUSTER-IP      EXTERNAL-IP      PORT(S)        AGE
      default     cilium-ingress-web   LoadBalancer   10.110.78.189   172.18.255.200   80:31724/TCP   0s
      $ kubectl annotate ingressclass cilium ingressclass.kubernetes.io/is-default-class=true
      ingressclass.networking.k8s.io/cilium annotated
      $ kubectl get ingress
      NAME        CLASS    HOSTS   ADDRESS          PORTS   AGE
      classless   <none>   *       172.18.255.201   80      0s
      for-nginx   nginx    *                        80      0s
      web         cilium   *       172.18.255.200   80      0s
      $ kubectl get svc -l cilium.io/ingress=true
      NAME                       TYPE           CLUSTER-IP      EXTERNAL-IP      PORT(S)        AGE
      cilium-ingress-classless   LoadBalancer   10.99.133.45    172.18.255.201   80:31412/TCP   0s
      cilium-ingress-web         LoadBalancer   10.110.78.189   172.18.255.200   80:31724/TCP   0s
      $ outside -- curl -s http://172.18.255.201/
      GET / OK
      $ kubectl delete ingress classless
      ingress.networking.k8s.io "classless" deleted
      $ kubectl get svc -l cilium.io/ingress=true
      NAME                 TYPE           CLUSTER-IP      EXTERNAL-IP      PORT(S)        AGE
      cilium-ingress-web   LoadBalancer   10.110.78.189   172.18.255.200   80:31724/TCP   0s
      $ cilium config set ingress-default-lb-mode shared
      ✨ Patching ConfigMap cilium-config with ingress-default-lb-mode=shared...
      ♻️  Restarted Cilium pods
      $ kubectl get svc -A -l cilium.io/ingress=true
      NAMESPACE     NAME             TYPE           CLUSTER-IP     EXTERNAL-IP      PORT(S)                      AGE
      kube-system   cilium-ingress   LoadBalancer   10.97.171.28   172.18.255.201   80:32688/TCP,443:31412/TCP   0s
      $ kubectl get ingress web
      NAME   CLASS    HOSTS   ADDRESS          PORTS   AGE
      web    cilium   *       172.18.255.201   80      0s
      $ kubectl get ingressclass cilium -o yaml
      apiVersion: networking.k8s.io/v1
      kind: IngressClass
      metadata:
        annotations:
          ingressclass.kubernetes.io/is-default-class: "true"
        creationTimestamp: "2024-07-04T17:58:00Z"
        generation: 1
        name: cilium
        resourceVersion: "34"
        uid: 6bdf222f-cefd-4123-9a07-9dc315a8aa8a
      spec:
        controller: cilium.io/ingress-controller
      "
    `);
  });
});
