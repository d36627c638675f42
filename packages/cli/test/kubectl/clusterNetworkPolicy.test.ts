import { describe, expect, it } from 'vitest';
import { transcript } from '../transcript.ts';

// ClusterNetworkPolicy through kubectl and the cilium CLI: applied while the agents do not enforce
// it (kubectl warns), listed with its TIER and PRIORITY, shown as YAML, refused with the CRD's
// words; the v1alpha1 kinds by their short names; and the switch that makes the agents enforce them.
const FILES = new Map([
  [
    'guard.yaml',
    `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: { name: sec-guardrail }
spec:
  tier: Admin
  priority: 10
  subject: { namespaces: { matchLabels: { kubernetes.io/metadata.name: default } } }
  ingress:
    - { name: deny-all, action: Deny, from: [{ namespaces: {} }] }
`,
  ],
  [
    'baseline.yaml',
    `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: { name: default-deny }
spec:
  tier: Baseline
  priority: 100
  subject: { namespaces: {} }
  egress:
    - { action: Deny, to: [{ networks: [0.0.0.0/0] }] }
`,
  ],
  [
    'bad.yaml',
    `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: { name: bad }
spec:
  tier: Admin
  priority: 1001
  subject: { namespaces: {} }
`,
  ],
  [
    'legacy.yaml',
    `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: { name: legacy }
spec:
  priority: 5
  subject: { namespaces: {} }
  ingress: [{ action: Allow, from: [{ namespaces: {} }], ports: [{ portNumber: { port: 80 } }] }]
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: { name: default }
spec:
  subject: { namespaces: {} }
  ingress: [{ action: Deny, from: [{ namespaces: {} }] }]
`,
  ],
  [
    'team.yaml',
    `apiVersion: v1
kind: Namespace
metadata: { name: team, labels: { team: a } }
---
apiVersion: v1
kind: Pod
metadata: { name: web, namespace: team, labels: { app: web } }
spec: { containers: [{ name: web, image: nginx, ports: [{ containerPort: 80 }] }] }
---
apiVersion: v1
kind: Pod
metadata: { name: client, namespace: team, labels: { app: client } }
spec: { containers: [{ name: client, image: curl }] }
`,
  ],
  [
    'team-deny.yaml',
    `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: { name: team-deny }
spec:
  tier: Baseline
  priority: 1
  subject: { pods: { namespaceSelector: { matchLabels: { team: a } }, podSelector: { matchLabels: { app: web } } } }
  ingress: [{ name: no-clients, action: Deny, from: [{ pods: { namespaceSelector: { matchLabels: { team: a } }, podSelector: { matchLabels: { app: client } } } }] }]
`,
  ],
]);

const run = (lines: readonly string[], ciliumVersion = '1.20'): string => transcript(FILES, lines, { seed: 1, ciliumVersion });

describe('kubectl and ClusterNetworkPolicy', () => {
  it('is stored but never enforced before Cilium 1.20, whatever the switch says', () => {
    const out = run(['cilium config set enable-k8s-cluster-network-policy true', 'kubectl apply -f guard.yaml'], '1.16');
    expect(out).toContain('clusternetworkpolicy.policy.networking.k8s.io/sec-guardrail created\n');
    expect(out).toContain(
      'Warning: ClusterNetworkPolicy is stored but not enforced: Cilium 1.16.0 does not implement ClusterNetworkPolicy (Cilium 1.20 does)\n',
    );
  });

  it('warns while the agents do not enforce it, and not once they do', () => {
    expect(
      run([
        'kubectl apply -f guard.yaml',
        'cilium config set enable-k8s-cluster-network-policy true',
        'kubectl apply -f baseline.yaml',
        'kubectl get clusternetworkpolicies',
        'kubectl get clusternetworkpolicy sec-guardrail -o yaml',
        'kubectl apply -f bad.yaml',
      ]),
    ).toMatchInlineSnapshot(`
      "$ kubectl apply -f guard.yaml
      clusternetworkpolicy.policy.networking.k8s.io/sec-guardrail created
      Warning: ClusterNetworkPolicy is stored but not enforced: the Cilium agents run with enable-k8s-cluster-network-policy=false (cilium config set enable-k8s-cluster-network-policy true; Helm: k8sClusterNetworkPolicy.enabled=true)
      $ cilium config set enable-k8s-cluster-network-policy true
      ✨ Patching ConfigMap cilium-config with enable-k8s-cluster-network-policy=true...
      ♻️  Restarted Cilium pods
      $ kubectl apply -f baseline.yaml
      clusternetworkpolicy.policy.networking.k8s.io/default-deny created
      $ kubectl get clusternetworkpolicies
      NAME            TIER       PRIORITY   AGE
      default-deny    Baseline   100        0s
      sec-guardrail   Admin      10         0s
      $ kubectl get clusternetworkpolicy sec-guardrail -o yaml
      apiVersion: policy.networking.k8s.io/v1alpha2
      kind: ClusterNetworkPolicy
      metadata:
        creationTimestamp: "2024-07-04T17:58:00Z"
        generation: 1
        name: sec-guardrail
        resourceVersion: "23"
        uid: 2a7a4a99-516e-4a3a-9bad-fb71504df36b
      spec:
        ingress:
        - action: Deny
          from:
          - namespaces: {}
          name: deny-all
        priority: 10
        subject:
          namespaces:
            matchLabels:
              kubernetes.io/metadata.name: default
        tier: Admin
      $ kubectl apply -f bad.yaml
      The ClusterNetworkPolicy "bad" is invalid: spec.priority: Invalid value: 1001: should be less than or equal to 1000
      [exit 1]
      "
    `);
  });

  it('serves the v1alpha1 kinds by their short names', () => {
    expect(
      run([
        'cilium config set enable-k8s-cluster-network-policy true',
        'kubectl apply -f legacy.yaml',
        'kubectl get anp',
        'kubectl get banp',
      ]),
    ).toMatchInlineSnapshot(`
      "$ cilium config set enable-k8s-cluster-network-policy true
      ✨ Patching ConfigMap cilium-config with enable-k8s-cluster-network-policy=true...
      ♻️  Restarted Cilium pods
      $ kubectl apply -f legacy.yaml
      adminnetworkpolicy.policy.networking.k8s.io/legacy created
      baselineadminnetworkpolicy.policy.networking.k8s.io/default created
      $ kubectl get anp
      NAME     PRIORITY   AGE
      legacy   5          0s
      $ kubectl get banp
      NAME      AGE
      default   0s
      "
    `);
  });

  it('shows what a tier policy would change in a server-side dry run', () => {
    expect(
      run([
        'cilium config set enable-k8s-cluster-network-policy true',
        'kubectl apply -f team.yaml',
        'kubectl apply --dry-run=server -f team-deny.yaml',
      ]).replace(/^[\s\S]*\(server dry run\)\n/, ''),
    ).toMatchInlineSnapshot(`
      "
      Policy map changes:
        identity 48336 (team/web):
          ingress enforcement: off -> on
          + INGRESS from 1 (host) any protocol: allow
          + INGRESS from 46017 (team/client) any protocol: Baseline Deny [ClusterNetworkPolicy team-deny]

      Connectivity changes (namespaces: all; ports: TCP/53, TCP/80, TCP/4245, TCP/8081, TCP/8090, TCP/9153, UDP/53):
        team/client -> team/web TCP/53: allowed -> denied (ingress)
        team/client -> team/web TCP/80: allowed -> denied (ingress)
        team/client -> team/web TCP/4245: allowed -> denied (ingress)
        team/client -> team/web TCP/8081: allowed -> denied (ingress)
        team/client -> team/web TCP/8090: allowed -> denied (ingress)
        team/client -> team/web TCP/9153: allowed -> denied (ingress)
        team/client -> team/web UDP/53: allowed -> denied (ingress)

      Observed traffic whose verdict would change:
        (none)
      "
    `);
  });
});
