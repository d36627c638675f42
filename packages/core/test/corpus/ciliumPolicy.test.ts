// Cases modelled on Cilium's documented policy examples (docs.cilium.io "Layer 3 Examples",
// "Layer 4 Examples", "Deny Policies", "Entities Based", "CIDR Based", the examples/policies
// tree: entities/world, cidr/cidr, egress-deny, from_world_deny, l4_port_range,
// namespace/isolate-namespaces) run on the x/y/z fixture. Pods a and c run on kind-worker, b on
// kind-worker2; kind-control-plane serves the Kubernetes API (identity kube-apiserver).
import { describe } from 'vitest';
import { corpus, matrix, podYaml, type CorpusCase } from './corpusHarness.ts';

const nsOf = (p: string): string => p.split('/')[0]!;

function cnp(ns: string, name: string, spec: string): string {
  return `apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: { name: ${name}, namespace: ${ns} }\nspec:\n${spec}`;
}

function ccnp(name: string, spec: string): string {
  return `apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: { name: ${name} }\nspec:\n${spec}`;
}

const WORLD = 'outside:192.0.2.10';
const A = '  endpointSelector: { matchLabels: { pod: a } }\n';

const cases: CorpusCase[] = [
  {
    name: 'fromEndpoints selects by label within the policy namespace',
    cite: 'docs: Layer 3 Examples, Endpoints Based (l3_rule)',
    steps: [
      { apply: cnp('x', 'l3', `${A}  ingress:\n    - fromEndpoints:\n        - matchLabels: { pod: b }`) },
      { probes: matrix(80, 'TCP', (f) => f === 'x/b', ['x/a']) },
    ],
  },
  {
    name: 'fromEndpoints [{}] admits the namespace only',
    cite: 'docs: Layer 3 Examples, "fromEndpoints: [{}]" is restricted to the policy namespace',
    steps: [
      { apply: cnp('x', 'all-ns-x', `${A}  ingress:\n    - fromEndpoints: [{}]`) },
      { probes: [...matrix(80, 'TCP', (f) => nsOf(f) === 'x', ['x/a']), { from: WORLD, to: 'x/a', port: 80, expect: 'blocked' }] },
    ],
  },
  {
    name: 'fromEndpoints naming another namespace',
    cite: 'docs: Kubernetes, Namespaces: allow from another namespace with k8s:io.kubernetes.pod.namespace',
    steps: [
      { apply: cnp('x', 'from-y', `${A}  ingress:\n    - fromEndpoints:\n        - matchLabels: { k8s:io.kubernetes.pod.namespace: y }`) },
      { probes: matrix(80, 'TCP', (f) => nsOf(f) === 'y', ['x/a']) },
    ],
  },
  {
    name: 'fromEndpoints with matchExpressions NotIn',
    cite: 'docs: Layer 3 Examples, matchExpressions',
    steps: [
      {
        apply: cnp(
          'x',
          'notin',
          `${A}  ingress:\n    - fromEndpoints:\n        - matchExpressions: [{ key: pod, operator: NotIn, values: [a, c] }]`,
        ),
      },
      { probes: matrix(80, 'TCP', (f) => f === 'x/b', ['x/a']) },
    ],
  },
  {
    name: 'isolate namespaces',
    cite: 'examples/policies/kubernetes/namespace/isolate-namespaces.yaml',
    steps: [
      {
        apply: [
          cnp('x', 'isolate-ns1', '  endpointSelector: {}\n  ingress:\n    - fromEndpoints: [{}]'),
          cnp('y', 'isolate-ns2', '  endpointSelector: {}\n  ingress:\n    - fromEndpoints: [{}]'),
        ].join('\n---\n'),
      },
      { probes: matrix(80, 'TCP', (f, t) => nsOf(t) === 'z' || nsOf(f) === nsOf(t), ['x/a', 'y/b', 'z/c']) },
    ],
  },
  {
    name: 'CCNP fromEndpoints [{}] admits pods of every namespace, not the world',
    cite: 'docs: CiliumClusterwideNetworkPolicy, peers without namespace match pods of all namespaces',
    steps: [
      { apply: ccnp('all-pods', '  endpointSelector: { matchLabels: { pod: a } }\n  ingress:\n    - fromEndpoints: [{}]') },
      {
        probes: [
          ...matrix(80, 'TCP', () => true, ['x/a', 'z/a']),
          { from: WORLD, to: 'y/a', port: 80, expect: 'blocked' },
          { from: 'host:kind-worker2', to: 'y/a', port: 80, expect: 'blocked' },
        ],
      },
    ],
  },
  {
    name: 'fromEntities world admits outside clients only',
    cite: 'examples/policies/l3/entities/world.yaml (ingress form); docs: Entities Based',
    steps: [
      { apply: cnp('x', 'from-world', `${A}  ingress:\n    - fromEntities: [world]`) },
      {
        probes: [
          { from: WORLD, to: 'x/a', port: 80, expect: 'ok' },
          { from: 'outside:198.51.100.7', to: 'x/a', port: 81, expect: 'ok' },
          { from: 'y/a', to: 'x/a', port: 80, expect: 'blocked' },
          { from: 'host:kind-worker2', to: 'x/a', port: 80, expect: 'blocked' },
        ],
      },
    ],
  },
  {
    name: 'toEntities world lets pods reach outside hosts only',
    cite: 'examples/policies/l3/entities/world.yaml',
    steps: [
      { apply: cnp('x', 'to-world', `${A}  egress:\n    - toEntities: [world]`) },
      {
        probes: [
          { from: 'x/a', to: '192.0.2.10', port: 443, expect: 'ok' },
          { from: 'x/a', to: '203.0.113.5', port: 53, proto: 'UDP', expect: 'ok' },
          { from: 'x/a', to: 'x/b', port: 80, expect: 'blocked' },
          { from: 'x/b', to: 'x/c', port: 80, expect: 'ok' },
        ],
      },
    ],
  },
  {
    name: 'fromEntities cluster admits pods and nodes, not the world',
    cite: 'docs: Entities Based, cluster',
    steps: [
      { apply: cnp('x', 'from-cluster', `${A}  ingress:\n    - fromEntities: [cluster]`) },
      {
        probes: [
          ...matrix(80, 'TCP', () => true, ['x/a']),
          { from: 'host:kind-worker', to: 'x/a', port: 80, expect: 'ok' },
          { from: 'host:kind-worker2', to: 'x/a', port: 80, expect: 'ok' },
          { from: WORLD, to: 'x/a', port: 80, expect: 'blocked' },
        ],
      },
    ],
  },
  {
    name: 'fromEntities host admits only the local node',
    cite: 'docs: Entities Based, host (health checks from the local node)',
    steps: [
      { apply: cnp('x', 'from-host', `${A}  ingress:\n    - fromEntities: [host]`) },
      {
        probes: [
          { from: 'host:kind-worker', to: 'x/a', port: 80, expect: 'ok' },
          { from: 'host:kind-worker2', to: 'x/a', port: 80, expect: 'blocked' },
          { from: 'host:kind-control-plane', to: 'x/a', port: 80, expect: 'blocked' },
          { from: 'y/a', to: 'x/a', port: 80, expect: 'blocked' },
        ],
      },
    ],
  },
  {
    name: 'fromEntities remote-node admits other nodes, the API server node included',
    cite: 'docs: Entities Based, remote-node; kube-apiserver carries reserved:remote-node',
    steps: [
      { apply: cnp('x', 'from-remote', `${A}  ingress:\n    - fromEntities: [remote-node]`) },
      {
        probes: [
          { from: 'host:kind-worker', to: 'x/b', port: 80, expect: 'ok' },
          { from: 'x/b', to: 'x/a', port: 80, expect: 'blocked' },
          { from: 'host:kind-worker2', to: 'x/a', port: 80, expect: 'ok' },
          { from: 'host:kind-control-plane', to: 'x/a', port: 80, expect: 'ok' },
        ],
      },
    ],
  },
  {
    name: 'the local host always reaches local pods, unless a deny names it',
    cite: 'cilium daemon: allow-localhost auto -> always in Kubernetes mode ("Kubernetes demands that the localhost can always reach local pods")',
    steps: [
      {
        apply: `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: deny, namespace: x }\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]`,
      },
      {
        probes: [
          { from: 'host:kind-worker', to: 'x/a', port: 80, expect: 'ok' },
          { from: 'host:kind-worker', to: 'x/c', port: 81, proto: 'UDP', expect: 'ok' },
          { from: 'host:kind-worker2', to: 'x/a', port: 80, expect: 'blocked' },
          { from: 'host:kind-worker', to: 'x/b', port: 80, expect: 'blocked' },
        ],
      },
      { apply: cnp('x', 'deny-host', `${A}  ingressDeny:\n    - fromEntities: [host]`) },
      {
        probes: [
          { from: 'host:kind-worker', to: 'x/a', port: 80, expect: 'blocked' },
          { from: 'host:kind-worker', to: 'x/c', port: 80, expect: 'ok' },
        ],
      },
    ],
  },
  {
    name: 'toEntities kube-apiserver',
    cite: 'docs: Entities Based, kube-apiserver',
    steps: [
      { apply: cnp('x', 'to-apiserver', `${A}  egress:\n    - toEntities: [kube-apiserver]`) },
      {
        probes: [
          { from: 'x/a', to: '172.18.0.2', port: 6443, expect: 'ok' },
          { from: 'x/a', to: '172.18.0.3', port: 10250, expect: 'blocked' },
          { from: 'x/a', to: 'y/a', port: 80, expect: 'blocked' },
        ],
      },
    ],
  },
  {
    name: 'toEntities host and remote-node',
    cite: 'docs: Entities Based, host and remote-node (egress)',
    steps: [
      { apply: cnp('x', 'to-nodes', `${A}  egress:\n    - toEntities: [host]`) },
      {
        probes: [
          { from: 'x/a', to: '172.18.0.3', port: 10250, expect: 'ok' },
          { from: 'x/a', to: '172.18.0.4', port: 10250, expect: 'blocked' },
        ],
      },
      { apply: cnp('x', 'to-nodes', `${A}  egress:\n    - toEntities: [remote-node]`) },
      {
        probes: [
          { from: 'x/a', to: '172.18.0.3', port: 10250, expect: 'blocked' },
          { from: 'x/a', to: '172.18.0.4', port: 10250, expect: 'ok' },
        ],
      },
    ],
  },
  {
    name: 'fromEntities all admits everything',
    cite: 'docs: Entities Based, all',
    steps: [
      { apply: cnp('x', 'from-all', `${A}  ingress:\n    - fromEntities: [all]`) },
      {
        probes: [
          ...matrix(81, 'UDP', () => true, ['x/a']),
          { from: WORLD, to: 'x/a', port: 80, expect: 'ok' },
          { from: 'host:kind-worker2', to: 'x/a', port: 80, expect: 'ok' },
        ],
      },
    ],
  },
  {
    name: 'toCIDR and toCIDRSet with except',
    cite: 'examples/policies/l3/cidr/cidr.yaml; docs: CIDR Based',
    steps: [
      {
        apply: cnp(
          'x',
          'cidr',
          `${A}  egress:\n    - toCIDR: [20.1.1.1/32]\n    - toCIDRSet:\n        - cidr: 10.0.0.0/8\n          except: [10.96.0.0/12, 10.244.0.0/16]`,
        ),
      },
      {
        probes: [
          { from: 'x/a', to: '20.1.1.1', port: 80, expect: 'ok' },
          { from: 'x/a', to: '20.1.1.2', port: 80, expect: 'blocked' },
          { from: 'x/a', to: '10.1.2.3', port: 80, expect: 'ok' },
          { from: 'x/a', to: '10.200.0.1', port: 80, expect: 'ok' },
          { from: 'x/a', to: 'y/a', port: 80, expect: 'blocked' },
        ],
      },
    ],
  },
  {
    name: 'fromCIDR admits outside clients in the prefix',
    cite: 'docs: CIDR Based, fromCIDR',
    steps: [
      { apply: cnp('x', 'from-cidr', `${A}  ingress:\n    - fromCIDR: [192.0.2.0/24]`) },
      {
        probes: [
          { from: WORLD, to: 'x/a', port: 80, expect: 'ok' },
          { from: 'outside:198.51.100.7', to: 'x/a', port: 80, expect: 'blocked' },
          { from: 'y/a', to: 'x/a', port: 80, expect: 'blocked' },
        ],
      },
    ],
  },
  {
    name: 'fromCIDR covering the pod range never admits pods',
    cite: 'docs: CIDR Based ("CIDR rules do not apply to traffic where both sides are managed by Cilium")',
    steps: [
      { apply: cnp('x', 'from-pods-cidr', `${A}  ingress:\n    - fromCIDRSet: [{ cidr: 10.0.0.0/8 }]\n    - fromCIDR: [172.18.0.0/16]`) },
      {
        probes: [
          { from: 'y/a', to: 'x/a', port: 80, expect: 'blocked' },
          { from: 'x/b', to: 'x/a', port: 80, expect: 'blocked' },
          { from: 'host:kind-worker2', to: 'x/a', port: 80, expect: 'blocked' },
          { from: 'outside:10.1.2.3', to: 'x/a', port: 80, expect: 'ok' },
        ],
      },
    ],
  },
  {
    name: 'pinned pod IP inside a CIDR rule is still a pod',
    cite: 'simulator: status.podIP pinning; docs: CIDR Based (pod IPs never match CIDR rules)',
    setup: podYaml('y', 'pinned', { pod: 'pinned' }, 'kind-worker2', '10.244.200.7'),
    steps: [
      { apply: cnp('x', 'from-pinned', `${A}  ingress:\n    - fromCIDR: [10.244.200.7/32]`) },
      {
        apply: cnp('y', 'pinned-egress', '  endpointSelector: { matchLabels: { pod: pinned } }\n  egress:\n    - toCIDR: [10.244.0.0/16]'),
      },
      {
        probes: [
          { from: 'y/pinned', to: 'x/a', port: 80, expect: 'blocked' },
          { from: 'y/a', to: 'y/pinned', port: 80, expect: 'ok' },
          { from: 'y/pinned', to: 'y/a', port: 80, expect: 'blocked' },
        ],
      },
    ],
  },
  {
    name: 'ingressDeny wins over an allow',
    cite: 'docs: Deny Policies; examples/policies/l3/entities/from_world_deny.yaml',
    steps: [
      { apply: cnp('x', 'allow-all', `${A}  ingress:\n    - fromEntities: [all]`) },
      { apply: cnp('x', 'deny-world', `${A}  ingressDeny:\n    - fromEntities: [world]`) },
      {
        probes: [
          { from: WORLD, to: 'x/a', port: 80, expect: 'blocked' },
          { from: 'y/a', to: 'x/a', port: 80, expect: 'ok' },
          { from: 'host:kind-worker', to: 'x/a', port: 80, expect: 'ok' },
        ],
      },
    ],
  },
  {
    name: 'a deny-only policy turns on default deny',
    cite: 'docs: Deny Policies (a policy with only ingressDeny still enables default deny for ingress)',
    steps: [
      { apply: cnp('x', 'deny-only', `${A}  ingressDeny:\n    - fromEndpoints:\n        - matchLabels: { pod: b }`) },
      { probes: matrix(80, 'TCP', () => false, ['x/a']) },
    ],
  },
  {
    name: 'enableDefaultDeny false: a deny-only policy leaves the rest open',
    cite: 'docs: Policy Enforcement Modes, enableDefaultDeny',
    steps: [
      {
        apply: cnp(
          'x',
          'deny-b',
          `${A}  enableDefaultDeny: { ingress: false }\n  ingressDeny:\n    - fromEndpoints:\n        - matchLabels: { pod: b }`,
        ),
      },
      { probes: matrix(80, 'TCP', (f) => f !== 'x/b', ['x/a']) },
    ],
  },
  {
    name: 'egressDeny to a CIDR wins over toEntities all',
    cite: 'examples/policies/l3/egress-deny/egress-deny.yaml; docs: Deny Policies',
    steps: [
      {
        apply: cnp('x', 'egress-all', `${A}  egress:\n    - toEntities: [all]\n  egressDeny:\n    - toCIDRSet: [{ cidr: 203.0.113.0/24 }]`),
      },
      {
        probes: [
          { from: 'x/a', to: '203.0.113.9', port: 80, expect: 'blocked' },
          { from: 'x/a', to: '198.51.100.7', port: 80, expect: 'ok' },
          { from: 'x/a', to: 'y/b', port: 80, expect: 'ok' },
        ],
      },
    ],
  },
  {
    name: 'a CNP deny beats a NetworkPolicy allow',
    cite: 'docs: Deny Policies (deny wins regardless of the kind that allows)',
    steps: [
      {
        apply: `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: allow-all, namespace: x }\nspec:\n  podSelector: {}\n  ingress: [{}]`,
      },
      {
        apply: cnp(
          'x',
          'deny-y',
          `${A}  ingressDeny:\n    - fromEndpoints:\n        - matchLabels: { k8s:io.kubernetes.pod.namespace: y }\n      toPorts: [{ ports: [{ port: "80", protocol: TCP }] }]`,
        ),
      },
      {
        probes: [
          ...matrix(80, 'TCP', (f) => nsOf(f) !== 'y', ['x/a']),
          { from: 'y/a', to: 'x/a', port: 81, expect: 'ok' },
          { from: 'y/a', to: 'x/b', port: 80, expect: 'ok' },
        ],
      },
    ],
  },
  {
    name: 'port range in toPorts',
    cite: 'examples/policies/l4/l4_port_range.yaml; docs: Layer 4 Examples, port ranges',
    steps: [
      {
        apply: cnp(
          'x',
          'range',
          `${A}  ingress:\n    - fromEndpoints: [{ matchLabels: { pod: b } }]\n      toPorts: [{ ports: [{ port: "80", endPort: 81, protocol: TCP }] }]`,
        ),
      },
      {
        probes: [
          { from: 'x/b', to: 'x/a', port: 80, expect: 'ok' },
          { from: 'x/b', to: 'x/a', port: 81, expect: 'ok' },
          { from: 'x/b', to: 'x/a', port: 82, expect: 'blocked' },
          { from: 'x/b', to: 'x/a', port: 81, proto: 'UDP', expect: 'blocked' },
          { from: 'x/c', to: 'x/a', port: 80, expect: 'blocked' },
        ],
      },
    ],
  },
  {
    name: 'L4-only rule admits any peer on the port, the world included',
    cite: 'docs: Layer 4 Examples (toPorts without an L3 selector)',
    steps: [
      { apply: cnp('x', 'l4', `${A}  ingress:\n    - toPorts: [{ ports: [{ port: "80", protocol: TCP }] }]`) },
      {
        probes: [
          ...matrix(80, 'TCP', () => true, ['x/a']),
          ...matrix(81, 'TCP', () => false, ['x/a']),
          { from: WORLD, to: 'x/a', port: 80, expect: 'ok' },
          { from: 'x/b', to: 'x/a', port: 80, proto: 'UDP', expect: 'blocked' },
        ],
      },
    ],
  },
  {
    name: 'protocol ANY (omitted) covers TCP, UDP and SCTP',
    cite: 'docs: Layer 4 Examples (protocol defaults to ANY)',
    steps: [
      {
        apply: cnp(
          'x',
          'any',
          `${A}  ingress:\n    - fromEndpoints: [{ matchLabels: { pod: b } }]\n      toPorts: [{ ports: [{ port: "81" }] }]`,
        ),
      },
      {
        probes: [
          { from: 'x/b', to: 'x/a', port: 81, expect: 'ok' },
          { from: 'x/b', to: 'x/a', port: 81, proto: 'UDP', expect: 'ok' },
          { from: 'x/b', to: 'x/a', port: 81, proto: 'SCTP', expect: 'ok' },
          { from: 'x/b', to: 'x/a', port: 80, expect: 'blocked' },
        ],
      },
    ],
  },
  {
    name: 'named port in a CNP',
    cite: 'docs: Layer 4 Examples, named ports',
    steps: [
      { apply: cnp('x', 'named', `${A}  ingress:\n    - toPorts: [{ ports: [{ port: serve-81-udp, protocol: UDP }] }]`) },
      {
        probes: [
          { from: 'y/a', to: 'x/a', port: 81, proto: 'UDP', expect: 'ok' },
          { from: 'y/a', to: 'x/a', port: 81, expect: 'blocked' },
          { from: 'y/a', to: 'x/a', port: 80, proto: 'UDP', expect: 'blocked' },
        ],
      },
    ],
  },
  {
    name: 'egress named port resolves on the destination pods',
    cite: "docs: Layer 4 Examples, named ports (egress uses the peers' container ports)",
    setup: `apiVersion: v1\nkind: Pod\nmetadata: { name: web, namespace: y, labels: { app: web } }\nspec:\n  nodeName: kind-worker2\n  containers: [{ name: c, image: nginx, ports: [{ name: http-alt, containerPort: 8080 }] }]`,
    steps: [
      {
        apply: cnp(
          'x',
          'egress-named',
          `${A}  egress:\n    - toEndpoints: [{ matchLabels: { k8s:io.kubernetes.pod.namespace: y } }]\n      toPorts: [{ ports: [{ port: http-alt, protocol: TCP }] }]`,
        ),
      },
      {
        probes: [
          { from: 'x/a', to: 'y/web', port: 8080, expect: 'ok' },
          { from: 'x/a', to: 'y/web', port: 80, expect: 'blocked' },
          { from: 'x/a', to: 'y/b', port: 80, expect: 'blocked' },
        ],
      },
    ],
  },
  {
    name: 'egress default deny in a CNP blocks DNS unless allowed',
    cite: 'docs: Layer 3 Examples, "Allowing DNS" (egress default deny includes kube-dns)',
    steps: [
      { apply: cnp('x', 'egress-y', `${A}  egress:\n    - toEndpoints: [{ matchLabels: { k8s:io.kubernetes.pod.namespace: y } }]`) },
      {
        probes: [
          { from: 'x/a', to: 'y/c', port: 80, expect: 'ok' },
          { from: 'x/a', to: '10.96.0.10', port: 53, proto: 'DNS', expect: 'blocked' },
        ],
      },
      {
        apply: cnp(
          'x',
          'dns',
          `${A}  egress:\n    - toEndpoints:\n        - matchLabels: { k8s:io.kubernetes.pod.namespace: kube-system, k8s:k8s-app: kube-dns }\n      toPorts: [{ ports: [{ port: "53", protocol: ANY }] }]`,
        ),
      },
      {
        probes: [
          { from: 'x/a', to: '10.96.0.10', port: 53, proto: 'DNS', expect: 'ok' },
          { from: 'x/a', to: 'z/c', port: 80, expect: 'blocked' },
        ],
      },
    ],
  },
  {
    name: 'external lockdown: only cluster traffic reaches the namespace',
    cite: 'docs: Lock down external access (ingressDeny world, allow cluster)',
    steps: [
      {
        apply: cnp(
          'x',
          'lockdown',
          '  endpointSelector: {}\n  ingress:\n    - fromEntities: [cluster]\n  ingressDeny:\n    - fromEntities: [world]',
        ),
      },
      {
        probes: [
          ...matrix(80, 'TCP', () => true, ['x/b']),
          { from: WORLD, to: 'x/b', port: 80, expect: 'blocked' },
          { from: 'outside:10.1.2.3', to: 'x/c', port: 81, expect: 'blocked' },
          { from: 'host:kind-worker2', to: 'x/b', port: 80, expect: 'ok' },
        ],
      },
    ],
  },
  {
    name: 'service ClusterIP: policy sees the backend',
    cite: 'docs: Services (policy is enforced on backend identities after socket LB)',
    setup: `apiVersion: v1\nkind: Service\nmetadata: { name: s-a, namespace: x }\nspec:\n  selector: { pod: a }\n  ports: [{ port: 8080, targetPort: 80, protocol: TCP }]`,
    steps: [
      { apply: cnp('x', 'allow-b', `${A}  ingress:\n    - fromEndpoints: [{ matchLabels: { pod: b } }]`) },
      {
        probes: [
          { from: 'x/b', to: 's-a.x', port: 8080, expect: 'ok' },
          { from: 'x/c', to: 's-a.x.svc.cluster.local', port: 8080, expect: 'blocked' },
        ],
      },
    ],
  },
  {
    name: 'toServices allows egress to the service backends',
    cite: 'docs: Layer 3 Examples, Services based',
    setup: `apiVersion: v1\nkind: Service\nmetadata: { name: s-b, namespace: y }\nspec:\n  selector: { pod: b }\n  ports: [{ port: 80, protocol: TCP }]`,
    steps: [
      {
        apply: cnp(
          'x',
          'to-svc',
          `${A}  egress:\n    - toServices:\n        - k8sService: { serviceName: s-b, namespace: y }\n    - toEndpoints:\n        - matchLabels: { k8s:io.kubernetes.pod.namespace: kube-system, k8s:k8s-app: kube-dns }`,
        ),
      },
      {
        probes: [
          { from: 'x/a', to: 's-b.y', port: 80, expect: 'ok' },
          { from: 'x/a', to: 'y/c', port: 80, expect: 'blocked' },
        ],
      },
    ],
  },
];

describe('Cilium policy examples', () => {
  corpus(cases);
});
