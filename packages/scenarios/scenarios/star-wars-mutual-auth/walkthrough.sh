# Mutual authentication lab: the Star Wars app, rule1, then rule1 with
# `authentication.mode: required`; Hubble, SPIRE and agent logs show what happened.

# Mutual authentication is switched on cluster-wide: listener port 4250, trust
# domain spiffe.cilium. It applies only where a policy asks for it.
cilium config view | grep mesh-auth
# Debug logs let us read the handshake later.
cilium config set debug true

# The Star Wars app and the L3/L4 rule1, fetched from the lab's URLs.
kubectl apply -f https://raw.githubusercontent.com/cilium/cilium/HEAD/examples/minikube/http-sw-app.yaml
kubectl apply -f https://raw.githubusercontent.com/cilium/cilium/HEAD/examples/minikube/sw_l3_l4_policy.yaml
kubectl get cnp rule1 -o yaml

# Empire ships land; the xwing times out (curl exit code 28).
kubectl exec tiefighter -- \
  curl -s -XPOST deathstar.default.svc.cluster.local/v1/request-landing
kubectl exec xwing -- \
  curl -s --connect-timeout 1 -XPOST deathstar.default.svc.cluster.local/v1/request-landing

# Yet any empire ship, however compromised, can blow up the deathstar.
kubectl exec tiefighter -- curl -s -XPUT deathstar.default.svc.cluster.local/v1/exhaust-port

# rule1 again, with an HTTP allow list and `authentication.mode: required`.
kubectl apply -f manifests/sw_l3_l4_l7_mutual_auth.yaml
kubectl exec tiefighter -- \
  curl -s -XPOST deathstar.default.svc.cluster.local/v1/request-landing
kubectl exec tiefighter -- \
  curl -s -XPUT deathstar.default.svc.cluster.local/v1/exhaust-port
kubectl exec xwing -- \
  curl -s --connect-timeout 1 -XPOST deathstar.default.svc.cluster.local/v1/request-landing

# Run the checks again, then ask Hubble.
kubectl exec tiefighter -- curl -s -XPOST deathstar.default.svc.cluster.local/v1/request-landing
kubectl exec xwing -- curl -s --connect-timeout 1 -XPOST deathstar.default.svc.cluster.local/v1/request-landing
# xwing: Policy denied, every time.
hubble observe --type drop --from-pod default/xwing
# tiefighter: only the very first SYN, Authentication required. It told the agent
# to authenticate the pair of identities; the retransmission a second later passed.
hubble observe --type drop --from-pod default/tiefighter
# The verdicts carry "Auth: SPIRE": DENIED once, then ALLOWED.
hubble observe --type policy-verdict --from-pod default/tiefighter

# SPIRE: a server StatefulSet and one agent per node in cilium-spire.
kubectl get all -n cilium-spire
kubectl exec -n cilium-spire spire-server-0 -c spire-server -- \
  /opt/spire/bin/spire-server healthcheck
kubectl exec -n cilium-spire spire-server-0 -c spire-server -- \
  /opt/spire/bin/spire-server agent list

# The Cilium agent and operator entries hang off the SPIRE agents' node identity.
kubectl exec -n cilium-spire spire-server-0 -c spire-server -- \
  /opt/spire/bin/spire-server entry show -parentID spiffe://spiffe.cilium/ns/cilium-spire/sa/spire-agent

# Every Cilium identity gets a SPIFFE ID: spiffe://spiffe.cilium/identity/<number>.
IDENTITY_ID=$(kubectl get cep -l app.kubernetes.io/name=deathstar -o=jsonpath='{.items[0].status.identity.id}')
echo $IDENTITY_ID
kubectl exec -n cilium-spire spire-server-0 -c spire-server -- \
  /opt/spire/bin/spire-server entry show -spiffeID spiffe://spiffe.cilium/identity/$IDENTITY_ID
# One entry per identity, created by the operator with selector cilium:mutual-auth.
kubectl exec -n cilium-spire spire-server-0 -c spire-server -- \
  /opt/spire/bin/spire-server entry show -selector cilium:mutual-auth
kubectl get ciliumidentities

# The handshake as the agents logged it: find the agent pod of each worker node.
CILIUM_KIND_WORKER=$(kubectl -n kube-system get pods -l k8s-app=cilium -o jsonpath='{.items[?(@.spec.nodeName=="kind-worker")].metadata.name}')
echo $CILIUM_KIND_WORKER
CILIUM_KIND_WORKER2=$(kubectl -n kube-system get pods -l k8s-app=cilium -o jsonpath='{.items[?(@.spec.nodeName=="kind-worker2")].metadata.name}')
echo $CILIUM_KIND_WORKER2
kubectl -n kube-system -c cilium-agent logs $CILIUM_KIND_WORKER --timestamps=true | grep "Policy is requiring authentication\|Validating Server SNI\|Validated certificate\|Successfully authenticated"
kubectl -n kube-system -c cilium-agent logs $CILIUM_KIND_WORKER2 --timestamps=true | grep "Policy is requiring authentication\|Validating Server SNI\|Validated certificate\|Successfully authenticated"
