# Zero-trust tenants: same-namespace only, DNS allowed, one explicit exception.

# Three tenants, named after the seating classes of an airline.
kubectl create ns economy
kubectl create ns business
kubectl create ns first

# The same app in each: frontend-service and backend-service, both on port 80.
kubectl create -f https://raw.githubusercontent.com/seanmwinn/cilium-hands-on-lab/master/tenant-services.yaml -n economy
kubectl create -f https://raw.githubusercontent.com/seanmwinn/cilium-hands-on-lab/master/tenant-services.yaml -n business
kubectl create -f https://raw.githubusercontent.com/seanmwinn/cilium-hands-on-lab/master/tenant-services.yaml -n first
kubectl wait --for=condition=Ready pod --all -n economy --timeout=60s
kubectl get pods -n economy -o wide
kubectl get svc -n economy

# No policy: economy reaches first's backend, anyone reaches anyone.
kubectl exec -n economy frontend-service -- curl -s -o /dev/null -w "%{http_code}" http://backend-service.first.svc.cluster.local/
kubectl exec -n economy frontend-service -- curl -s -o /dev/null -w "%{http_code}" http://backend-service/

# Isolate every tenant: ingress and egress only within the namespace, plus DNS.
kubectl apply -n economy -f manifests/allow-all-within-ns.yaml
kubectl apply -n economy -f manifests/to-dns-only.yaml
kubectl apply -n business -f manifests/allow-all-within-ns.yaml
kubectl apply -n business -f manifests/to-dns-only.yaml
kubectl apply -n first -f manifests/allow-all-within-ns.yaml
kubectl apply -n first -f manifests/to-dns-only.yaml
kubectl get cnp -A

# Inside a tenant everything still works, names still resolve.
kubectl exec -n economy frontend-service -- curl -s -o /dev/null -w "%{http_code}" http://backend-service/
kubectl exec -n economy frontend-service -- nslookup backend-service.business.svc.cluster.local
# Across tenants: dropped on egress at economy's side, curl times out (exit 28).
kubectl exec -n economy frontend-service -- curl -s --connect-timeout 2 http://backend-service.first.svc.cluster.local/
kubectl exec -n economy frontend-service -- curl -s --connect-timeout 2 http://backend-service.business.svc.cluster.local/
hubble observe -n economy --type drop
# The DNS proxy saw every lookup.
hubble observe -n economy --protocol dns

# The exception: economy's frontend-service -> business's backend-service on 80,
# allowed on both sides of the connection.
kubectl apply -f manifests/economy-to-business.yaml
kubectl describe cnp allow-frontend-to-business-backend -n economy
kubectl exec -n economy frontend-service -- curl -s -o /dev/null -w "%{http_code}" http://backend-service.business.svc.cluster.local/
# The exception is narrow: economy's backend-service still cannot reach business.
kubectl exec -n economy backend-service -- curl -s --connect-timeout 2 http://backend-service.business.svc.cluster.local/
# ...and first stays closed to economy.
kubectl exec -n economy frontend-service -- curl -s --connect-timeout 2 http://backend-service.first.svc.cluster.local/
hubble observe --from-namespace economy --to-namespace business
