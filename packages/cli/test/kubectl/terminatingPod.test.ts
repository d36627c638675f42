import { describe, expect, it } from 'vitest';
import { transcriptLine } from '../transcript.ts';
import { createSimulator } from '../../src/simulator.ts';
import { nodeHostFiles } from '../../src/node/nodeHostFiles.ts';

const FILES = new Map([
  [
    'held.yaml',
    'apiVersion: v1\nkind: Pod\nmetadata: { name: held, finalizers: [example.com/keep] }\nspec: { containers: [{ name: c, image: nginx }] }\n',
  ],
]);

describe('kubectl on a pod held by finalizers after delete', () => {
  it('gets it as Terminating with no ready container, and describes it as kubectl 1.29 does', () => {
    const sim = createSimulator({ seed: 1, mutualAuth: false }, nodeHostFiles(process.cwd()), FILES);
    const run = (lines: readonly string[]) => lines.map((line) => transcriptLine(sim, line)).join('');
    run(['kubectl apply -f held.yaml', 'kubectl delete pod held --wait=false', 'sleep 75']);
    expect(run(['kubectl exec held -- curl -s http://10.96.0.1'])).toMatchInlineSnapshot(`
      "$ kubectl exec held -- curl -s http://10.96.0.1
      error: cannot exec into a container in a completed pod; current phase is Succeeded
      [exit 1]
      "
    `);
    expect(run(['kubectl get pod held', 'kubectl describe pod held'])).toMatchInlineSnapshot(`
      "$ kubectl get pod held
      NAME   READY   STATUS        RESTARTS   AGE
      held   0/1     Terminating   0          75s
      $ kubectl describe pod held
      Name:                      held
      Namespace:                 default
      Priority:                  0
      Service Account:           default
      Node:                      kind-worker/172.18.0.3
      Start Time:                Thu, 04 Jul 2024 17:58:00 +0000
      Labels:                    <none>
      Annotations:               <none>
      Status:                    Terminating (lasts 75s)
      Termination Grace Period:  0s
      IP:                        10.244.1.21
      IPs:
        IP:  10.244.1.21
      Containers:
        c:
          Container ID:   containerd://824c3244e02d06324567ec57be02c9d94e72b124e23e13e8ba2158e56971a7c8
          Image:          nginx
          Image ID:       nginx@sha256:5be1ecc7935f1dd85635d4feedaf660594030253cc97c9e9ca3819ffeac36b65
          Port:           <none>
          Host Port:      <none>
          State:          Terminated
            Reason:       Completed
            Exit Code:    0
            Started:      Thu, 04 Jul 2024 17:58:00 +0000
            Finished:     Thu, 04 Jul 2024 17:58:00 +0000
          Ready:          False
          Restart Count:  0
          Environment:    <none>
          Mounts:         <none>
      Conditions:
        Type                        Status
        PodReadyToStartContainers   False 
        Initialized                 True 
        Ready                       False 
        ContainersReady             False 
        PodScheduled                True 
      Volumes:                      <none>
      QoS Class:                    BestEffort
      Node-Selectors:               <none>
      Tolerations:                  <none>
      Events:
        Type    Reason     Age   From               Message
        ----    ------     ----  ----               -------
        Normal  Scheduled  75s   default-scheduler  Successfully assigned default/held to kind-worker
        Normal  Pulled     75s   kubelet            Container image "nginx" already present on machine
        Normal  Created    75s   kubelet            Created container c
        Normal  Started    75s   kubelet            Started container c
        Normal  Killing    75s   kubelet            Stopping container c
      "
    `);
  });
});
