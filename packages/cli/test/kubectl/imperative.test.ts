import { describe, expect, it } from 'vitest';
import { transcriptLine } from '../transcript.ts';
import { createSimulator } from '../../src/simulator.ts';
import { nodeHostFiles } from '../../src/node/nodeHostFiles.ts';

// kubectl's imperative verbs as a learner types them from a lab: each object built as kubectl
// builds it, the result lines and errors in kubectl's words, waits on the virtual clock.
const FILES = new Map([
  [
    'stuck.yaml',
    `apiVersion: apps/v1
kind: Deployment
metadata: { name: stuck }
spec:
  replicas: 2
  selector: { matchLabels: { app: stuck } }
  template:
    metadata: { labels: { app: stuck } }
    spec:
      nodeSelector: { disk: ssd }
      containers: [{ name: c, image: nginx }]
`,
  ],
  [
    'solo.yaml',
    `apiVersion: v1
kind: Pod
metadata: { name: solo }
spec:
  nodeSelector: { disk: ssd }
  containers: [{ name: c, image: nginx }]
`,
  ],
]);

function session(): (lines: readonly string[]) => string {
  const sim = createSimulator({ seed: 1, mutualAuth: false }, nodeHostFiles(process.cwd()), FILES);
  return (lines) => lines.map((line) => transcriptLine(sim, line)).join('');
}

describe('kubectl create <generator>', () => {
  it('creates namespaces, deployments, services, service accounts and secrets as kubectl builds them', () => {
    const run = session();
    expect(
      run([
        'kubectl create ns economy',
        'kubectl create deployment web --image=nginx:1.27-alpine --replicas=2 --port=80 -n economy',
        'kubectl create service clusterip api --tcp=80:8080 -n economy',
        'kubectl create serviceaccount robot -n economy',
        'kubectl create secret generic db --from-literal=password=s3cr,et --from-literal=user=admin -n economy',
        'kubectl get deploy web -n economy -o jsonpath={.spec.template.spec.containers[0].name}:{.spec.selector.matchLabels.app}:{.spec.replicas}',
        'kubectl get svc api -n economy -o jsonpath={.spec.ports[0].name}/{.spec.ports[0].targetPort}/{.spec.selector.app}',
        'kubectl get secret db -n economy -o jsonpath={.data.password}',
        'kubectl get sa -n economy -o name',
      ]),
    ).toMatchInlineSnapshot(`
      "$ kubectl create ns economy
      namespace/economy created
      $ kubectl create deployment web --image=nginx:1.27-alpine --replicas=2 --port=80 -n economy
      deployment.apps/web created
      $ kubectl create service clusterip api --tcp=80:8080 -n economy
      service/api created
      $ kubectl create serviceaccount robot -n economy
      serviceaccount/robot created
      $ kubectl create secret generic db --from-literal=password=s3cr,et --from-literal=user=admin -n economy
      secret/db created
      $ kubectl get deploy web -n economy -o jsonpath={.spec.template.spec.containers[0].name}:{.spec.selector.matchLabels.app}:{.spec.replicas}
      nginx:web:2$ kubectl get svc api -n economy -o jsonpath={.spec.ports[0].name}/{.spec.ports[0].targetPort}/{.spec.selector.app}
      80-8080/8080/api$ kubectl get secret db -n economy -o jsonpath={.data.password}
      czNjcixldA==$ kubectl get sa -n economy -o name
      serviceaccount/default
      serviceaccount/robot
      "
    `);
  });

  it('words refusals as kubectl does, with its exit code', () => {
    const run = session();
    expect(
      run([
        'kubectl create ns economy',
        'kubectl create namespace economy',
        'kubectl create namespace',
        'kubectl create deployment web --image=nginx -n economy',
        'kubectl create deployment web --image=nginx -n economy',
        'kubectl create deployment web --image=nginx -n nowhere',
        'kubectl create deployment web -n economy',
        'kubectl create deployment web --image=nginx --replicas=two',
        'kubectl create service clusterip api',
        'kubectl create service externaldns api --tcp=80',
        'kubectl create secret generic db --from-literal=novalue',
        'kubectl create configmap settings --from-literal=a=b',
        'kubectl create',
      ]),
    ).toMatchInlineSnapshot(`
      "$ kubectl create ns economy
      namespace/economy created
      $ kubectl create namespace economy
      Error from server (AlreadyExists): namespaces "economy" already exists
      [exit 1]
      $ kubectl create namespace
      error: exactly one NAME is required, got 0
      See 'kubectl create namespace -h' for help and examples
      [exit 1]
      $ kubectl create deployment web --image=nginx -n economy
      deployment.apps/web created
      $ kubectl create deployment web --image=nginx -n economy
      error: failed to create deployment: deployments.apps "web" already exists
      [exit 1]
      $ kubectl create deployment web --image=nginx -n nowhere
      error: failed to create deployment: namespaces "nowhere" not found
      [exit 1]
      $ kubectl create deployment web -n economy
      error: required flag(s) "image" not set
      [exit 1]
      $ kubectl create deployment web --image=nginx --replicas=two
      error: invalid argument "two" for "-r, --replicas" flag: strconv.ParseInt: parsing "two": invalid syntax
      See 'kubectl create deployment --help' for usage.
      [exit 1]
      $ kubectl create service clusterip api
      error: at least one tcp port specifier must be provided
      [exit 1]
      $ kubectl create service externaldns api --tcp=80
      error: unknown command "externaldns" for "kubectl create service"
      [exit 1]
      $ kubectl create secret generic db --from-literal=novalue
      error: invalid literal source novalue, expected key=value
      [exit 1]
      $ kubectl create configmap settings --from-literal=a=b
      error: kubectl create configmap is not modelled in cilium-sim; write the object as a manifest and kubectl apply -f it
      [exit 1]
      $ kubectl create
      error: must specify one of -f and -k
      [exit 1]
      "
    `);
  });
});

describe('kubectl run, expose, label and annotate', () => {
  it('exposes a deployment on the port the lab names, and changes labels and annotations only with --overwrite', () => {
    const run = session();
    expect(
      run([
        'kubectl create deployment web --image=nginx --port=8080',
        'kubectl expose deployment web --port=80 --target-port=8080 --name=web-svc',
        'kubectl expose deployment web --port=80 --target-port=8080 --name=web-svc',
        'kubectl expose deployment nope --port=80',
        'kubectl run client --image=curlimages/curl --labels=app=client --restart=Never',
        'kubectl expose pod client',
        'kubectl get svc web-svc -o wide',
        'kubectl exec client -- curl -s -o /dev/null -w %{http_code} http://web-svc/',
        'kubectl label pod client app=other',
        'kubectl label pod client app=other --overwrite',
        'kubectl label pod client app-',
        'kubectl annotate pod client note="first try"',
        'kubectl annotate pod client note=second',
        'kubectl annotate pod client note=second --overwrite',
        'kubectl get pod client -o jsonpath={.metadata.annotations.note}',
        'kubectl annotate pod client note-',
      ]),
    ).toMatchInlineSnapshot(`
      "$ kubectl create deployment web --image=nginx --port=8080
      deployment.apps/web created
      $ kubectl expose deployment web --port=80 --target-port=8080 --name=web-svc
      service/web-svc exposed
      $ kubectl expose deployment web --port=80 --target-port=8080 --name=web-svc
      Error from server (AlreadyExists): services "web-svc" already exists
      [exit 1]
      $ kubectl expose deployment nope --port=80
      Error from server (NotFound): deployments.apps "nope" not found
      [exit 1]
      $ kubectl run client --image=curlimages/curl --labels=app=client --restart=Never
      pod/client created
      $ kubectl expose pod client
      error: couldn't find port via --port flag or introspection
      [exit 1]
      $ kubectl get svc web-svc -o wide
      NAME      TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)   AGE   SELECTOR
      web-svc   ClusterIP   10.106.43.135   <none>        80/TCP    0s    app=web
      $ kubectl exec client -- curl -s -o /dev/null -w %{http_code} http://web-svc/
      200$ kubectl label pod client app=other
      error: 'app' already has a value (client), and --overwrite is false
      [exit 1]
      $ kubectl label pod client app=other --overwrite
      pod/client labeled
      $ kubectl label pod client app-
      pod/client unlabeled
      $ kubectl annotate pod client note="first try"
      pod/client annotated
      $ kubectl annotate pod client note=second
      error: 'note' already has a value (first try), and --overwrite is false
      [exit 1]
      $ kubectl annotate pod client note=second --overwrite
      pod/client annotated
      $ kubectl get pod client -o jsonpath={.metadata.annotations.note}
      second$ kubectl annotate pod client note-
      pod/client annotated
      "
    `);
  });

  it('deletes what a selector matches', () => {
    const run = session();
    expect(
      run([
        'kubectl create deployment web --image=nginx --replicas=2',
        'kubectl delete deployment -l app=web',
        'kubectl delete pods -l app=nothing',
        'kubectl get deploy',
      ]),
    ).toMatchInlineSnapshot(`
      "$ kubectl create deployment web --image=nginx --replicas=2
      deployment.apps/web created
      $ kubectl delete deployment -l app=web
      deployment.apps "web" deleted
      $ kubectl delete pods -l app=nothing
      No resources found
      $ kubectl get deploy
      No resources found in default namespace.
      "
    `);
  });
});

describe('kubectl wait and rollout status', () => {
  it('answers for ready objects and times out on the virtual clock for the others', () => {
    const run = session();
    expect(
      run([
        'kubectl create deployment web --image=nginx',
        'kubectl apply -f stuck.yaml',
        'kubectl wait --for=condition=Ready pod -l app=web --timeout=60s',
        'kubectl wait --for=condition=Available deployment/web',
        'kubectl wait --for=condition=Ready pod -l app=stuck --timeout=45s',
        'kubectl wait --for=condition=Ready pod -l app=none',
        'kubectl wait --for=condition=Ready pod/nope',
        'kubectl rollout status deployment/web',
        'kubectl rollout status deployment/stuck --timeout=1m',
        'kubectl rollout status deployment/stuck',
      ]),
    ).toMatchInlineSnapshot(`
      "$ kubectl create deployment web --image=nginx
      deployment.apps/web created
      $ kubectl apply -f stuck.yaml
      deployment.apps/stuck created
      $ kubectl wait --for=condition=Ready pod -l app=web --timeout=60s
      pod/web-6cbc7bcf8f-hh4v6 condition met
      $ kubectl wait --for=condition=Available deployment/web
      deployment.apps/web condition met
      $ kubectl wait --for=condition=Ready pod -l app=stuck --timeout=45s
      error: timed out waiting for the condition on pods/stuck-744f7784dc-kmzfx
      error: timed out waiting for the condition on pods/stuck-744f7784dc-vlrxj
      [exit 1]
      $ kubectl wait --for=condition=Ready pod -l app=none
      error: no matching resources found
      [exit 1]
      $ kubectl wait --for=condition=Ready pod/nope
      Error from server (NotFound): pods "nope" not found
      [exit 1]
      $ kubectl rollout status deployment/web
      deployment "web" successfully rolled out
      $ kubectl rollout status deployment/stuck --timeout=1m
      Waiting for deployment "stuck" rollout to finish: 0 of 2 updated replicas are available...
      error: timed out waiting for the condition
      [exit 1]
      $ kubectl rollout status deployment/stuck
      Waiting for deployment "stuck" rollout to finish: 0 of 2 updated replicas are available...
      error: deployment "stuck" exceeded its progress deadline
      [exit 1]
      "
    `);
  });

  it('lets the timeout pass on the virtual clock', () => {
    const sim = createSimulator({ seed: 1, mutualAuth: false }, nodeHostFiles(process.cwd()), FILES);
    sim.session.run('kubectl apply -f stuck.yaml');
    const before = sim.cluster.now().elapsedNs;
    sim.session.run('kubectl wait --for=condition=Ready pod -l app=stuck --timeout=45s');
    // Two pods, each waited on for the whole timeout, as kubectl waits for each in turn.
    expect(sim.cluster.now().elapsedNs - before).toBe(90e9);
  });
});

describe('kubectl wait --for=jsonpath', () => {
  it('compares what the expression prints with the value, and times out while they differ', () => {
    const run = session();
    expect(
      run([
        'kubectl apply -f stuck.yaml',
        'kubectl create deployment web --image=nginx',
        "kubectl wait --for=jsonpath='{.status.phase}'=Running pod -l app=web --timeout=5s",
        "kubectl wait --for=jsonpath='{.status.phase}'=Running pod -l app=stuck --timeout=5s",
        'kubectl wait --for=jsonpath=.spec.replicas=2 deployment/stuck',
        "kubectl wait --for=jsonpath='{.status.phase}' pod -l app=web",
      ]),
    ).toMatchInlineSnapshot(`
      "$ kubectl apply -f stuck.yaml
      deployment.apps/stuck created
      $ kubectl create deployment web --image=nginx
      deployment.apps/web created
      $ kubectl wait --for=jsonpath='{.status.phase}'=Running pod -l app=web --timeout=5s
      pod/web-6cbc7bcf8f-vlrxj condition met
      $ kubectl wait --for=jsonpath='{.status.phase}'=Running pod -l app=stuck --timeout=5s
      error: timed out waiting for the condition on pods/stuck-744f7784dc-hh4v6
      error: timed out waiting for the condition on pods/stuck-744f7784dc-kmzfx
      [exit 1]
      $ kubectl wait --for=jsonpath=.spec.replicas=2 deployment/stuck
      deployment.apps/stuck condition met
      $ kubectl wait --for=jsonpath='{.status.phase}' pod -l app=web
      error: jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3
      [exit 1]
      "
    `);
  });
});

describe('pod and deployment conditions', () => {
  it('writes the conditions kubelet, scheduler and deployment controller write, which waits read', () => {
    const run = session();
    expect(
      run([
        'kubectl apply -f stuck.yaml',
        'kubectl create deployment web --image=nginx',
        'kubectl run solo --image=nginx',
        `kubectl wait --for=jsonpath='{.status.conditions[?(@.type=="Ready")].status}'=True pod/solo`,
        `kubectl get pod solo -o jsonpath='{range .status.conditions[*]}{.type}={.status} {.lastTransitionTime}{"\\n"}{end}'`,
        `kubectl get pods -l app=stuck -o jsonpath='{.items[0].status.conditions}'`,
        `kubectl get deployment web -o jsonpath='{range .status.conditions[*]}{.type}={.status} {.reason}: {.message}{"\\n"}{end}'`,
        'kubectl wait --for=condition=Available=False deployment/stuck',
        'kubectl wait --for=condition=PodScheduled=false pod -l app=stuck',
      ]),
    ).toMatchInlineSnapshot(`
      "$ kubectl apply -f stuck.yaml
      deployment.apps/stuck created
      $ kubectl create deployment web --image=nginx
      deployment.apps/web created
      $ kubectl run solo --image=nginx
      pod/solo created
      $ kubectl wait --for=jsonpath='{.status.conditions[?(@.type=="Ready")].status}'=True pod/solo
      pod/solo condition met
      $ kubectl get pod solo -o jsonpath='{range .status.conditions[*]}{.type}={.status} {.lastTransitionTime}{"\\n"}{end}'
      PodReadyToStartContainers=True 2024-07-04T17:58:00Z
      Initialized=True 2024-07-04T17:58:00Z
      Ready=True 2024-07-04T17:58:00Z
      ContainersReady=True 2024-07-04T17:58:00Z
      PodScheduled=True 2024-07-04T17:58:00Z
      $ kubectl get pods -l app=stuck -o jsonpath='{.items[0].status.conditions}'
      [{"lastProbeTime":null,"lastTransitionTime":"2024-07-04T17:58:00Z","message":"0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.","reason":"Unschedulable","status":"False","type":"PodScheduled"}]$ kubectl get deployment web -o jsonpath='{range .status.conditions[*]}{.type}={.status} {.reason}: {.message}{"\\n"}{end}'
      Available=True MinimumReplicasAvailable: Deployment has minimum availability.
      Progressing=True NewReplicaSetAvailable: ReplicaSet "web-6cbc7bcf8f" has successfully progressed.
      $ kubectl wait --for=condition=Available=False deployment/stuck
      deployment.apps/stuck condition met
      $ kubectl wait --for=condition=PodScheduled=false pod -l app=stuck
      pod/stuck-744f7784dc-hh4v6 condition met
      pod/stuck-744f7784dc-kmzfx condition met
      "
    `);
  });

  it('waits up to a week on the virtual clock and refuses a longer timeout instead of cutting it short', () => {
    const sim = createSimulator({ seed: 1, mutualAuth: false }, nodeHostFiles(process.cwd()), FILES);
    sim.session.run('kubectl apply -f solo.yaml');
    const before = sim.cluster.now().elapsedNs;
    expect(transcriptLine(sim, 'kubectl wait --for=condition=Ready pod/solo --timeout=48h')).toMatchInlineSnapshot(`
      "$ kubectl wait --for=condition=Ready pod/solo --timeout=48h
      error: timed out waiting for the condition on pods/solo
      [exit 1]
      "
    `);
    expect(sim.cluster.now().elapsedNs - before).toBe(48 * 3600e9);
    expect(transcriptLine(sim, 'kubectl wait --for=condition=Ready pod/solo --timeout=-1s')).toMatchInlineSnapshot(`
      "$ kubectl wait --for=condition=Ready pod/solo --timeout=-1s
      error: timed out waiting for the condition on pods/solo
      [exit 1]
      "
    `);
    expect(sim.cluster.now().elapsedNs - before).toBe((48 + 168) * 3600e9);
    expect(transcriptLine(sim, 'kubectl wait --for=condition=Ready pod/solo --timeout=169h')).toMatchInlineSnapshot(`
      "$ kubectl wait --for=condition=Ready pod/solo --timeout=169h
      error: --timeout=169h is longer than cilium-sim waits on its virtual clock (at most 168h, kubectl's week); wait in steps or use a shorter timeout
      [exit 1]
      "
    `);
    expect(sim.cluster.now().elapsedNs - before).toBe((48 + 168) * 3600e9);
  });
});

describe('kubectl label', () => {
  it('refuses __proto__ as a key like any other bad key', () => {
    const run = session();
    expect(
      run(['kubectl run x --image=nginx', 'kubectl label pod x __proto__=1', 'kubectl run y --image=nginx --labels=__proto__=1']),
    ).toMatchInlineSnapshot(`
      "$ kubectl run x --image=nginx
      pod/x created
      $ kubectl label pod x __proto__=1
      error: invalid label spec: __proto__=1
      [exit 1]
      $ kubectl run y --image=nginx --labels=__proto__=1
      error: invalid label spec: __proto__=1
      [exit 1]
      "
    `);
  });
});

describe('kubectl describe', () => {
  it('describes pods, services and Cilium policies as kubectl prints them', () => {
    const run = session();
    run([
      'kubectl create deployment api --image=nginx --port=8080',
      'kubectl create service clusterip api --tcp=80:8080',
      'kubectl apply -f https://raw.githubusercontent.com/cilium/cilium/HEAD/examples/minikube/sw_l3_l4_policy.yaml',
      'sleep 90',
    ]);
    expect(run(['kubectl describe pod api', 'kubectl describe svc api', 'kubectl describe cnp rule1'])).toMatchInlineSnapshot(`
      "$ kubectl describe pod api
      Name:             api-f8c559fcd-hh4v6
      Namespace:        default
      Priority:         0
      Service Account:  default
      Node:             kind-worker/172.18.0.3
      Start Time:       Thu, 04 Jul 2024 17:58:00 +0000
      Labels:           app=api
                        pod-template-hash=f8c559fcd
      Annotations:      <none>
      Status:           Running
      IP:               10.244.1.21
      IPs:
        IP:           10.244.1.21
      Controlled By:  ReplicaSet/api-f8c559fcd
      Containers:
        nginx:
          Container ID:   containerd://ac66d0ca0a9631e6d2f308d5a67a6af1e6ccd3f0a957404b52fb77f8a3ccce1c
          Image:          nginx
          Image ID:       nginx@sha256:5be1ecc7935f1dd85635d4feedaf660594030253cc97c9e9ca3819ffeac36b65
          Port:           8080/TCP
          Host Port:      0/TCP
          State:          Running
            Started:      Thu, 04 Jul 2024 17:58:00 +0000
          Ready:          True
          Restart Count:  0
          Environment:    <none>
          Mounts:         <none>
      Conditions:
        Type                        Status
        PodReadyToStartContainers   True 
        Initialized                 True 
        Ready                       True 
        ContainersReady             True 
        PodScheduled                True 
      Volumes:                      <none>
      QoS Class:                    BestEffort
      Node-Selectors:               <none>
      Tolerations:                  <none>
      Events:
        Type    Reason     Age   From               Message
        ----    ------     ----  ----               -------
        Normal  Scheduled  90s   default-scheduler  Successfully assigned default/api-f8c559fcd-hh4v6 to kind-worker
        Normal  Pulled     90s   kubelet            Container image "nginx" already present on machine
        Normal  Created    90s   kubelet            Created container nginx
        Normal  Started    90s   kubelet            Started container nginx
      $ kubectl describe svc api
      Name:              api
      Namespace:         default
      Labels:            app=api
      Annotations:       <none>
      Selector:          app=api
      Type:              ClusterIP
      IP Family Policy:  SingleStack
      IP Families:       IPv4
      IP:                10.106.43.135
      IPs:               10.106.43.135
      Port:              80-8080  80/TCP
      TargetPort:        8080/TCP
      Endpoints:         10.244.1.21:8080
      Session Affinity:  None
      Events:            <none>
      $ kubectl describe cnp rule1
      Name:         rule1
      Namespace:    default
      Labels:       <none>
      Annotations:  <none>
      API Version:  cilium.io/v2
      Kind:         CiliumNetworkPolicy
      Metadata:
        Creation Timestamp:  2024-07-04T17:58:00Z
        Generation:          1
        Resource Version:    22
        UID:                 7c57a6bf-0931-4618-b498-881499bab1f1
      Spec:
        Endpoint Selector:
          Match Labels:
            Class:  deathstar
            Org:    empire
        Ingress:
          From Endpoints:
            Match Labels:
              Org:  empire
          To Ports:
            Ports:
              Port:      80
              Protocol:  TCP
      Status:
        Conditions:
          Last Transition Time:  2024-07-04T17:58:00Z
          Message:               Policy validation succeeded
          Status:                True
          Type:                  Valid
      Events:                    <none>
      "
    `);
  });

  it('refuses what it does not model and names what is missing', () => {
    const run = session();
    expect(run(['kubectl describe pod nope', 'kubectl describe deploy', 'kubectl describe pods -n kube-public'])).toMatchInlineSnapshot(`
      "$ kubectl describe pod nope
      Error from server (NotFound): pods "nope" not found
      [exit 1]
      $ kubectl describe deploy
      error: kubectl describe deployments is not modelled in cilium-sim; use kubectl get deployments -o yaml
      [exit 1]
      $ kubectl describe pods -n kube-public
      No resources found in kube-public namespace.
      "
    `);
  });
});
