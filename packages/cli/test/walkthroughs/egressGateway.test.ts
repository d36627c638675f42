import { describe, expect, it } from 'vitest';
import { transcriptLine } from '../transcript.ts';
import { createSimulator } from '../../src/simulator.ts';
import { nodeHostFiles } from '../../src/node/nodeHostFiles.ts';

// Tenant pods reaching an outside API through an egress gateway: the outside server sees the
// gateway's egress IP for the selected pods and the node's address for the others; an excluded
// CIDR leaves as if no policy matched; the egress map and Hubble show it as Cilium does.
const FILES = new Map([
  [
    'pods.yaml',
    `apiVersion: v1
kind: Namespace
metadata: { name: tenant-a }
---
apiVersion: v1
kind: Pod
metadata: { name: app, namespace: tenant-a, labels: { app: billing } }
spec: { nodeName: kind-worker, containers: [{ name: c, image: curlimages/curl }] }
---
apiVersion: v1
kind: Pod
metadata: { name: other, labels: { app: other } }
spec: { nodeName: kind-worker, containers: [{ name: c, image: curlimages/curl }] }
`,
  ],
  [
    'egress.yaml',
    `apiVersion: cilium.io/v2
kind: CiliumEgressGatewayPolicy
metadata: { name: tenant-a-egress }
spec:
  selectors:
  - podSelector: { matchLabels: { io.kubernetes.pod.namespace: tenant-a } }
  destinationCIDRs: ["203.0.113.0/24"]
  excludedCIDRs: ["203.0.113.128/25"]
  egressGateway:
    nodeSelector: { matchLabels: { egress-gw: "true" } }
`,
  ],
]);

/**
 * Runs the lines in one session; `AGENT(NODE)` stands for the name of the Cilium agent pod on
 * NODE at that moment (a config change restarts the agents under new names, as the labs' do).
 */
function run(lines: readonly string[]): string {
  const sim = createSimulator({ seed: 1, nodes: 3 }, nodeHostFiles(process.cwd()), FILES);
  const agent = (node: string): string =>
    sim.session
      .run(`kubectl -n kube-system get pods -l k8s-app=cilium --field-selector spec.nodeName=${node} -o name`)
      .stdout.trim()
      .replace(/^pod\//, '');
  return lines
    .map((template) =>
      transcriptLine(
        sim,
        template.replace(/AGENT\(([\w-]+)\)/g, (_, node: string) => agent(node)),
      ),
    )
    .join('');
}

describe('an egress gateway', () => {
  it('gives the selected pods one fixed source address outside', () => {
    expect(
      run([
        'kubectl apply -f pods.yaml',
        'kubectl label node kind-worker2 egress-gw=true',
        'cilium config set enable-egress-gateway true',
        'cilium config set enable-bpf-masquerade true',
        'kubectl apply -f egress.yaml',
        'kubectl get cegp',
        'kubectl get nodes -o wide',
        'kubectl -n tenant-a exec app -- curl -s http://203.0.113.10/ip',
        'kubectl exec other -- curl -s http://203.0.113.10/ip',
        'kubectl -n tenant-a exec app -- curl -s http://203.0.113.200/ip',
        'kubectl -n kube-system exec AGENT(kind-worker) -- cilium-dbg bpf egress list',
        'kubectl -n kube-system exec AGENT(kind-worker2) -- cilium-dbg bpf egress list',
        'hubble observe --to-ip 203.0.113.10 --last 2',
        'hubble observe --to-ip 203.0.113.10 --last 1 -o json',
        'hubble observe --from-ip 203.0.113.10 --to-pod tenant-a/app --last 1',
      ]),
    ).toMatchInlineSnapshot(`
      "$ kubectl apply -f pods.yaml
      namespace/tenant-a created
      pod/app created
      pod/other created
      $ kubectl label node kind-worker2 egress-gw=true
      node/kind-worker2 labeled
      $ cilium config set enable-egress-gateway true
      ✨ Patching ConfigMap cilium-config with enable-egress-gateway=true...
      ♻️  Restarted Cilium pods
      $ cilium config set enable-bpf-masquerade true
      ✨ Patching ConfigMap cilium-config with enable-bpf-masquerade=true...
      ♻️  Restarted Cilium pods
      $ kubectl apply -f egress.yaml
      ciliumegressgatewaypolicy.cilium.io/tenant-a-egress created
      $ kubectl get cegp
      NAME              AGE
      tenant-a-egress   0s
      $ kubectl get nodes -o wide
      NAME                 STATUS   ROLES           AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE                         KERNEL-VERSION   CONTAINER-RUNTIME
      kind-control-plane   Ready    control-plane   10m   v1.29.2   172.18.0.2    <none>        Debian GNU/Linux 12 (bookworm)   <unknown>        containerd://1.7.13
      kind-worker          Ready    <none>          10m   v1.29.2   172.18.0.3    <none>        Debian GNU/Linux 12 (bookworm)   <unknown>        containerd://1.7.13
      kind-worker2         Ready    <none>          10m   v1.29.2   172.18.0.4    <none>        Debian GNU/Linux 12 (bookworm)   <unknown>        containerd://1.7.13
      $ kubectl -n tenant-a exec app -- curl -s http://203.0.113.10/ip
      {
        "origin": "172.18.0.4"
      }
      $ kubectl exec other -- curl -s http://203.0.113.10/ip
      {
        "origin": "172.18.0.3"
      }
      $ kubectl -n tenant-a exec app -- curl -s http://203.0.113.200/ip
      {
        "origin": "172.18.0.3"
      }
      $ kubectl -n kube-system exec cilium-zqmrn -- cilium-dbg bpf egress list
      Source IP      Destination CIDR   Egress IP   Gateway IP
      10.244.1.100   203.0.113.0/24     0.0.0.0     172.18.0.4
      10.244.1.100   203.0.113.128/25   0.0.0.0     Excluded CIDR
      $ kubectl -n kube-system exec cilium-gd9jm -- cilium-dbg bpf egress list
      Source IP      Destination CIDR   Egress IP    Gateway IP
      10.244.1.100   203.0.113.0/24     172.18.0.4   172.18.0.4
      10.244.1.100   203.0.113.128/25   172.18.0.4   Excluded CIDR
      $ hubble observe --to-ip 203.0.113.10 --last 2
      Jul  4 17:58:00.022: tenant-a/app:56530 (ID:48336) -> 203.0.113.10:80 (world) to-overlay FORWARDED (TCP Flags: ACK, FIN)
      Jul  4 17:58:00.022: tenant-a/app:56530 (ID:48336) -> 203.0.113.10:80 (world) to-network FORWARDED (TCP Flags: ACK, FIN)
      $ hubble observe --to-ip 203.0.113.10 --last 1 -o json
      {"flow":{"time":"2024-07-04T17:58:00.022Z","uuid":"31ab7dd1-b3cf-4f63-9431-bbbe02e7db62","verdict":"FORWARDED","IP":{"source":"10.244.1.100","source_xlated":"172.18.0.4","destination":"203.0.113.10","ipVersion":"IPv4"},"l4":{"TCP":{"source_port":56530,"destination_port":80,"flags":{"FIN":true,"ACK":true}}},"source":{"ID":2681,"identity":48336,"cluster_name":"kind-kind","namespace":"tenant-a","labels":["k8s:app=billing","k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=tenant-a","k8s:io.cilium.k8s.policy.cluster=kind-kind","k8s:io.cilium.k8s.policy.serviceaccount=default","k8s:io.kubernetes.pod.namespace=tenant-a"],"pod_name":"app"},"destination":{"identity":2,"labels":["reserved:world"]},"Type":"L3_L4","node_name":"kind-worker2","event_type":{"type":4,"sub_type":11},"trace_observation_point":"TO_NETWORK","trace_reason":"ESTABLISHED","is_reply":false,"Summary":"TCP Flags: ACK, FIN"},"node_name":"kind-worker2","time":"2024-07-04T17:58:00.022Z"}
      $ hubble observe --from-ip 203.0.113.10 --to-pod tenant-a/app --last 1
      Jul  4 17:58:00.032: tenant-a/app:56530 (ID:48336) <- 203.0.113.10:80 (world) to-endpoint FORWARDED (TCP Flags: ACK, FIN)
      "
    `);
  });

  it('needs BPF masquerading, and drops the traffic when no gateway node is left', () => {
    expect(
      run([
        'kubectl apply -f pods.yaml -f egress.yaml',
        'kubectl label node kind-worker2 egress-gw=true',
        'cilium config set enable-egress-gateway true',
        'kubectl -n kube-system logs AGENT(kind-worker) | tail -1',
        'kubectl -n kube-system exec AGENT(kind-worker) -- cilium-dbg bpf egress list',
        'kubectl -n tenant-a exec app -- curl -s http://203.0.113.10/ip',
        'cilium config set enable-bpf-masquerade true',
        'kubectl -n tenant-a exec app -- curl -s http://203.0.113.10/ip',
        'kubectl label node kind-worker2 egress-gw-',
        'kubectl -n kube-system exec AGENT(kind-worker) -- cilium-dbg bpf egress list',
        'kubectl -n tenant-a exec app -- curl -s --max-time 2 http://203.0.113.10/ip',
        'hubble observe --verdict DROPPED',
        'kubectl exec other -- curl -s http://203.0.113.10/ip',
      ]),
    ).toMatchInlineSnapshot(`
      "$ kubectl apply -f pods.yaml -f egress.yaml
      namespace/tenant-a created
      pod/app created
      pod/other created
      ciliumegressgatewaypolicy.cilium.io/tenant-a-egress created
      $ kubectl label node kind-worker2 egress-gw=true
      node/kind-worker2 labeled
      $ cilium config set enable-egress-gateway true
      ✨ Patching ConfigMap cilium-config with enable-egress-gateway=true...
      ♻️  Restarted Cilium pods
      $ kubectl -n kube-system logs cilium-9d6q4 | tail -1
      time="2024-07-04T17:58:00Z" level=fatal msg="egress gateway requires --enable-ipv4-masquerade=\\"true\\" and --enable-bpf-masquerade=\\"true\\"" subsys=daemon
      $ kubectl -n kube-system exec cilium-9d6q4 -- cilium-dbg bpf egress list
      Cannot find egress gateway bpf maps
      command terminated with exit code 1
      [exit 1]
      $ kubectl -n tenant-a exec app -- curl -s http://203.0.113.10/ip
      {
        "origin": "172.18.0.3"
      }
      $ cilium config set enable-bpf-masquerade true
      ✨ Patching ConfigMap cilium-config with enable-bpf-masquerade=true...
      ♻️  Restarted Cilium pods
      $ kubectl -n tenant-a exec app -- curl -s http://203.0.113.10/ip
      {
        "origin": "172.18.0.4"
      }
      $ kubectl label node kind-worker2 egress-gw-
      node/kind-worker2 unlabeled
      $ kubectl -n kube-system exec cilium-zqmrn -- cilium-dbg bpf egress list
      Source IP      Destination CIDR   Egress IP   Gateway IP
      10.244.1.100   203.0.113.0/24     0.0.0.0     Not Found
      10.244.1.100   203.0.113.128/25   0.0.0.0     Excluded CIDR
      $ kubectl -n tenant-a exec app -- curl -s --max-time 2 http://203.0.113.10/ip
      command terminated with exit code 28
      [exit 28]
      $ hubble observe --verdict DROPPED
      Jul  4 17:58:00.073: tenant-a/app:52033 (ID:48336) <> 203.0.113.10:80 (world) No egress gateway found DROPPED (TCP Flags: SYN)
      Jul  4 17:58:01.073: tenant-a/app:52033 (ID:48336) <> 203.0.113.10:80 (world) No egress gateway found DROPPED (TCP Flags: SYN)
      $ kubectl exec other -- curl -s http://203.0.113.10/ip
      {
        "origin": "172.18.0.3"
      }
      "
    `);
  });
});
