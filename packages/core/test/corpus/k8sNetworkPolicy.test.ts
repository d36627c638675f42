// Cases modelled on the upstream Kubernetes network policy e2e tests
// (kubernetes/kubernetes test/e2e/network/netpol/network_policy.go, "Netpol" suite): the x/y/z
// namespaces with pods a/b/c, reachability matrices, and Cilium's documented differences
// (ipBlock never matches pod IPs). The YAML is written fresh for the sandbox.
import { describe } from 'vitest';
import { corpus, matrix, type CorpusCase } from './corpusHarness.ts';

const nsOf = (p: string): string => p.split('/')[0]!;
const podOf = (p: string): string => p.split('/')[1]!;

function knp(ns: string, name: string, spec: string): string {
  return `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: ${name}, namespace: ${ns} }\nspec:\n${spec}`;
}

const DNS_EGRESS = `
    - ports:
        - { protocol: UDP, port: 53 }
        - { protocol: TCP, port: 53 }`;

const cases: CorpusCase[] = [
  {
    name: 'default-deny-ingress isolates every pod of the namespace',
    cite: 'network_policy.go: should support a default-deny-ingress policy',
    steps: [
      { apply: knp('x', 'deny-ingress', '  podSelector: {}\n  policyTypes: [Ingress]') },
      { probes: matrix(80, 'TCP', (_f, t) => nsOf(t) !== 'x') },
    ],
  },
  {
    name: 'default-deny-ingress applies to UDP and SCTP too',
    cite: 'network_policy.go: should support a default-deny-ingress policy (UDP/SCTP variants)',
    steps: [
      { apply: knp('x', 'deny-ingress', '  podSelector: {}\n  policyTypes: [Ingress]') },
      {
        probes: [
          ...matrix(81, 'UDP', (_f, t) => nsOf(t) !== 'x', ['x/a', 'y/a']),
          ...matrix(80, 'SCTP', (_f, t) => nsOf(t) !== 'x', ['x/b', 'z/b']),
        ],
      },
    ],
  },
  {
    name: 'default-deny-all blocks both directions of the namespace',
    cite: 'network_policy.go: should support a default-deny-all policy',
    steps: [
      { apply: knp('x', 'deny-all', '  podSelector: {}\n  policyTypes: [Ingress, Egress]') },
      { probes: matrix(80, 'TCP', (f, t) => nsOf(f) !== 'x' && nsOf(t) !== 'x') },
    ],
  },
  {
    name: 'podSelector peer admits only the selected pod of the same namespace',
    cite: 'network_policy.go: should enforce policy to allow traffic from pods within server namespace based on PodSelector',
    steps: [
      {
        apply: knp(
          'x',
          'allow-b',
          '  podSelector: { matchLabels: { pod: a } }\n  ingress:\n    - from:\n        - podSelector: { matchLabels: { pod: b } }',
        ),
      },
      { probes: matrix(80, 'TCP', (f, t) => t !== 'x/a' || f === 'x/b', ['x/a', 'x/b']) },
    ],
  },
  {
    name: 'empty ingress rule allows every source',
    cite: 'network_policy.go: should enforce policy to allow ingress traffic for a target',
    steps: [
      { apply: knp('x', 'deny-all', '  podSelector: {}\n  policyTypes: [Ingress]') },
      { apply: knp('x', 'allow-a', '  podSelector: { matchLabels: { pod: a } }\n  ingress: [{}]') },
      { probes: matrix(80, 'TCP', (_f, t) => t === 'x/a', ['x/a', 'x/b']) },
    ],
  },
  {
    name: 'namespaceSelector {} admits pods of every namespace',
    cite: 'network_policy.go: should enforce policy to allow ingress traffic from pods in all namespaces',
    steps: [
      {
        apply: knp(
          'x',
          'allow-all-ns',
          '  podSelector: { matchLabels: { pod: a } }\n  ingress:\n    - from:\n        - namespaceSelector: {}',
        ),
      },
      {
        probes: [
          ...matrix(80, 'TCP', () => true, ['x/a']),
          ...matrix(81, 'UDP', () => true, ['x/a']),
          { from: 'outside:192.0.2.10', to: 'x/a', port: 80, expect: 'blocked' },
        ],
      },
    ],
  },
  {
    name: 'namespaceSelector matchLabels admits only that namespace',
    cite: 'network_policy.go: should enforce policy to allow traffic only from a different namespace, based on NamespaceSelector',
    steps: [
      {
        apply: knp(
          'x',
          'allow-ns-y',
          '  podSelector: { matchLabels: { pod: a } }\n  ingress:\n    - from:\n        - namespaceSelector: { matchLabels: { ns: y } }',
        ),
      },
      { probes: matrix(80, 'TCP', (f) => nsOf(f) === 'y', ['x/a']) },
    ],
  },
  {
    name: 'namespaceSelector on the default kubernetes.io/metadata.name label',
    cite: 'network_policy.go: should enforce policy to allow traffic based on NamespaceSelector with MatchLabels using default ns label',
    steps: [
      {
        apply: knp(
          'x',
          'allow-ns-y',
          '  podSelector: { matchLabels: { pod: a } }\n  ingress:\n    - from:\n        - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: y } }',
        ),
      },
      { probes: matrix(80, 'TCP', (f) => nsOf(f) === 'y', ['x/a']) },
    ],
  },
  {
    name: 'podSelector with matchExpressions In',
    cite: 'network_policy.go: should enforce policy based on PodSelector with MatchExpressions',
    steps: [
      {
        apply: knp(
          'x',
          'expr',
          '  podSelector: { matchLabels: { pod: a } }\n  ingress:\n    - from:\n        - podSelector:\n            matchExpressions: [{ key: pod, operator: In, values: [b] }]',
        ),
      },
      { probes: matrix(80, 'TCP', (f) => f === 'x/b', ['x/a']) },
    ],
  },
  {
    name: 'namespaceSelector with matchExpressions NotIn on the default namespace label',
    cite: 'network_policy.go: should enforce policy based on NamespaceSelector with MatchExpressions using default ns label',
    steps: [
      {
        apply: knp(
          'x',
          'expr',
          '  podSelector: { matchLabels: { pod: a } }\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchExpressions: [{ key: kubernetes.io/metadata.name, operator: NotIn, values: [y] }]',
        ),
      },
      { probes: matrix(80, 'TCP', (f) => nsOf(f) !== 'y', ['x/a']) },
    ],
  },
  {
    name: 'separate peers OR: podSelector or namespaceSelector',
    cite: 'network_policy.go: should enforce policy based on PodSelector or NamespaceSelector',
    steps: [
      {
        apply: knp(
          'x',
          'or',
          '  podSelector: { matchLabels: { pod: a } }\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchExpressions: [{ key: ns, operator: NotIn, values: [x] }]\n        - podSelector: { matchLabels: { pod: b } }',
        ),
      },
      { probes: matrix(80, 'TCP', (f) => nsOf(f) !== 'x' || f === 'x/b', ['x/a']) },
    ],
  },
  {
    name: 'one peer with both selectors ANDs them',
    cite: 'network_policy.go: should enforce policy based on PodSelector and NamespaceSelector',
    steps: [
      {
        apply: knp(
          'x',
          'and',
          '  podSelector: { matchLabels: { pod: a } }\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchExpressions: [{ key: ns, operator: NotIn, values: [x] }]\n          podSelector:\n            matchExpressions: [{ key: pod, operator: In, values: [b, c] }]',
        ),
      },
      { probes: matrix(80, 'TCP', (f) => nsOf(f) !== 'x' && podOf(f) !== 'a', ['x/a']) },
    ],
  },
  {
    name: 'a pod in a different namespace by podSelector and namespaceSelector',
    cite: 'network_policy.go: should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector',
    steps: [
      {
        apply: knp(
          'x',
          'ya',
          '  podSelector: { matchLabels: { pod: a } }\n  ingress:\n    - from:\n        - namespaceSelector: { matchLabels: { ns: y } }\n          podSelector: { matchLabels: { pod: a } }',
        ),
      },
      { probes: matrix(80, 'TCP', (f) => f === 'y/a', ['x/a']) },
    ],
  },
  {
    name: 'several podSelectors in one rule',
    cite: 'network_policy.go: should enforce policy based on any PodSelectors',
    steps: [
      {
        apply: knp(
          'x',
          'any',
          '  podSelector: { matchLabels: { pod: a } }\n  ingress:\n    - from:\n        - podSelector: { matchLabels: { pod: b } }\n        - podSelector: { matchLabels: { pod: c } }',
        ),
      },
      { probes: matrix(80, 'TCP', (f) => f === 'x/b' || f === 'x/c', ['x/a']) },
    ],
  },
  {
    name: 'ports restrict the allowed peers to one port',
    cite: 'network_policy.go: should enforce policy based on Ports',
    steps: [
      {
        apply: knp(
          'x',
          'port81',
          '  podSelector: { matchLabels: { pod: a } }\n  ingress:\n    - from:\n        - namespaceSelector: { matchLabels: { ns: y } }\n      ports: [{ port: 81, protocol: TCP }]',
        ),
      },
      { probes: [...matrix(80, 'TCP', () => false, ['x/a']), ...matrix(81, 'TCP', (f) => nsOf(f) === 'y', ['x/a'])] },
    ],
  },
  {
    name: 'stacked policies add ports',
    cite: 'network_policy.go: should enforce multiple, stacked policies with overlapping podSelectors',
    steps: [
      {
        apply: knp(
          'x',
          'port81',
          '  podSelector: { matchLabels: { pod: a } }\n  ingress:\n    - from:\n        - namespaceSelector: { matchLabels: { ns: y } }\n      ports: [{ port: 81, protocol: TCP }]',
        ),
      },
      {
        probes: [
          { from: 'y/b', to: 'x/a', port: 80, expect: 'blocked' },
          { from: 'y/b', to: 'x/a', port: 81, expect: 'ok' },
        ],
      },
      {
        apply: knp(
          'x',
          'port80',
          '  podSelector: { matchLabels: { pod: a } }\n  ingress:\n    - from:\n        - namespaceSelector: { matchLabels: { ns: y } }\n      ports: [{ port: 80, protocol: TCP }]',
        ),
      },
      { probes: [...matrix(80, 'TCP', (f) => nsOf(f) === 'y', ['x/a']), ...matrix(81, 'TCP', (f) => nsOf(f) === 'y', ['x/a'])] },
    ],
  },
  {
    name: 'allow-all policy',
    cite: 'network_policy.go: should support allow-all policy',
    steps: [
      { apply: knp('x', 'allow-all', '  podSelector: {}\n  ingress: [{}]') },
      { probes: [...matrix(80, 'TCP', () => true, ['x/a', 'x/b']), { from: 'outside:192.0.2.10', to: 'x/a', port: 80, expect: 'ok' }] },
    ],
  },
  {
    name: 'ingress on one named port',
    cite: 'network_policy.go: should allow ingress access on one named port',
    steps: [
      { apply: knp('x', 'named', '  podSelector: {}\n  ingress:\n    - ports: [{ port: serve-81-tcp }]') },
      {
        probes: [
          ...matrix(81, 'TCP', () => true, ['x/a']),
          ...matrix(80, 'TCP', () => false, ['x/a']),
          { from: 'y/a', to: 'x/b', port: 81, proto: 'UDP', expect: 'blocked' },
        ],
      },
    ],
  },
  {
    name: 'ingress from a namespace on one named port',
    cite: 'network_policy.go: should allow ingress access from namespace on one named port',
    steps: [
      {
        apply: knp(
          'x',
          'named-ns',
          '  podSelector: {}\n  ingress:\n    - from:\n        - namespaceSelector: { matchLabels: { ns: y } }\n      ports: [{ port: serve-80-tcp, protocol: TCP }]',
        ),
      },
      { probes: [...matrix(80, 'TCP', (f) => nsOf(f) === 'y', ['x/a']), ...matrix(81, 'TCP', () => false, ['x/a'])] },
    ],
  },
  {
    name: 'egress on one named port',
    cite: 'network_policy.go: should allow egress access on one named port',
    steps: [
      {
        apply: knp(
          'x',
          'named-egress',
          `  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n    - ports: [{ port: serve-80-tcp }]${DNS_EGRESS}`,
        ),
      },
      { probes: [...matrix(80, 'TCP', () => true, ['y/a', 'z/b']), ...matrix(81, 'TCP', (f) => nsOf(f) !== 'x', ['y/a', 'z/b'])] },
    ],
  },
  {
    name: 'egress on a named UDP port',
    cite: 'network_policy.go: should allow egress access on one named port (UDP variant)',
    steps: [
      {
        apply: knp(
          'x',
          'named-egress-udp',
          '  podSelector: { matchLabels: { pod: a } }\n  policyTypes: [Egress]\n  egress:\n    - ports: [{ port: serve-81-udp, protocol: UDP }]',
        ),
      },
      {
        probes: [
          { from: 'x/a', to: 'y/b', port: 81, proto: 'UDP', expect: 'ok' },
          { from: 'x/a', to: 'y/b', port: 80, proto: 'UDP', expect: 'blocked' },
          { from: 'x/a', to: 'y/b', port: 81, proto: 'TCP', expect: 'blocked' },
          { from: 'x/b', to: 'y/b', port: 80, proto: 'UDP', expect: 'ok' },
        ],
      },
    ],
  },
  {
    name: 'an updated policy replaces the old port',
    cite: 'network_policy.go: should enforce updated policy',
    steps: [
      { apply: knp('x', 'upd', '  podSelector: { matchLabels: { pod: a } }\n  ingress:\n    - ports: [{ port: 81 }]') },
      {
        probes: [
          { from: 'y/a', to: 'x/a', port: 81, expect: 'ok' },
          { from: 'y/a', to: 'x/a', port: 80, expect: 'blocked' },
        ],
      },
      { apply: knp('x', 'upd', '  podSelector: { matchLabels: { pod: a } }\n  ingress:\n    - ports: [{ port: 80 }]') },
      {
        probes: [
          { from: 'y/a', to: 'x/a', port: 81, expect: 'blocked' },
          { from: 'y/a', to: 'x/a', port: 80, expect: 'ok' },
        ],
      },
    ],
  },
  {
    name: 'a namespace gaining a label gains access',
    cite: 'network_policy.go: should allow ingress access from updated namespace',
    steps: [
      {
        apply: knp(
          'x',
          'ns2',
          '  podSelector: { matchLabels: { pod: a } }\n  ingress:\n    - from:\n        - namespaceSelector: { matchLabels: { ns2: updated } }',
        ),
      },
      {
        probes: [
          { from: 'y/a', to: 'x/a', port: 80, expect: 'blocked' },
          { from: 'z/a', to: 'x/a', port: 80, expect: 'blocked' },
        ],
      },
      { label: { kind: 'Namespace', name: 'y', labels: { ns2: 'updated' } } },
      { probes: matrix(80, 'TCP', (f) => nsOf(f) === 'y', ['x/a']) },
    ],
  },
  {
    name: 'a pod gaining a label gains access',
    cite: 'network_policy.go: should allow ingress access from updated pod',
    steps: [
      {
        apply: knp(
          'x',
          'pod2',
          '  podSelector: { matchLabels: { pod: a } }\n  ingress:\n    - from:\n        - podSelector: { matchLabels: { pod2: updated } }',
        ),
      },
      { probes: [{ from: 'x/b', to: 'x/a', port: 80, expect: 'blocked' }] },
      { label: { kind: 'Pod', namespace: 'x', name: 'b', labels: { pod2: 'updated' } } },
      { probes: matrix(80, 'TCP', (f) => f === 'x/b', ['x/a']) },
    ],
  },
  {
    name: 'a pod gaining a label becomes isolated',
    cite: 'network_policy.go: should deny ingress access to updated pod',
    steps: [
      { apply: knp('x', 'isolate', '  podSelector: { matchLabels: { target: isolated } }\n  policyTypes: [Ingress]') },
      { probes: [{ from: 'y/a', to: 'x/a', port: 80, expect: 'ok' }] },
      { label: { kind: 'Pod', namespace: 'x', name: 'a', labels: { target: 'isolated' } } },
      { probes: [...matrix(80, 'TCP', () => false, ['x/a']), { from: 'y/a', to: 'x/b', port: 80, expect: 'ok' }] },
    ],
  },
  {
    name: 'podSelector {} as peer denies other namespaces',
    cite: 'network_policy.go: should deny ingress from pods on other namespaces',
    steps: [
      { apply: knp('x', 'same-ns', '  podSelector: {}\n  ingress:\n    - from:\n        - podSelector: {}') },
      { probes: matrix(80, 'TCP', (f, t) => nsOf(t) !== 'x' || nsOf(f) === 'x') },
    ],
  },
  {
    name: 'egress deny from one pod',
    cite: 'network_policy.go: should deny egress from pods based on PodSelector',
    steps: [
      { apply: knp('x', 'deny-egress-a', '  podSelector: { matchLabels: { pod: a } }\n  policyTypes: [Egress]') },
      { probes: matrix(80, 'TCP', (f) => f !== 'x/a', ['x/b', 'y/a', 'z/c']) },
    ],
  },
  {
    name: 'egress deny from every pod of a namespace',
    cite: 'network_policy.go: should deny egress from all pods in a namespace',
    steps: [
      { apply: knp('x', 'deny-egress', '  podSelector: {}\n  policyTypes: [Egress]\n  egress: []') },
      {
        probes: [
          ...matrix(80, 'TCP', (f) => nsOf(f) !== 'x', ['x/a', 'y/b']),
          { from: 'x/a', to: '192.0.2.10', port: 80, expect: 'blocked' },
        ],
      },
    ],
  },
  {
    name: 'ingress and egress together',
    cite: 'network_policy.go: should work with Ingress, Egress specified together',
    steps: [
      {
        apply: knp(
          'x',
          'both',
          `  podSelector: { matchLabels: { pod: a } }\n  policyTypes: [Ingress, Egress]\n  ingress:\n    - from:\n        - podSelector: { matchLabels: { pod: b } }\n  egress:\n    - ports: [{ port: 80 }]${DNS_EGRESS}`,
        ),
      },
      {
        probes: [
          ...matrix(80, 'TCP', (f) => f === 'x/b', ['x/a']),
          { from: 'x/a', to: 'y/b', port: 80, expect: 'ok' },
          { from: 'x/a', to: 'y/b', port: 81, expect: 'blocked' },
        ],
      },
    ],
  },
  {
    name: 'client-side egress deny wins over a server that allows',
    cite: 'network_policy.go: should support denying of egress traffic on the client side (even if the server explicitly allows this traffic)',
    steps: [
      {
        apply: knp(
          'x',
          'egress-to-y',
          `  podSelector: { matchLabels: { pod: a } }\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - namespaceSelector: { matchLabels: { ns: y } }${DNS_EGRESS}`,
        ),
      },
      {
        apply: knp(
          'z',
          'allow-from-xa',
          '  podSelector: {}\n  ingress:\n    - from:\n        - namespaceSelector: { matchLabels: { ns: x } }\n          podSelector: { matchLabels: { pod: a } }',
        ),
      },
      { probes: [...matrix(80, 'TCP', (f, t) => (f !== 'x/a' ? nsOf(t) !== 'z' : nsOf(t) === 'y'), ['y/a', 'z/a', 'z/b'])] },
    ],
  },
  {
    name: 'egress to a pod in another namespace by both selectors',
    cite: 'network_policy.go: should enforce egress policy allowing traffic to a server in a different namespace based on PodSelector and NamespaceSelector',
    steps: [
      {
        apply: knp(
          'x',
          'egress-ya',
          `  podSelector: { matchLabels: { pod: a } }\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - namespaceSelector: { matchLabels: { ns: y } }\n          podSelector: { matchLabels: { pod: a } }${DNS_EGRESS}`,
        ),
      },
      { probes: matrix(80, 'TCP', (f, t) => f !== 'x/a' || t === 'y/a', ['y/a', 'y/b', 'x/b']) },
    ],
  },
  {
    name: 'protocol-only port rule allows every TCP port and no UDP',
    cite: 'network_policy.go: should enforce ingress policy allowing any port traffic to a server on a specific protocol',
    steps: [
      { apply: knp('x', 'tcp-only', '  podSelector: { matchLabels: { pod: a } }\n  ingress:\n    - ports: [{ protocol: TCP }]') },
      {
        probes: [
          ...matrix(80, 'TCP', () => true, ['x/a']),
          ...matrix(81, 'TCP', () => true, ['x/a']),
          ...matrix(80, 'UDP', () => false, ['x/a']),
        ],
      },
    ],
  },
  {
    name: 'allow-all ingress takes precedence over a port policy',
    cite: 'network_policy.go: should enforce multiple ingress policies with ingress allow-all policy taking precedence',
    steps: [
      { apply: knp('x', 'port80', '  podSelector: { matchLabels: { pod: a } }\n  ingress:\n    - ports: [{ port: 80 }]') },
      { probes: [{ from: 'y/c', to: 'x/a', port: 81, expect: 'blocked' }] },
      { apply: knp('x', 'allow-all', '  podSelector: { matchLabels: { pod: a } }\n  ingress: [{}]') },
      { probes: [...matrix(81, 'TCP', () => true, ['x/a']), ...matrix(80, 'UDP', () => true, ['x/a'])] },
    ],
  },
  {
    name: 'allow-all egress takes precedence over a port policy',
    cite: 'network_policy.go: should enforce multiple egress policies with egress allow-all policy taking precedence',
    steps: [
      {
        apply: knp(
          'x',
          'egress80',
          `  podSelector: { matchLabels: { pod: a } }\n  policyTypes: [Egress]\n  egress:\n    - ports: [{ port: 80 }]${DNS_EGRESS}`,
        ),
      },
      { probes: [{ from: 'x/a', to: 'y/b', port: 81, expect: 'blocked' }] },
      { apply: knp('x', 'egress-all', '  podSelector: { matchLabels: { pod: a } }\n  policyTypes: [Egress]\n  egress: [{}]') },
      {
        probes: [
          { from: 'x/a', to: 'y/b', port: 81, expect: 'ok' },
          { from: 'x/a', to: 'y/b', port: 80, proto: 'UDP', expect: 'ok' },
          { from: 'x/a', to: '192.0.2.10', port: 443, expect: 'ok' },
        ],
      },
    ],
  },
  {
    name: 'deleting the policies restores connectivity',
    cite: 'network_policy.go: should stop enforcing policies after they are deleted',
    steps: [
      { apply: knp('x', 'deny-all', '  podSelector: {}\n  policyTypes: [Ingress, Egress]') },
      {
        probes: [
          { from: 'y/a', to: 'x/a', port: 80, expect: 'blocked' },
          { from: 'x/b', to: 'y/a', port: 80, expect: 'blocked' },
        ],
      },
      { delete: knp('x', 'deny-all', '  podSelector: {}\n  policyTypes: [Ingress, Egress]') },
      { probes: matrix(80, 'TCP', () => true, ['x/a', 'y/a']) },
    ],
  },
  {
    name: 'ingress and egress controlled independently',
    cite: 'network_policy.go: should enforce policies to check ingress and egress policies can be controlled independently based on PodSelector',
    steps: [
      { apply: knp('x', 'deny-egress-a', '  podSelector: { matchLabels: { pod: a } }\n  policyTypes: [Egress]') },
      {
        probes: [
          { from: 'x/a', to: 'x/b', port: 80, expect: 'blocked' },
          { from: 'x/b', to: 'x/a', port: 80, expect: 'ok' },
        ],
      },
      { apply: knp('x', 'deny-ingress-b', '  podSelector: { matchLabels: { pod: b } }\n  policyTypes: [Ingress]') },
      {
        probes: [
          { from: 'x/b', to: 'x/a', port: 80, expect: 'ok' },
          { from: 'x/c', to: 'x/b', port: 80, expect: 'blocked' },
          { from: 'x/c', to: 'x/a', port: 80, expect: 'ok' },
        ],
      },
    ],
  },
  {
    name: 'SCTP is not TCP',
    cite: "network_policy.go: should not mistakenly treat 'protocol: SCTP' as 'protocol: TCP'",
    steps: [
      { apply: knp('x', 'sctp', '  podSelector: { matchLabels: { pod: a } }\n  ingress:\n    - ports: [{ port: 80, protocol: SCTP }]') },
      {
        probes: [
          ...matrix(80, 'TCP', () => false, ['x/a']),
          ...matrix(80, 'SCTP', () => true, ['x/a']),
          { from: 'y/a', to: 'x/a', port: 81, proto: 'SCTP', expect: 'blocked' },
        ],
      },
    ],
  },
  {
    name: 'UDP is not TCP',
    cite: 'network_policy.go: should not allow access by TCP when a policy specifies only UDP',
    steps: [
      { apply: knp('x', 'udp', '  podSelector: { matchLabels: { pod: a } }\n  ingress:\n    - ports: [{ port: 81, protocol: UDP }]') },
      { probes: [...matrix(81, 'UDP', () => true, ['x/a']), ...matrix(81, 'TCP', () => false, ['x/a'])] },
    ],
  },
  {
    name: 'ipBlock with a pod IP does not admit the pod (Cilium)',
    cite: 'network_policy.go: should allow egress access to server in CIDR block (Cilium: ipBlock never matches pod IPs)',
    steps: [
      {
        apply: knp(
          'x',
          'egress-cidr',
          `  podSelector: { matchLabels: { pod: a } }\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - ipBlock: { cidr: 10.244.0.0/16 }${DNS_EGRESS}`,
        ),
      },
      {
        probes: [
          { from: 'x/a', to: 'y/b', port: 80, expect: 'blocked' },
          { from: 'x/a', to: 'x/b', port: 80, expect: 'blocked' },
          { from: 'x/b', to: 'y/b', port: 80, expect: 'ok' },
        ],
      },
    ],
  },
  {
    name: 'ipBlock with except and a pod IP stays denied (Cilium)',
    cite: 'network_policy.go: should enforce except clause while egress access to server in CIDR block',
    steps: [
      {
        apply: knp(
          'x',
          'egress-except',
          `  podSelector: { matchLabels: { pod: a } }\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - ipBlock: { cidr: 0.0.0.0/0, except: [10.0.0.0/8] }${DNS_EGRESS}`,
        ),
      },
      {
        probes: [
          { from: 'x/a', to: 'y/b', port: 80, expect: 'blocked' },
          { from: 'x/a', to: '192.0.2.10', port: 80, expect: 'ok' },
          { from: 'x/a', to: '10.1.2.3', port: 80, expect: 'blocked' },
        ],
      },
    ],
  },
  {
    name: 'ipBlock ingress admits outside clients in the block, not outside it',
    cite: 'network_policy.go: should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed (outside-client form)',
    steps: [
      {
        apply: knp(
          'x',
          'ingress-block',
          '  podSelector: { matchLabels: { pod: a } }\n  ingress:\n    - from:\n        - ipBlock: { cidr: 192.0.2.0/24, except: [192.0.2.128/25] }\n        - ipBlock: { cidr: 192.0.2.200/32 }',
        ),
      },
      {
        probes: [
          { from: 'outside:192.0.2.10', to: 'x/a', port: 80, expect: 'ok' },
          { from: 'outside:192.0.2.130', to: 'x/a', port: 80, expect: 'blocked' },
          { from: 'outside:192.0.2.200', to: 'x/a', port: 80, expect: 'ok' },
          { from: 'outside:198.51.100.7', to: 'x/a', port: 80, expect: 'blocked' },
          { from: 'y/a', to: 'x/a', port: 80, expect: 'blocked' },
        ],
      },
    ],
  },
  {
    name: 'port range with endPort',
    cite: 'network_policy.go: should support egress/ingress port ranges (endPort)',
    steps: [
      {
        apply: knp(
          'x',
          'range',
          '  podSelector: { matchLabels: { pod: a } }\n  ingress:\n    - ports: [{ port: 81, endPort: 90, protocol: TCP }]',
        ),
      },
      {
        probes: [
          { from: 'y/a', to: 'x/a', port: 80, expect: 'blocked' },
          { from: 'y/a', to: 'x/a', port: 81, expect: 'ok' },
          { from: 'y/a', to: 'x/a', port: 85, expect: 'refused' },
          { from: 'y/a', to: 'x/a', port: 91, expect: 'blocked' },
        ],
      },
    ],
  },
  {
    name: 'a pod created after the policy is isolated at once',
    cite: 'network_policy.go: should enforce policy to allow traffic from pods within server namespace based on PodSelector (pod added later)',
    steps: [
      { apply: knp('x', 'deny', '  podSelector: {}\n  policyTypes: [Ingress]') },
      {
        apply:
          'apiVersion: v1\nkind: Pod\nmetadata: { name: d, namespace: x, labels: { pod: d } }\nspec:\n  containers: [{ name: c, image: nginx, ports: [{ containerPort: 80 }] }]',
      },
      {
        probes: [
          { from: 'y/a', to: 'x/d', port: 80, expect: 'blocked' },
          { from: 'x/d', to: 'y/a', port: 80, expect: 'ok' },
        ],
      },
    ],
  },
];

describe('Kubernetes NetworkPolicy e2e cases', () => {
  corpus(cases);
});
