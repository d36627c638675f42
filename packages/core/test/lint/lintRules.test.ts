import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { LINT_RULES } from '../../src/lint/lintRules.ts';
import { lintPolicies, lintRuleVersions } from '../../src/lint/lintPolicies.ts';
import { CILIUM_MINORS } from '../../src/version/ciliumVersion.ts';

// One row per lint rule: a manifest that trips it and one that does not, linted for a version
// the rule runs in. Version-gated rules also fire in exactly the versions their row names.
const cnp = (name: string, spec: string): string =>
  `apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: { name: ${name} }\nspec:\n${spec.replace(/^/gm, '  ')}`;
const pod = (name: string, labels: string, ns = 'default'): string =>
  `apiVersion: v1\nkind: Pod\nmetadata: { name: ${name}, namespace: ${ns}, labels: ${labels} }\nspec: { containers: [{ name: c, image: x, ports: [{ name: http, containerPort: 8080 }] }] }`;
const docs = (...texts: string[]): unknown[] => texts.map((t) => parse(t));
const DNS = `- toEndpoints: [{ matchLabels: { k8s:io.kubernetes.pod.namespace: kube-system, k8s-app: kube-dns } }]
  toPorts: [{ ports: [{ port: "53", protocol: ANY }], rules: { dns: [{ matchPattern: "*" }] } }]`;

interface Row {
  readonly trips: unknown[];
  readonly clean: unknown[];
  /** The version to lint for; the default (1.16, version-gated rules off) when absent. */
  readonly version?: string;
  /** For rules that depend on the version: the minors the trip fires in. */
  readonly fires?: readonly string[];
}

const TABLE: Readonly<Record<string, Row>> = {
  'tier-policy-refused': {
    trips: docs(
      'apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: { name: g }\nspec:\n  tier: Admin\n  priority: 10\n  subject: { namespaces: {} }\n  ingress:\n  - { name: r, action: Deny, from: [{ namespaces: {} }], protocols: [{ tcp: { destinationPort: { range: { start: 90, end: 80 } } } }] }',
    ),
    clean: docs(
      'apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: { name: g }\nspec:\n  tier: Admin\n  priority: 10\n  subject: { namespaces: {} }\n  ingress:\n  - { name: r, action: Deny, from: [{ namespaces: {} }], protocols: [{ tcp: { destinationPort: { range: { start: 80, end: 90 } } } }] }',
    ),
  },
  'tier-policy-not-enforced': {
    trips: docs(
      'apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: { name: g }\nspec:\n  tier: Admin\n  priority: 10\n  subject: { namespaces: {} }\n  ingress:\n  - { name: r, action: Deny, from: [{ namespaces: {} }] }',
    ),
    clean: docs(cnp('a', 'endpointSelector: {}\ningress:\n- fromEndpoints: [{}]')),
    version: '1.16',
    fires: ['1.14', '1.15', '1.16', '1.17', '1.18', '1.19'],
  },
  'unknown-field': {
    trips: docs(cnp('a', 'endpointSelector: {}\ningress:\n- fromEndpoint: [{}]')),
    clean: docs(cnp('a', 'endpointSelector: {}\ningress:\n- fromEndpoints: [{}]')),
  },
  'selector-missing': {
    trips: docs(cnp('a', 'ingress:\n- fromEndpoints: [{}]')),
    clean: docs(cnp('a', 'endpointSelector: {}\ningress:\n- fromEndpoints: [{}]')),
  },
  'cnp-node-selector': {
    trips: docs(cnp('a', 'nodeSelector: {}\ningress:\n- fromEntities: [world]')),
    clean: docs(cnp('a', 'endpointSelector: {}\ningress:\n- fromEntities: [world]')),
  },
  'host-policy-l7': {
    trips: docs(
      'apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: { name: h }\nspec:\n  nodeSelector: {}\n  ingress:\n  - toPorts: [{ ports: [{ port: "80", protocol: TCP }], rules: { http: [{ method: GET }] } }]',
    ),
    clean: docs(
      'apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: { name: h }\nspec:\n  nodeSelector: {}\n  ingress:\n  - toPorts: [{ ports: [{ port: "80", protocol: TCP }] }]',
    ),
  },
  'rule-without-sections': {
    trips: docs(cnp('a', 'endpointSelector: {}\ndescription: nothing yet')),
    clean: docs(cnp('a', 'endpointSelector: {}\ningress: [{}]')),
    version: '1.17',
    fires: ['1.17', '1.18', '1.19', '1.20'],
  },
  'peer-kinds-combined': {
    trips: docs(cnp('a', 'endpointSelector: {}\negress:\n- toEndpoints: [{}]\n  toCIDR: [10.0.0.0/8]')),
    clean: docs(cnp('a', 'endpointSelector: {}\negress:\n- toEndpoints: [{}]\n- toCIDR: [10.0.0.0/8]')),
  },
  'unknown-entity': {
    trips: docs(cnp('a', 'endpointSelector: {}\ningress:\n- fromEntities: [internet]')),
    clean: docs(cnp('a', 'endpointSelector: {}\ningress:\n- fromEntities: [world]')),
  },
  'invalid-cidr': {
    trips: docs(cnp('a', 'endpointSelector: {}\negress:\n- toCIDRSet: [{ cidr: 10.0.0.0/8, except: [192.168.0.0/16] }]')),
    clean: docs(cnp('a', 'endpointSelector: {}\negress:\n- toCIDRSet: [{ cidr: 10.0.0.0/8, except: [10.1.0.0/16] }]')),
  },
  'fqdn-selector-invalid': {
    trips: docs(cnp('a', `endpointSelector: {}\negress:\n${DNS}\n- toFQDNs: [{ matchName: "api.example.com/v1" }]`)),
    clean: docs(cnp('a', `endpointSelector: {}\negress:\n${DNS}\n- toFQDNs: [{ matchName: api.example.com }]`)),
  },
  'empty-peer-list': {
    trips: docs(cnp('a', 'endpointSelector: {}\ningress:\n- fromEndpoints: []\n  toPorts: [{ ports: [{ port: "80", protocol: TCP }] }]')),
    clean: docs(cnp('a', 'endpointSelector: {}\ningress:\n- fromEndpoints: [{}]\n  toPorts: [{ ports: [{ port: "80", protocol: TCP }] }]')),
  },
  'too-many-ports': {
    trips: docs(
      cnp(
        'a',
        `endpointSelector: {}\ningress:\n- toPorts: [{ ports: [${Array.from({ length: 41 }, (_, i) => `{ port: "${1000 + i}", protocol: TCP }`).join(', ')}] }]`,
      ),
    ),
    clean: docs(cnp('a', 'endpointSelector: {}\ningress:\n- toPorts: [{ ports: [{ port: "1000", endPort: 1040, protocol: TCP }] }]')),
  },
  'invalid-port': {
    trips: docs(cnp('a', 'endpointSelector: {}\ningress:\n- toPorts: [{ ports: [{ port: "http_alt", protocol: TCP }] }]')),
    clean: docs(cnp('a', 'endpointSelector: {}\ningress:\n- toPorts: [{ ports: [{ port: "http-alt", protocol: TCP }] }]')),
  },
  'l7-multiple-protocols': {
    trips: docs(
      cnp(
        'a',
        'endpointSelector: {}\negress:\n- toPorts: [{ ports: [{ port: "53", protocol: ANY }], rules: { dns: [{ matchPattern: "*" }], http: [{}] } }]',
      ),
    ),
    clean: docs(cnp('a', `endpointSelector: {}\negress:\n${DNS}`)),
  },
  'dns-rules-on-ingress': {
    trips: docs(
      cnp(
        'a',
        'endpointSelector: {}\ningress:\n- toPorts: [{ ports: [{ port: "53", protocol: ANY }], rules: { dns: [{ matchPattern: "*" }] } }]',
      ),
    ),
    clean: docs(cnp('a', `endpointSelector: {}\negress:\n${DNS}`)),
  },
  'dns-rules-without-port': {
    trips: docs(cnp('a', 'endpointSelector: {}\negress:\n- toEndpoints: [{}]\n  toPorts: [{ rules: { dns: [{ matchPattern: "*" }] } }]')),
    clean: docs(cnp('a', `endpointSelector: {}\negress:\n${DNS}`)),
  },
  'dns-port-range': {
    trips: docs(
      cnp(
        'a',
        'endpointSelector: {}\negress:\n- toEndpoints: [{}]\n  toPorts: [{ ports: [{ port: "53", endPort: 54, protocol: ANY }], rules: { dns: [{ matchPattern: "*" }] } }]',
      ),
    ),
    clean: docs(cnp('a', `endpointSelector: {}\negress:\n${DNS}`)),
    version: '1.17',
    fires: ['1.17', '1.18', '1.19', '1.20'],
  },
  'l7-port-zero': {
    trips: docs(
      cnp(
        'a',
        'endpointSelector: {}\ningress:\n- toPorts: [{ ports: [{ port: "0", protocol: TCP }], rules: { http: [{ method: GET }] } }]',
      ),
    ),
    clean: docs(
      cnp(
        'a',
        'endpointSelector: {}\ningress:\n- toPorts: [{ ports: [{ port: "80", protocol: TCP }], rules: { http: [{ method: GET }] } }]',
      ),
    ),
  },
  'server-names-with-l7': {
    trips: docs(
      cnp(
        'a',
        'endpointSelector: {}\negress:\n- toPorts: [{ ports: [{ port: "443", protocol: TCP }], serverNames: [api.example.com], rules: { http: [{}] } }]',
      ),
    ),
    clean: docs(
      cnp('a', 'endpointSelector: {}\negress:\n- toPorts: [{ ports: [{ port: "443", protocol: TCP }], serverNames: [api.example.com] }]'),
    ),
  },
  'empty-server-name': {
    trips: docs(cnp('a', 'endpointSelector: {}\negress:\n- toPorts: [{ ports: [{ port: "443", protocol: TCP }], serverNames: [""] }]')),
    clean: docs(
      cnp('a', 'endpointSelector: {}\negress:\n- toPorts: [{ ports: [{ port: "443", protocol: TCP }], serverNames: [api.example.com] }]'),
    ),
  },
  'icmps-with-ports': {
    trips: docs(
      cnp(
        'a',
        'endpointSelector: {}\ningress:\n- fromEndpoints: [{}]\n  icmps: [{ fields: [{ type: 8 }] }]\n  toPorts: [{ ports: [{ port: "80", protocol: TCP }] }]',
      ),
    ),
    clean: docs(
      cnp(
        'a',
        'endpointSelector: {}\ningress:\n- fromEndpoints: [{}]\n  icmps: [{ fields: [{ type: 8 }] }]\n- fromEndpoints: [{}]\n  toPorts: [{ ports: [{ port: "80", protocol: TCP }] }]',
      ),
    ),
  },
  'fqdn-without-dns-proxy': {
    trips: docs(
      cnp(
        'a',
        'endpointSelector: { matchLabels: { app: c } }\negress:\n- toFQDNs: [{ matchName: api.example.com }]\n  toPorts: [{ ports: [{ port: "443", protocol: TCP }] }]',
      ),
    ),
    clean: docs(
      cnp(
        'a',
        'endpointSelector: { matchLabels: { app: c } }\negress:\n- toFQDNs: [{ matchName: api.example.com }]\n  toPorts: [{ ports: [{ port: "443", protocol: TCP }] }]',
      ),
      cnp('dns', `endpointSelector: {}\negress:\n${DNS}`),
    ),
  },
  'to-services-with-ports': {
    trips: docs(
      cnp(
        'a',
        'endpointSelector: {}\negress:\n- toServices: [{ k8sService: { serviceName: db } }]\n  toPorts: [{ ports: [{ port: "5432", protocol: TCP }] }]',
      ),
    ),
    clean: docs(cnp('a', 'endpointSelector: {}\negress:\n- toServices: [{ k8sService: { serviceName: db } }]')),
    fires: ['1.14', '1.15', '1.16'],
  },
  'entities-widen-ports': {
    trips: docs(
      cnp(
        'a',
        `endpointSelector: {}\negress:\n${DNS}\n- toFQDNs: [{ matchName: api.example.com }]\n  toPorts: [{ ports: [{ port: "443", protocol: TCP }] }]\n- toEntities: [world]\n  toPorts: [{ ports: [{ port: "443", protocol: TCP }] }]`,
      ),
    ),
    clean: docs(cnp('a', 'endpointSelector: {}\negress:\n- toEntities: [world]\n  toPorts: [{ ports: [{ port: "443", protocol: TCP }] }]')),
  },
  'endport-named-port': {
    trips: docs(cnp('a', 'endpointSelector: {}\ningress:\n- toPorts: [{ ports: [{ port: http, endPort: 8090, protocol: TCP }] }]')),
    clean: docs(cnp('a', 'endpointSelector: {}\ningress:\n- toPorts: [{ ports: [{ port: "8080", endPort: 8090, protocol: TCP }] }]')),
  },
  'l7-non-tcp': {
    trips: docs(cnp('a', 'endpointSelector: {}\ningress:\n- toPorts: [{ ports: [{ port: "80" }], rules: { http: [{ method: GET }] } }]')),
    clean: docs(
      cnp(
        'a',
        'endpointSelector: {}\ningress:\n- toPorts: [{ ports: [{ port: "80", protocol: TCP }], rules: { http: [{ method: GET }] } }]',
      ),
    ),
  },
  'entry-without-ports': {
    trips: docs(cnp('a', 'endpointSelector: {}\ningress:\n- fromEndpoints: [{}]\n  toPorts: [{ rules: { http: [{ path: "/.*" }] } }]')),
    clean: docs(cnp('a', 'endpointSelector: {}\ningress:\n- fromEndpoints: [{}]\n  toPorts: [{ ports: [{ port: "80", protocol: TCP }] }]')),
  },
  'empty-http-with-tls': {
    trips: docs(
      cnp(
        'a',
        'endpointSelector: {}\negress:\n- toPorts: [{ ports: [{ port: "443", protocol: TCP }], terminatingTLS: { secret: { name: t } }, originatingTLS: { secret: { name: o } }, rules: { http: [] } }]',
      ),
    ),
    clean: docs(
      cnp(
        'a',
        'endpointSelector: {}\negress:\n- toPorts: [{ ports: [{ port: "443", protocol: TCP }], terminatingTLS: { secret: { name: t } }, originatingTLS: { secret: { name: o } }, rules: { http: [{}] } }]',
      ),
    ),
  },
  'empty-default-deny': {
    trips: docs(cnp('a', 'endpointSelector: {}\nenableDefaultDeny: { ingress: true, egress: false }')),
    clean: docs(cnp('a', 'endpointSelector: {}\nenableDefaultDeny: { ingress: false }\ningress:\n- fromEndpoints: [{}]')),
  },
  'selects-nothing': {
    trips: docs(pod('web', '{ app: web }'), cnp('a', 'endpointSelector: { matchLabels: { app: wbe } }\ningress:\n- fromEndpoints: [{}]')),
    clean: docs(pod('web', '{ app: web }'), cnp('a', 'endpointSelector: { matchLabels: { app: web } }\ningress:\n- fromEndpoints: [{}]')),
  },
  'namespace-label-unknown': {
    trips: docs(
      cnp('a', 'endpointSelector: {}\ningress:\n- fromEndpoints: [{ matchLabels: { k8s:io.cilium.k8s.namespace.labels.team: blue } }]'),
    ),
    clean: docs(
      'apiVersion: v1\nkind: Namespace\nmetadata: { name: blue, labels: { team: blue } }',
      cnp('a', 'endpointSelector: {}\ningress:\n- fromEndpoints: [{ matchLabels: { k8s:io.cilium.k8s.namespace.labels.team: blue } }]'),
    ),
  },
  'allow-dead-by-deny': {
    trips: docs(
      pod('xwing', '{ class: xwing }'),
      pod('ds', '{ class: deathstar, org: empire }'),
      cnp(
        'a',
        'endpointSelector: { matchLabels: { class: xwing } }\negress:\n- toEndpoints: [{ matchLabels: { class: deathstar } }]\negressDeny:\n- toEndpoints: [{ matchLabels: { org: empire } }]',
      ),
    ),
    clean: docs(
      pod('xwing', '{ class: xwing }'),
      pod('ds', '{ class: deathstar, org: empire }'),
      cnp(
        'a',
        'endpointSelector: { matchLabels: { class: xwing } }\negress:\n- toEndpoints: [{ matchLabels: { class: deathstar } }]\negressDeny:\n- toEndpoints: [{ matchLabels: { org: rebels } }]',
      ),
    ),
  },
  'rule-shadowed': {
    trips: docs(
      cnp(
        'a',
        'endpointSelector: { matchLabels: { app: web } }\ningress:\n- fromEndpoints: [{ matchLabels: { app: client, tier: front } }]\n  toPorts: [{ ports: [{ port: "80", protocol: TCP }] }]\n- fromEndpoints: [{ matchLabels: { app: client } }]\n  toPorts: [{ ports: [{ port: "80", protocol: TCP }] }]',
      ),
    ),
    clean: docs(
      cnp(
        'a',
        'endpointSelector: { matchLabels: { app: web } }\ningress:\n- fromEndpoints: [{ matchLabels: { app: client, tier: front } }]\n  toPorts: [{ ports: [{ port: "80", protocol: TCP }] }]\n- fromEndpoints: [{ matchLabels: { app: client } }]\n  toPorts: [{ ports: [{ port: "8080", protocol: TCP }] }]',
      ),
    ),
  },
  'requires-deprecated': {
    trips: docs(cnp('a', 'endpointSelector: {}\ningress:\n- fromRequires: [{ matchLabels: { env: prod } }]')),
    clean: docs(cnp('a', 'endpointSelector: {}\ningress:\n- fromEndpoints: [{ matchLabels: { env: prod } }]')),
    version: '1.17',
    fires: ['1.17', '1.18'],
  },
  'requires-removed': {
    trips: docs(cnp('a', 'endpointSelector: {}\ningress:\n- fromRequires: [{ matchLabels: { env: prod } }]')),
    clean: docs(cnp('a', 'endpointSelector: {}\ningress:\n- fromEndpoints: [{ matchLabels: { env: prod } }]')),
    version: '1.19',
    fires: ['1.19', '1.20'],
  },
  'kafka-deprecated': {
    trips: docs(
      cnp(
        'a',
        'endpointSelector: {}\negress:\n- toPorts: [{ ports: [{ port: "9092", protocol: TCP }], rules: { kafka: [{ topic: orders }] } }]',
      ),
    ),
    clean: docs(cnp('a', 'endpointSelector: {}\negress:\n- toPorts: [{ ports: [{ port: "9092", protocol: TCP }] }]')),
    version: '1.19',
    fires: ['1.19'],
  },
  'kafka-removed': {
    trips: docs(
      cnp(
        'a',
        'endpointSelector: {}\negress:\n- toPorts: [{ ports: [{ port: "9092", protocol: TCP }], rules: { kafka: [{ topic: orders }] } }]',
      ),
    ),
    clean: docs(cnp('a', 'endpointSelector: {}\negress:\n- toPorts: [{ ports: [{ port: "9092", protocol: TCP }] }]')),
    version: '1.20',
    fires: ['1.20'],
  },
  'fqdn-double-star-one-level': {
    trips: docs(cnp('a', `endpointSelector: {}\negress:\n${DNS}\n- toFQDNs: [{ matchPattern: "**.example.com" }]`)),
    clean: docs(cnp('a', `endpointSelector: {}\negress:\n${DNS}\n- toFQDNs: [{ matchPattern: "*.example.com" }]`)),
    version: '1.16',
    fires: ['1.14', '1.15', '1.16', '1.17', '1.18'],
  },
  'fqdn-double-star-any-depth': {
    trips: docs(cnp('a', `endpointSelector: {}\negress:\n${DNS}\n- toFQDNs: [{ matchPattern: "**.example.com" }]`)),
    clean: docs(cnp('a', `endpointSelector: {}\negress:\n${DNS}\n- toFQDNs: [{ matchPattern: "*.example.com" }]`)),
    version: '1.19',
    fires: ['1.19', '1.20'],
  },
  'sni-wildcard-unsupported': {
    trips: docs(
      cnp('a', 'endpointSelector: {}\negress:\n- toPorts: [{ ports: [{ port: "443", protocol: TCP }], serverNames: ["*.example.com"] }]'),
    ),
    clean: docs(
      cnp('a', 'endpointSelector: {}\negress:\n- toPorts: [{ ports: [{ port: "443", protocol: TCP }], serverNames: [api.example.com] }]'),
    ),
    version: '1.17',
    fires: ['1.14', '1.15', '1.16', '1.17'],
  },
  'policy-default-local-cluster': {
    trips: docs(cnp('a', 'endpointSelector: {}\ningress:\n- fromEndpoints: [{ matchLabels: { app: client } }]')),
    clean: docs(
      cnp('a', 'endpointSelector: {}\ningress:\n- fromEndpoints: [{ matchLabels: { app: client, io.cilium.k8s.policy.cluster: east } }]'),
    ),
    version: '1.19',
    fires: ['1.18', '1.19', '1.20'],
  },
  'mutual-auth-disabled-by-default': {
    trips: docs(cnp('a', 'endpointSelector: {}\ningress:\n- fromEndpoints: [{}]\n  authentication: { mode: required }')),
    clean: docs(cnp('a', 'endpointSelector: {}\ningress:\n- fromEndpoints: [{}]')),
    version: '1.19',
    fires: ['1.19', '1.20'],
  },
  'mutual-auth-deprecated': {
    trips: docs(cnp('a', 'endpointSelector: {}\ningress:\n- fromEndpoints: [{}]\n  authentication: { mode: required }')),
    clean: docs(cnp('a', 'endpointSelector: {}\ningress:\n- fromEndpoints: [{}]')),
    version: '1.20',
    fires: ['1.20'],
  },
  'port-range-unsupported': {
    trips: docs(cnp('a', 'endpointSelector: {}\ningress:\n- toPorts: [{ ports: [{ port: "8080", endPort: 8090, protocol: TCP }] }]')),
    clean: docs(cnp('a', 'endpointSelector: {}\ningress:\n- toPorts: [{ ports: [{ port: "8080", protocol: TCP }] }]')),
    version: '1.15',
    fires: ['1.14', '1.15'],
  },
  'enable-default-deny-unsupported': {
    trips: docs(cnp('a', 'endpointSelector: {}\nenableDefaultDeny: { ingress: false }\ningress:\n- fromEndpoints: [{}]')),
    clean: docs(cnp('a', 'endpointSelector: {}\ningress:\n- fromEndpoints: [{}]')),
    version: '1.15',
    fires: ['1.14', '1.15'],
  },
  'specs-validity-masked': {
    trips: docs(
      'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: { name: a }\nspecs:\n- endpointSelector: {}\n  ingress:\n  - fromEntities: [internet]\n- endpointSelector: {}\n  ingress:\n  - fromEndpoints: [{}]',
    ),
    clean: docs(
      'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: { name: a }\nspecs:\n- endpointSelector: {}\n  ingress:\n  - fromEntities: [world]\n- endpointSelector: {}\n  ingress:\n  - fromEndpoints: [{}]',
    ),
    version: '1.16',
    fires: ['1.16', '1.17'],
  },
};

const codes = (documents: unknown[], version?: string): string[] =>
  lintPolicies(documents, version === undefined ? {} : { ciliumVersion: version }).findings.map((f) => f.code);

describe('the lint rules', () => {
  it('each have a row in this table', () => {
    expect(Object.keys(TABLE).sort()).toEqual(LINT_RULES.map((r) => r.code).sort());
  });

  for (const [code, row] of Object.entries(TABLE)) {
    it(`${code}: fires on the policy that trips it, not on the one that does not`, () => {
      expect(codes(row.trips, row.version)).toContain(code);
      expect(codes(row.clean, row.version)).not.toContain(code);
    });
  }

  for (const [code, row] of Object.entries(TABLE).filter(([, r]) => r.fires !== undefined)) {
    it(`${code}: fires only in ${row.fires!.join(', ')}`, () => {
      const rule = LINT_RULES.find((r) => r.code === code)!;
      const firing = CILIUM_MINORS.filter((m) => codes(row.trips, m).includes(code));

      expect(firing).toEqual(row.fires);
      expect(lintRuleVersions(rule)).toEqual(row.fires);
    });
  }

  it('keeps the version-gated rules silent without --cilium-version', () => {
    for (const [code, row] of Object.entries(TABLE)) {
      const rule = LINT_RULES.find((r) => r.code === code)!;
      if (rule.versionGated === true) expect(codes(row.trips), code).not.toContain(code);
    }
  });

  it('says, for every finding, the object, the field, what happens and the fix', () => {
    const report = lintPolicies(TABLE['to-services-with-ports']!.trips);

    expect(report.ciliumVersion).toBe('1.16.0');
    expect(report.findings).toEqual([
      {
        code: 'to-services-with-ports',
        severity: 'error',
        document: 0,
        ref: { kind: 'CiliumNetworkPolicy', namespace: 'default', name: 'a' },
        path: 'spec.egress[0].toPorts',
        cilium: 'Combining ToServices and ToPorts is not supported yet',
        message:
          'The API server stores the policy, the operator sets its Valid condition to False, and every agent refuses to import it: none of its rules apply, so the endpoints it selects are not restricted by it at all. Before Cilium 1.17 toServices also selects only Services without a pod selector.',
        fix: "Select the Service's pods with toEndpoints and keep toPorts there, or upgrade to Cilium 1.17, which accepts toServices with toPorts.",
      },
    ]);
    expect(lintPolicies(TABLE['peer-kinds-combined']!.trips, { ciliumVersion: '1.18' }).findings[0]?.cilium).toBe(
      'combining ToEndpoints and ToCIDR is not supported yet',
    );
  });

  it('checks every entry of specs, not only the last', () => {
    const report = lintPolicies(TABLE['specs-validity-masked']!.trips);

    expect(report.findings.map((f) => [f.code, f.path])).toEqual([['unknown-entity', 'specs[0].ingress[0].fromEntities[0]']]);
  });

  it('refuses a version it does not know', () => {
    expect(() => lintPolicies([], { ciliumVersion: '1.13' })).toThrow('unsupported Cilium version "1.13"');
  });
});

describe('the lint and the policy tiers', () => {
  it('leaves ClusterNetworkPolicies alone: none of its rules reads their fields or their order of evaluation', () => {
    const kcnp = `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: { name: guard }
spec:
  tier: Admin
  priority: 1
  subject: { namespaces: {} }
  ingress: [{ action: Deny, from: [{ namespaces: {} }] }]`;
    expect(lintPolicies(docs(kcnp, cnp('a', 'endpointSelector: {}\ningress:\n- fromEndpoints: [{}]'))).findings).toEqual([]);
  });
});
