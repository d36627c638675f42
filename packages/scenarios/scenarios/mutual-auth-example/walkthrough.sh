# Mutual authentication example: echo (server) and pod-worker (client).

# Deploy both workloads and the L7 policy without authentication.
kubectl apply -f https://raw.githubusercontent.com/cilium/cilium/HEAD/examples/kubernetes/servicemesh/mutual-auth-example.yaml
kubectl apply -f https://raw.githubusercontent.com/cilium/cilium/HEAD/examples/kubernetes/servicemesh/cnp-without-mutual-auth.yaml
kubectl get svc echo
kubectl get pod pod-worker

# GET /headers is allowed (200); any other path gets the proxy's 403.
kubectl exec -it pod-worker -- curl -s -o /dev/null -w "%{http_code}" http://echo:3000/headers
kubectl exec -it pod-worker -- curl http://echo:3000/headers-1

# SPIRE is healthy and has one attested agent per node.
kubectl exec -n cilium-spire spire-server-0 -c spire-server -- /opt/spire/bin/spire-server healthcheck
kubectl exec -n cilium-spire spire-server-0 -c spire-server -- /opt/spire/bin/spire-server agent list
# The Cilium agent and operator have entries of their own.
kubectl exec -n cilium-spire spire-server-0 -c spire-server -- /opt/spire/bin/spire-server entry show -parentID spiffe://spiffe.cilium/ns/cilium-spire/sa/spire-agent

# echo's SPIFFE ID is built from its Cilium identity.
IDENTITY_ID=$(kubectl get cep -l app=echo -o=jsonpath='{.items[0].status.identity.id}')
echo $IDENTITY_ID
kubectl exec -n cilium-spire spire-server-0 -c spire-server -- /opt/spire/bin/spire-server entry show -spiffeID spiffe://spiffe.cilium/identity/$IDENTITY_ID
kubectl exec -n cilium-spire spire-server-0 -c spire-server -- /opt/spire/bin/spire-server entry show -selector cilium:mutual-auth
kubectl get ciliumidentities

# Debug logging first, so the handshake triggered below is logged.
cilium config set debug true

# Same rule, now requiring mutual authentication.
kubectl apply -f https://raw.githubusercontent.com/cilium/cilium/HEAD/examples/kubernetes/servicemesh/cnp-with-mutual-auth.yaml
# The results are the same as before: authentication is invisible to the app.
kubectl exec -it pod-worker -- curl -s -o /dev/null -w "%{http_code}" http://echo:3000/headers
kubectl exec -it pod-worker -- curl http://echo:3000/headers-1

# Hubble: one SYN dropped with "Authentication required", then allowed.
hubble observe --type drop --from-pod default/pod-worker
hubble observe --type policy-verdict --from-pod default/pod-worker

# The agent on echo's node started the handshake; read its log.
ECHO_NODE=$(kubectl get pods -l app=echo -o jsonpath='{.items[0].spec.nodeName}')
CILIUM_POD=$(kubectl -n kube-system get pods -l k8s-app=cilium -o jsonpath="{.items[?(@.spec.nodeName=='$ECHO_NODE')].metadata.name}")
kubectl -n kube-system -c cilium-agent logs $CILIUM_POD --timestamps=true | grep "Policy is requiring authentication\|Validating Server SNI\|Validated certificate\|Successfully authenticated"
