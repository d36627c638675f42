import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../src/simulator.ts';

// Kinds the simulator derives rather than stores, deleted as a learner would: the answer is what
// the cluster's controllers make of it, never an internal error.
function run(lines: readonly string[]): string {
  const { session } = createSimulator({ seed: 1, mutualAuth: false });
  return lines.map((l) => `$ ${l}\n${session.run(l).output}`).join('');
}

describe('kubectl delete of a derived kind', () => {
  it("replaces a ReplicaSet's pods, makes Endpoints again, refuses cilium-config, and refuses labels", () => {
    expect(
      run([
        'kubectl get pods -n kube-system -l k8s-app=kube-dns',
        'kubectl delete rs -n kube-system coredns-99c8fcc7c',
        'kubectl get pods -n kube-system -l k8s-app=kube-dns',
        'kubectl delete rs -n kube-system coredns-99c8fcc7c --dry-run=client',
        'kubectl delete endpoints kubernetes',
        'kubectl get endpoints kubernetes',
        'kubectl delete cm cilium-config -n kube-system',
        'kubectl label rs -n kube-system coredns-99c8fcc7c a=b',
      ]),
    ).toMatchInlineSnapshot(`
      "$ kubectl get pods -n kube-system -l k8s-app=kube-dns
      NAME                      READY   STATUS    RESTARTS   AGE
      coredns-99c8fcc7c-j87hq   1/1     Running   0          10m
      coredns-99c8fcc7c-xblqr   1/1     Running   0          10m
      $ kubectl delete rs -n kube-system coredns-99c8fcc7c
      replicaset.apps "coredns-99c8fcc7c" deleted
      $ kubectl get pods -n kube-system -l k8s-app=kube-dns
      NAME                      READY   STATUS    RESTARTS   AGE
      coredns-99c8fcc7c-hh4v6   1/1     Running   0          0s
      coredns-99c8fcc7c-kmzfx   1/1     Running   0          0s
      $ kubectl delete rs -n kube-system coredns-99c8fcc7c --dry-run=client
      replicaset.apps "coredns-99c8fcc7c" deleted (client dry run)
      $ kubectl delete endpoints kubernetes
      endpoints "kubernetes" deleted
      $ kubectl get endpoints kubernetes
      NAME         ENDPOINTS         AGE
      kubernetes   172.18.0.2:6443   10m
      $ kubectl delete cm cilium-config -n kube-system
      error: cilium-sim does not model deleting the cilium-config ConfigMap; change the agents' configuration with cilium config set or cilium config delete
      $ kubectl label rs -n kube-system coredns-99c8fcc7c a=b
      error: cilium-sim derives replicasets from other objects and cannot label them; label the object they come from
      "
    `);
  });
});
