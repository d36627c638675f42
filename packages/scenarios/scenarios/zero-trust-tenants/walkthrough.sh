# Zero-trust tenants: same-namespace only, DNS allowed, one explicit exception.

# Three namespaces, each with a frontend (port 80) and a backend (port 8080).
kubectl apply -f manifests/tenants.yaml
kubectl get pods -A -l tier
kubectl get svc -n economy

# No policy: economy reaches first's backend, anyone reaches anyone.
kubectl exec -n economy deploy/frontend -- curl -s -o /dev/null -w "%{http_code}" http://backend.first.svc.cluster.local:8080/
kubectl exec -n economy deploy/frontend -- curl -s -o /dev/null -w "%{http_code}" http://backend:8080/

# Isolate every tenant: ingress and egress only within the namespace, plus DNS.
kubectl apply -f manifests/tenant-isolation.yaml
kubectl get cnp -A

# Inside a tenant everything still works, names still resolve.
kubectl exec -n economy deploy/frontend -- curl -s -o /dev/null -w "%{http_code}" http://backend:8080/
kubectl exec -n economy deploy/frontend -- nslookup backend.business.svc.cluster.local
# Across tenants: dropped on egress at economy's side, curl times out (exit 28).
kubectl exec -n economy deploy/frontend -- curl -s --connect-timeout 2 http://backend.first.svc.cluster.local:8080/
kubectl exec -n economy deploy/frontend -- curl -s --connect-timeout 2 http://backend.business.svc.cluster.local:8080/
hubble observe -n economy --type drop
# The DNS proxy saw every lookup.
hubble observe -n economy --protocol dns

# The exception: economy's frontend -> business's backend on 8080, allowed on
# both sides of the connection.
kubectl apply -f manifests/economy-to-business.yaml
kubectl exec -n economy deploy/frontend -- curl -s -o /dev/null -w "%{http_code}" http://backend.business.svc.cluster.local:8080/
# The exception is narrow: economy's backend still cannot reach business.
kubectl exec -n economy deploy/backend -- curl -s --connect-timeout 2 http://backend.business.svc.cluster.local:8080/
# ...and first stays closed to economy.
kubectl exec -n economy deploy/frontend -- curl -s --connect-timeout 2 http://backend.first.svc.cluster.local:8080/
hubble observe --from-namespace economy --to-namespace business
