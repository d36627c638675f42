// The network-policy-api kinds as the API server admits them: ClusterNetworkPolicy v1alpha2 and
// the v1alpha1 AdminNetworkPolicy and BaselineAdminNetworkPolicy, checked as their CRDs' OpenAPI
// schemas and CEL rules check them (every issue of a manifest at once, with the CRDs' messages),
// then as Cilium 1.20's translation refuses what it cannot enforce.
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/cluster/cluster.ts';
import { formatIssue } from '../../src/errors.ts';

function issues(manifest: string): string[] {
  const cluster = Cluster.create({ seed: 1, mutualAuth: false, ciliumVersion: '1.20' });
  const [r] = cluster.apply(manifest);
  return r!.ok ? [] : r!.error.issues.map(formatIssue);
}

const cnp = (spec: string) =>
  `apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: { name: p }\nspec:\n${spec}`;

describe('ClusterNetworkPolicy v1alpha2 validation', () => {
  it('accepts every field of the spec: tiers, priorities, both subjects, every peer and port form', () => {
    expect(
      issues(
        cnp(`  tier: Admin
  priority: 1000
  subject: { pods: { namespaceSelector: { matchLabels: { team: a } }, podSelector: { matchExpressions: [{ key: app, operator: In, values: [web] }] } } }
  ingress:
    - { name: from-pods, action: Accept, from: [{ pods: { podSelector: {} } }, { namespaces: {} }], protocols: [{ destinationNamedPort: web }] }
  egress:
    - name: to-networks
      action: Deny
      to: [{ networks: ["10.0.0.0/8", "2001:db8::/32"] }]
      protocols: [{ tcp: { destinationPort: { number: 443 } } }, { udp: { destinationPort: { range: { start: 5000, end: 5100 } } } }, { sctp: { destinationPort: { number: 9003 } } }]
    - { action: Pass, to: [{ namespaces: { matchLabels: { team: b } } }] }
    - { action: Accept, to: [{ domainNames: ["api.example.com", "*.cilium.io"] }] }`),
      ),
    ).toEqual([]);
  });

  it('reports every issue the CRD finds, with its messages', () => {
    expect(
      issues(
        cnp(`  tier: Top
  priority: 1001
  subject: { namespaces: {}, pods: { podSelector: {} } }
  ingress:
    - { name: ok, action: Allow, from: [] }
  egress:
    - action: Accept
      to: [{ networks: ["10.0.0.0/33"] }]
      protocols: [{ tcp: { destinationPort: { range: { start: 90, end: 80 } } } }, { destinationNamedPort: web }, { tcp: {} }]`),
      ),
    ).toMatchInlineSnapshot(`
      [
        "ClusterNetworkPolicy p: spec.tier: Unsupported value: "Top": supported values: "Admin", "Baseline"",
        "ClusterNetworkPolicy p: spec.priority: Invalid value: 1001: should be less than or equal to 1000",
        "ClusterNetworkPolicy p: spec.subject: Too many: 2: must have at most 1 items; set exactly one of "namespaces", "pods"",
        "ClusterNetworkPolicy p: spec.ingress[0].action: Unsupported value: "Allow": supported values: "Accept", "Deny", "Pass"",
        "ClusterNetworkPolicy p: spec.ingress[0].from: Required value: should have at least 1 item",
        "ClusterNetworkPolicy p: spec.egress[0].to[0].networks[0]: Invalid value: "string": Invalid CIDR format provided",
        "ClusterNetworkPolicy p: spec.egress[0].protocols[0].tcp.destinationPort.range: Invalid value: "object": Start port must be less than End port",
        "ClusterNetworkPolicy p: spec.egress[0].protocols[2].tcp: Required value: should have at least 1 properties; set destinationPort",
        "ClusterNetworkPolicy p: spec.egress[0]: Invalid value: "object": networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for networks/nodes/domainNames",
      ]
    `);
  });

  it('refuses a domain name outside the CRD pattern and an unknown field', () => {
    expect(
      issues(
        cnp(`  tier: Baseline
  priority: 1
  subject: { namespaces: {} }
  egress: [{ action: Accept, to: [{ domainNames: ["example.*"] }], ports: [] }]`),
      ),
    ).toMatchInlineSnapshot(`
      [
        "ClusterNetworkPolicy p: spec.egress[0].to[0].domainNames[0]: Invalid value: "example.*": should match '^(\\*\\.)?([a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\\.)+[a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\\.?$'",
        "ClusterNetworkPolicy p: spec.egress[0].ports: unknown field "spec.egress[0].ports"; check its spelling and indentation",
      ]
    `);
  });

  it("refuses what Cilium 1.20's translation refuses: node peers without node selector labels, domain names outside Accept", () => {
    expect(
      issues(
        cnp(`  tier: Admin
  priority: 1
  subject: { namespaces: {} }
  egress:
    - { action: Accept, to: [{ nodes: {} }] }
    - { action: Deny, to: [{ domainNames: ["*.example.com"] }] }`),
      ),
    ).toMatchInlineSnapshot(`
      [
        "ClusterNetworkPolicy p: spec.egress[0].to[0].nodes: egress.to.nodes is not supported since node selector labels are disabled",
        "ClusterNetworkPolicy p: spec.egress[1].to[0].domainNames: egress.to.domainNames is only supported for egress.action=Accept",
      ]
    `);
  });
});

describe('AdminNetworkPolicy and BaselineAdminNetworkPolicy v1alpha1', () => {
  it('accept ports by number, name and range, Allow/Deny/Pass in the Admin tier', () => {
    expect(
      issues(`apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: { name: legacy }
spec:
  priority: 5
  subject: { namespaces: {} }
  ingress:
    - { action: Allow, from: [{ namespaces: {} }], ports: [{ portNumber: { port: 80 } }, { namedPort: web }, { portRange: { protocol: UDP, start: 5000, end: 5100 } }] }
    - { action: Pass, from: [{ pods: { podSelector: {} } }] }`),
    ).toEqual([]);
  });

  it('keep the baseline a singleton named default, without Pass', () => {
    expect(
      issues(`apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: { name: mine }
spec:
  subject: { namespaces: {} }
  ingress: [{ action: Pass, from: [{ namespaces: {} }] }]`),
    ).toMatchInlineSnapshot(`
      [
        "BaselineAdminNetworkPolicy mine: spec.ingress[0].action: Unsupported value: "Pass": supported values: "Allow", "Deny"",
      ]
    `);
  });
});
