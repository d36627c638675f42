# sock-shop: upgrade front-end -> carts from HTTP to TLS, authenticated by SPIFFE IDs.

# Deploy the shop.
kubectl apply -f manifests/sock-shop.yaml
kubectl get pods -n sock-shop
kubectl get svc -n sock-shop

# Today front-end reads carts in clear text on port 80; Hubble can read every request.
kubectl exec -n sock-shop deploy/front-end -- curl -s -o /dev/null -w "%{http_code}" http://carts/carts/1/items
hubble observe --to-pod sock-shop/carts

# Register the node identity of the SPIRE agents and the two workloads, by hand,
# in trust domain example.org. Workload selectors: namespace and pod label.
kubectl exec -n cilium-spire spire-server-0 -c spire-server -- \
  /opt/spire/bin/spire-server entry create -node \
  -spiffeID spiffe://example.org/ns/cilium-spire/sa/spire-agent \
  -selector k8s_psat:agent_ns:cilium-spire \
  -selector k8s_psat:agent_sa:spire-agent
kubectl exec -n cilium-spire spire-server-0 -c spire-server -- \
  /opt/spire/bin/spire-server entry create \
  -spiffeID spiffe://example.org/front-end \
  -parentID spiffe://example.org/ns/cilium-spire/sa/spire-agent \
  -selector k8s:ns:sock-shop \
  -selector k8s:pod-label:name:front-end
kubectl exec -n cilium-spire spire-server-0 -c spire-server -- \
  /opt/spire/bin/spire-server entry create \
  -spiffeID spiffe://example.org/carts \
  -parentID spiffe://example.org/ns/cilium-spire/sa/spire-agent \
  -selector k8s:ns:sock-shop \
  -selector k8s:pod-label:name:carts
kubectl exec -n cilium-spire spire-server-0 -c spire-server -- \
  /opt/spire/bin/spire-server entry show -spiffeID spiffe://example.org/carts

# The upgrade: front-end's proxy originates TLS to carts:443, carts' proxy
# terminates it and forwards plain HTTP to the app on port 80. Each endpoint now
# carries its SPIFFE ID as a label (a new identity), and policies can select it.
kubectl apply -f manifests/carts-tls-upgrade.yaml
cilium endpoint list | grep -B5 spiffe

# Same request, same answer; front-end's proxy saw it for carts:80, carts' proxy
# received it on 443 inside TLS, and the app got it on 80 again.
kubectl exec -n sock-shop deploy/front-end -- curl -s -o /dev/null -w "%{http_code}" http://carts/carts/1/items
hubble observe --from-pod sock-shop/front-end --to-pod sock-shop/carts --protocol http

# orders keeps its clear-text access to carts on port 80.
kubectl exec -n sock-shop deploy/orders -- curl -s -o /dev/null -w "%{http_code}" http://carts/carts/1/items
# catalogue was never allowed to call carts: dropped, curl times out (exit 28).
kubectl exec -n sock-shop deploy/catalogue -- curl -s --connect-timeout 2 http://carts/carts/1/items
hubble observe --type drop --to-pod sock-shop/carts

# A peer ID not in the list: orders gets its own SPIFFE ID and the same upgrade,
# but carts' proxy accepts only spiffe://example.org/front-end. The handshake
# fails and orders' proxy answers its app with Envoy's 503.
kubectl exec -n cilium-spire spire-server-0 -c spire-server -- \
  /opt/spire/bin/spire-server entry create \
  -spiffeID spiffe://example.org/orders \
  -parentID spiffe://example.org/ns/cilium-spire/sa/spire-agent \
  -selector k8s:ns:sock-shop \
  -selector k8s:pod-label:name:orders
kubectl apply -f manifests/orders-tls-upgrade.yaml
kubectl exec -n sock-shop deploy/orders -- curl -s http://carts/carts/1/items
hubble observe --pod sock-shop/orders --protocol http
