import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../src/simulator.ts';

// The install's DaemonSets and StatefulSet are objects of the API server like any other: deleting
// one deletes its pods (background cascading deletion) and nothing makes them again, as after
// `kubectl delete` of a Helm-installed workload, until it is applied again.
function session() {
  return createSimulator({ seed: 1 }).session;
}

describe('kubectl delete daemonset cilium -n kube-system', () => {
  it('removes the agents; cilium status says the DaemonSet is missing and new pods wait for the network', () => {
    const s = session();

    expect(s.run('kubectl delete daemonset cilium -n kube-system').output).toBe('daemonset.apps "cilium" deleted\n');
    expect(s.run('kubectl get ds -n kube-system').output).toMatchInlineSnapshot(`
      "NAME           DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE
      cilium-envoy   3         3         3       3            3           <none>          10m
      "
    `);
    expect(s.run('kubectl get pods -n kube-system -l k8s-app=cilium').output).toMatchInlineSnapshot(`
      "No resources found in kube-system namespace.
      "
    `);
    expect(s.run('cilium status').output).toMatchInlineSnapshot(`
      "    /¯¯\\
       /¯¯\\__/¯¯\\    Cilium:             1 errors
       \\__/¯¯\\__/    Operator:           OK
       /¯¯\\__/¯¯\\    Envoy DaemonSet:    OK
       \\__/¯¯\\__/    Hubble Relay:       OK
          \\__/       ClusterMesh:        disabled

      DaemonSet              cilium-envoy       Desired: 3, Ready: 3/3, Available: 3/3
      Deployment             cilium-operator    Desired: 1, Ready: 1/1, Available: 1/1
      Deployment             hubble-relay       Desired: 1, Ready: 1/1, Available: 1/1
      Deployment             hubble-ui          Desired: 1, Ready: 1/1, Available: 1/1
      Containers:            cilium-envoy       Running: 3
                             cilium-operator    Running: 1
                             hubble-relay       Running: 1
                             hubble-ui          Running: 1
      Cluster Pods:          6/6 managed by Cilium
      Helm chart version:    1.16.0
      Image versions         cilium-envoy       quay.io/cilium/cilium-envoy:v1.29.7-39a2a56bbd5b3a591f69dbca51d3e30ef97e0e51: 3
                             cilium-operator    quay.io/cilium/operator-generic:v1.16.0: 1
                             hubble-relay       quay.io/cilium/hubble-relay:v1.16.0: 1
                             hubble-ui          quay.io/cilium/hubble-ui-backend:v0.13.1: 1
                             hubble-ui          quay.io/cilium/hubble-ui:v0.13.1: 1
      Errors:                cilium             cilium    daemonsets.apps "cilium" not found
      "
    `);

    s.run('kubectl run client --image=nicolaka/netshoot');
    expect(s.run('kubectl get pods -o wide').output).toMatchInlineSnapshot(`
      "NAME     READY   STATUS              RESTARTS   AGE   IP       NODE          NOMINATED NODE   READINESS GATES
      client   0/1     ContainerCreating   0          0s    <none>   kind-worker   <none>           <none>
      "
    `);
    expect(s.run('cilium endpoint list | grep -c client').stdout).toBe('0\n');
    expect(s.run('kubectl describe pod client | grep FailedCreatePodSandBox').stdout).toContain(
      'plugin type="cilium-cni" failed (add): unable to connect to Cilium daemon',
    );
    // kubectl exec ds/cilium finds no DaemonSet; it never falls back to cilium-envoy's pods.
    expect(s.run('kubectl exec -n kube-system ds/cilium -- cilium-dbg status')).toMatchObject({
      stderr: 'Error from server (NotFound): daemonsets.apps "cilium" not found\n',
      exitCode: 1,
    });
    // A pod of the host's network needs no network plugin.
    expect(s.run('kubectl get pods -n kube-system -l k8s-app=cilium-envoy --no-headers | grep -c Running').stdout).toBe('3\n');
  });

  it('comes back with kubectl apply of its manifest, and the waiting pod starts', () => {
    const s = session();
    s.run('kubectl get ds cilium -n kube-system -o yaml > cilium-ds.yaml');
    s.run('kubectl delete ds cilium -n kube-system');
    s.run('kubectl run client --image=nicolaka/netshoot');

    expect(s.run('kubectl apply -f cilium-ds.yaml').output).toBe('daemonset.apps/cilium created\n');
    expect(s.run('kubectl get ds cilium -n kube-system').output).toMatchInlineSnapshot(`
      "NAME     DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE
      cilium   3         3         3       3            3           <none>          0s
      "
    `);
    expect(s.run('kubectl get pods -o wide').output).toMatchInlineSnapshot(`
      "NAME     READY   STATUS    RESTARTS   AGE   IP             NODE          NOMINATED NODE   READINESS GATES
      client   1/1     Running   0          0s    10.244.1.100   kind-worker   <none>           <none>
      "
    `);
    // Restarting the agents replaces the pods of the DaemonSet applied anew, one per node.
    s.run('cilium config set debug true');
    expect(s.run('kubectl get pods -n kube-system -l k8s-app=cilium --no-headers | wc -l').stdout.trim()).toBe('3');
    expect(s.run('cilium status | head -2').output).toMatchInlineSnapshot(`
      "    /¯¯\\
       /¯¯\\__/¯¯\\    Cilium:             OK
      "
    `);
  });

  it('stays deleted when the agents are restarted, as cilium-cli finds no pods to delete', () => {
    const s = session();
    s.run('kubectl delete ds cilium -n kube-system');
    s.run('cilium config set debug true');

    expect(s.run('kubectl get pods -n kube-system -l k8s-app=cilium').output).toBe('No resources found in kube-system namespace.\n');
  });
});

describe('kubectl delete statefulset spire-server -n cilium-spire', () => {
  it('deletes the server pod and nothing makes it again; scale works on a StatefulSet', () => {
    const s = session();
    expect(s.run('kubectl -n cilium-spire scale statefulset spire-server --replicas=0').output).toBe(
      'statefulset.apps/spire-server scaled\n',
    );
    expect(s.run('kubectl -n cilium-spire get sts,pods -l app=spire-server').output).toMatchInlineSnapshot(`
      "NAME                            READY   AGE
      statefulset.apps/spire-server   0/0     10m
      "
    `);
    s.run('kubectl -n cilium-spire scale statefulset spire-server --replicas=1');

    expect(s.run('kubectl -n cilium-spire delete statefulset spire-server').output).toBe('statefulset.apps "spire-server" deleted\n');
    s.run('sleep 60');
    expect(s.run('kubectl get sts,pods -n cilium-spire').output).toMatchInlineSnapshot(`
      "NAME                    READY   STATUS    RESTARTS   AGE
      pod/spire-agent-gh7sg   1/1     Running   0          11m
      pod/spire-agent-jkfbx   1/1     Running   0          11m
      pod/spire-agent-vlrxj   1/1     Running   0          11m
      "
    `);
  });
});

describe('a DaemonSet of your own', () => {
  it('runs one pod on each node its template tolerates, replaced when the template changes', () => {
    const s = session();
    const ds = (image: string) =>
      `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: { name: logger }\nspec:\n  selector: { matchLabels: { app: logger } }\n  template:\n    metadata: { labels: { app: logger } }\n    spec: { containers: [{ name: c, image: ${image} }] }\n`;
    s.files.set('ds.yaml', ds('busybox'));
    expect(s.run('kubectl apply -f ds.yaml').output).toBe('daemonset.apps/logger created\n');
    expect(s.run('kubectl get pods -l app=logger -o wide').output).toMatchInlineSnapshot(`
      "NAME           READY   STATUS    RESTARTS   AGE   IP             NODE           NOMINATED NODE   READINESS GATES
      logger-nwr4q   1/1     Running   0          0s    10.244.1.100   kind-worker    <none>           <none>
      logger-shtkz   1/1     Running   0          0s    10.244.2.213   kind-worker2   <none>           <none>
      "
    `);

    s.files.set('ds.yaml', ds('busybox:1.36'));
    expect(s.run('kubectl apply -f ds.yaml').output).toBe('daemonset.apps/logger configured\n');
    expect(s.run('kubectl get pods -l app=logger -o wide').output).toMatchInlineSnapshot(`
      "NAME           READY   STATUS    RESTARTS   AGE   IP             NODE           NOMINATED NODE   READINESS GATES
      logger-89tlv   1/1     Running   0          0s    10.244.2.150   kind-worker2   <none>           <none>
      logger-rbdsn   1/1     Running   0          0s    10.244.1.175   kind-worker    <none>           <none>
      "
    `);
    expect(s.run('kubectl delete ds logger && kubectl get pods').output).toMatchInlineSnapshot(`
      "daemonset.apps "logger" deleted
      No resources found in default namespace.
      "
    `);
  });

  it('makes no pod while its ServiceAccount is missing, and ignores the status a manifest carries', () => {
    const s = session();
    s.files.set(
      'ds.yaml',
      'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: { name: d }\nspec:\n  selector: { matchLabels: { app: d } }\n  template:\n    metadata: { labels: { app: d } }\n    spec: { serviceAccountName: later, containers: [{ name: c, image: nginx }] }\nstatus: { numberReady: 99 }\n',
    );
    s.run('kubectl apply -f ds.yaml');
    expect(s.run('kubectl get ds d -o jsonpath={.status.numberReady}').stdout).toBe('0');

    s.run('kubectl create serviceaccount later');
    expect(s.run('kubectl get ds d -o jsonpath={.status.numberReady}').stdout).toBe('2');
  });
});
