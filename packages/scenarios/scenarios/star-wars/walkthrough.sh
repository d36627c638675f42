# Star Wars demo: identity-based L3/L4 policy, then L7 (HTTP) policy.
# Run it with: cilium-sim scenario star-wars

# Deploy the app: the deathstar Service with two pods, and two ships.
kubectl create -f https://raw.githubusercontent.com/cilium/cilium/HEAD/examples/minikube/http-sw-app.yaml
kubectl get pods,svc

# One Cilium agent per node manages the endpoints of its node.
kubectl -n kube-system get pods -l k8s-app=cilium
# No policy selects any endpoint yet: enforcement is Disabled in both directions.
cilium endpoint list

# Without policy, both ships may land.
kubectl exec xwing -- curl -s -XPOST deathstar.default.svc.cluster.local/v1/request-landing
kubectl exec tiefighter -- curl -s -XPOST deathstar.default.svc.cluster.local/v1/request-landing

# L3/L4 policy: only org=empire may reach the deathstar pods on TCP port 80.
kubectl create -f https://raw.githubusercontent.com/cilium/cilium/HEAD/examples/minikube/sw_l3_l4_policy.yaml
kubectl exec tiefighter -- curl -s -XPOST deathstar.default.svc.cluster.local/v1/request-landing
# The xwing's SYN is dropped, so curl hears nothing; --connect-timeout ends the wait.
kubectl exec xwing -- curl -s --connect-timeout 2 -XPOST deathstar.default.svc.cluster.local/v1/request-landing
# Hubble names the reason: Policy denied.
hubble observe --type drop --from-pod default/xwing

# The deathstar endpoints now enforce ingress policy; egress stays open.
cilium endpoint list
kubectl get cnp

# L3/L4 is all or nothing: an empire ship can still call the maintenance API.
kubectl exec tiefighter -- curl -s -XPUT deathstar.default.svc.cluster.local/v1/exhaust-port

# L7 policy: same identity and port, but only POST /v1/request-landing.
kubectl apply -f https://raw.githubusercontent.com/cilium/cilium/HEAD/examples/minikube/sw_l3_l4_l7_policy.yaml
kubectl exec tiefighter -- curl -s -XPOST deathstar.default.svc.cluster.local/v1/request-landing
# The proxy answers the forbidden call itself: 403, body "Access denied".
kubectl exec tiefighter -- curl -s -XPUT deathstar.default.svc.cluster.local/v1/exhaust-port
# The xwing is still dropped before any proxy: a timeout, not a 403.
kubectl exec xwing -- curl -s --connect-timeout 2 -XPOST deathstar.default.svc.cluster.local/v1/request-landing

# Hubble shows the HTTP requests the proxy saw, with its verdicts.
hubble observe --pod default/tiefighter --protocol http
