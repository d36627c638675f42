# Policy tiers: Admin guardrails, the namespace owners' policies, a Baseline default.

# Cilium 1.20 enforces ClusterNetworkPolicy only when the agents are told to
# (Helm: k8sClusterNetworkPolicy.enabled=true).
cilium config set enable-k8s-cluster-network-policy true

# Three namespaces, five pods, no policy: everyone reaches everyone on 8080.
kubectl apply -f manifests/apps.yaml
kubectl get pods -A -l app
cilium-sim matrix -n monitoring -n shop -n payments --port 8080/TCP

# Layer 1, the Admin tier: monitoring always allowed, payments closed to other
# namespaces, everything else handed down with Pass.
kubectl apply -f manifests/admin-guardrails.yaml
kubectl get clusternetworkpolicies
cilium-sim matrix -n monitoring -n shop -n payments --port 8080/TCP
kubectl exec -n shop frontend -- curl -s --connect-timeout 2 http://api.payments:8080/
kubectl exec -n monitoring prometheus -- curl -s -o /dev/null -w "%{http_code}" http://api.payments:8080/

# Layer 2, the NetworkPolicy tier: the shop team lets only its frontend call its backend.
kubectl apply -f manifests/shop-backend.yaml
cilium-sim matrix -n monitoring -n shop -n payments --port 8080/TCP
# The guardrail still lets monitoring in: the Admin tier decides before the CNP.
cilium policy trace --src-k8s-pod monitoring:prometheus --dst-k8s-pod shop:backend --dport 8080/TCP

# Layer 3, the Baseline tier: a default deny for every pod no owner's policy selects.
kubectl apply -f manifests/baseline-default-deny.yaml
kubectl get clusternetworkpolicies
cilium-sim matrix -n monitoring -n shop -n payments --port 8080/TCP

# worker -> api inside payments: the lockdown's Pass hands it down, no owner's
# policy selects the api pod, so the Baseline's default deny decides.
cilium policy trace --src-k8s-pod payments:worker --dst-k8s-pod payments:api --dport 8080/TCP
kubectl exec -n payments worker -- curl -s --connect-timeout 2 http://api.payments:8080/
# Hubble names the policy that decided each drop.
hubble observe --verdict DROPPED --to-namespace payments --print-policy-names -o compact
hubble observe --type policy-verdict --to-namespace payments --last 1 -o json
