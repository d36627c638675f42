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
# terminates it and forwards plain HTTP to the app on port 80.
kubectl apply -f manifests/carts-tls-upgrade.yaml
cilium endpoint list

# Same request, same answer; on the wire it now travels to port 443 inside TLS.
kubectl exec -n sock-shop deploy/front-end -- curl -s -o /dev/null -w "%{http_code}" http://carts/carts/1/items
hubble observe --from-pod sock-shop/front-end --to-port 443

# orders keeps its clear-text access to carts on port 80.
kubectl exec -n sock-shop deploy/orders -- curl -s -o /dev/null -w "%{http_code}" http://carts/carts/1/items
# catalogue was never allowed to call carts: dropped, curl times out (exit 28).
kubectl exec -n sock-shop deploy/catalogue -- curl -s --connect-timeout 2 http://carts/carts/1/items
hubble observe --type drop --to-pod sock-shop/carts
