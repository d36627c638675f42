# One intent, two APIs: "only frontend may call backend".

kubectl apply -f manifests/app.yaml
kubectl get pods -o wide
# Without policy both clients get through.
kubectl exec frontend -- curl -s -o /dev/null -w "%{http_code}" http://backend/api/health
kubectl exec intruder -- curl -s -o /dev/null -w "%{http_code}" http://backend/api/health

# 1. Kubernetes NetworkPolicy. Cilium enforces it like any Cilium rule.
kubectl apply -f manifests/knp-backend-allow-frontend.yaml
kubectl get networkpolicy
kubectl exec frontend -- curl -s -o /dev/null -w "%{http_code}" http://backend/api/health
kubectl exec intruder -- curl -s --connect-timeout 2 http://backend/api/health
hubble observe --type drop --from-pod default/intruder
kubectl delete -f manifests/knp-backend-allow-frontend.yaml

# 2. The same intent as a CiliumNetworkPolicy: identical verdicts.
kubectl apply -f manifests/cnp-backend-allow-frontend.yaml
kubectl get cnp
kubectl exec frontend -- curl -s -o /dev/null -w "%{http_code}" http://backend/api/health
kubectl exec intruder -- curl -s --connect-timeout 2 http://backend/api/health
# Both policies were selecting the same endpoints with the same peer and port.
cilium endpoint list

# 3. What only Cilium can say: which HTTP requests frontend may send.
kubectl apply -f manifests/cnp-backend-l7.yaml
kubectl exec frontend -- curl -s -o /dev/null -w "%{http_code}" http://backend/api/health
# Not a GET: the proxy answers 403.
kubectl exec frontend -- curl -s -X POST http://backend/api/health
# Not under /api/: 403 as well.
kubectl exec frontend -- curl -s http://backend/admin
# intruder never reaches the proxy: still a timeout.
kubectl exec intruder -- curl -s --connect-timeout 2 http://backend/api/health
hubble observe --from-pod default/frontend --protocol http
