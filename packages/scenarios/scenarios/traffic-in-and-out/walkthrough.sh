# Traffic in and out of the cluster: a fixed egress IP for a tenant, and a storefront
# reachable only through a Gateway.

# Part 1: out. The partner at 203.0.113.10 allow-lists one address.
kubectl apply -f manifests/tenant.yaml
kubectl get nodes -o wide
# Without an egress gateway every pod leaves masqueraded to its own node's address.
kubectl exec -n tenant-a deploy/billing -- curl -s http://203.0.113.10/ip

# The egress gateway needs BPF masquerading; the agent refuses to start without it.
cilium config set enable-egress-gateway true
kubectl -n kube-system logs ds/cilium | tail -1
cilium config set enable-bpf-masquerade true

# One node becomes the gateway; the policy sends tenant-a's traffic to the partner through it.
kubectl label node kind-worker2 egress-gw=true
kubectl apply -f manifests/egress-gateway.yaml
kubectl get cegp
kubectl exec -n tenant-a deploy/billing -- curl -s http://203.0.113.10/ip
# The neighbour is not selected and the status page is excluded: both keep their node's address.
kubectl exec neighbour -- curl -s http://203.0.113.10/ip
kubectl exec -n tenant-a deploy/billing -- curl -s http://203.0.113.250/ip
# Every node holds the same entries; only the gateway holds the egress IP.
kubectl -n kube-system exec ds/cilium -- cilium-dbg bpf egress list
hubble observe --to-ip 203.0.113.10 --last 2

# Part 2: in. The storefront, reachable only through a Gateway.
kubectl apply -f manifests/storefront.yaml
kubectl apply -f manifests/gateway.yaml
kubectl get gateway -n shop
cilium config set enable-gateway-api true
kubectl get gatewayclass
kubectl get gateway,httproute -n shop
outside -- curl -s -H "Host: shop.example.com" http://172.18.255.200/
outside -- curl -s -H "Host: shop.example.com" http://172.18.255.200/cart/items
# Envoy matched the route, then opened a second connection from reserved:ingress.
hubble observe --type l7
hubble observe --to-pod shop/cart

# Lock the shop down: its pods admit the ingress identity and nothing else.
kubectl apply -f manifests/only-gateway.yaml
outside -- curl -s -H "Host: shop.example.com" http://172.18.255.200/cart/items
kubectl exec -n shop reporting -- curl -s --connect-timeout 2 http://cart/api/items
hubble observe -n shop --type drop
