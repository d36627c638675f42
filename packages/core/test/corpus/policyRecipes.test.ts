// Cases modelled on the well-known policy recipes (ahmetb/kubernetes-network-policy-recipes,
// 01..14), each rewritten for the sandbox: an app pod, clients inside and outside its
// namespace, and an outside client (identity world).
import { describe } from 'vitest';
import { corpus, podYaml, type CorpusCase } from './corpusHarness.ts';

function knp(ns: string, name: string, spec: string): string {
  return `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: ${name}, namespace: ${ns} }\nspec:\n${spec}`;
}

/** web (app=web) and api (app=bookstore, role=api) in default; clients in default, other, prod, ops. */
const SHOP = [
  'apiVersion: v1\nkind: Namespace\nmetadata: { name: other }',
  'apiVersion: v1\nkind: Namespace\nmetadata: { name: prod, labels: { purpose: production } }',
  'apiVersion: v1\nkind: Namespace\nmetadata: { name: ops, labels: { team: operations } }',
  podYaml('default', 'web', { app: 'web' }, 'kind-worker'),
  podYaml('default', 'api', { app: 'bookstore', role: 'api' }, 'kind-worker2'),
  podYaml('default', 'frontend', { app: 'bookstore', role: 'frontend' }, 'kind-worker'),
  podYaml('default', 'client', { app: 'client' }, 'kind-worker2'),
  podYaml('other', 'client', { app: 'client' }, 'kind-worker'),
  podYaml('prod', 'client', { app: 'client' }, 'kind-worker2'),
  podYaml('ops', 'monitor', { type: 'monitoring' }, 'kind-worker'),
  podYaml('ops', 'client', { app: 'client' }, 'kind-worker2'),
].join('\n---\n');

const WORLD = 'outside:203.0.113.50';

const cases: CorpusCase[] = [
  {
    name: '01 deny all traffic to an application',
    cite: 'kubernetes-network-policy-recipes 01-deny-all-traffic-to-an-application',
    base: 'none',
    setup: SHOP,
    steps: [
      { apply: knp('default', 'web-deny-all', '  podSelector: { matchLabels: { app: web } }\n  ingress: []') },
      {
        probes: [
          { from: 'default/client', to: 'default/web', port: 80, expect: 'blocked' },
          { from: 'other/client', to: 'default/web', port: 80, expect: 'blocked' },
          { from: WORLD, to: 'default/web', port: 80, expect: 'blocked' },
          { from: 'default/client', to: 'default/api', port: 80, expect: 'ok' },
        ],
      },
    ],
  },
  {
    name: '02 limit traffic to an application',
    cite: 'kubernetes-network-policy-recipes 02-limit-traffic-to-an-application',
    base: 'none',
    setup: SHOP,
    steps: [
      {
        apply: knp(
          'default',
          'api-allow',
          '  podSelector: { matchLabels: { app: bookstore, role: api } }\n  ingress:\n    - from:\n        - podSelector: { matchLabels: { app: bookstore } }',
        ),
      },
      {
        probes: [
          { from: 'default/frontend', to: 'default/api', port: 80, expect: 'ok' },
          { from: 'default/client', to: 'default/api', port: 80, expect: 'blocked' },
          { from: 'other/client', to: 'default/api', port: 80, expect: 'blocked' },
        ],
      },
    ],
  },
  {
    name: '02a allow all traffic to an application',
    cite: 'kubernetes-network-policy-recipes 02a-allow-all-traffic-to-an-application',
    base: 'none',
    setup: SHOP,
    steps: [
      { apply: knp('default', 'web-deny-all', '  podSelector: { matchLabels: { app: web } }\n  ingress: []') },
      { apply: knp('default', 'web-allow-all', '  podSelector: { matchLabels: { app: web } }\n  ingress:\n    - {}') },
      {
        probes: [
          { from: 'default/client', to: 'default/web', port: 80, expect: 'ok' },
          { from: 'other/client', to: 'default/web', port: 80, expect: 'ok' },
          { from: WORLD, to: 'default/web', port: 80, expect: 'ok' },
        ],
      },
    ],
  },
  {
    name: '03 deny all non-whitelisted traffic in the namespace',
    cite: 'kubernetes-network-policy-recipes 03-deny-all-non-whitelisted-traffic-in-the-namespace',
    base: 'none',
    setup: SHOP,
    steps: [
      { apply: knp('default', 'default-deny-all', '  podSelector: {}\n  ingress: []') },
      {
        probes: [
          { from: 'default/client', to: 'default/web', port: 80, expect: 'blocked' },
          { from: 'default/frontend', to: 'default/api', port: 80, expect: 'blocked' },
          { from: 'default/client', to: 'other/client', port: 80, expect: 'ok' },
        ],
      },
    ],
  },
  {
    name: '04 deny traffic from other namespaces',
    cite: 'kubernetes-network-policy-recipes 04-deny-traffic-from-other-namespaces',
    base: 'none',
    setup: SHOP,
    steps: [
      { apply: knp('default', 'deny-from-other-namespaces', '  podSelector: {}\n  ingress:\n    - from:\n        - podSelector: {}') },
      {
        probes: [
          { from: 'default/client', to: 'default/web', port: 80, expect: 'ok' },
          { from: 'other/client', to: 'default/web', port: 80, expect: 'blocked' },
          { from: WORLD, to: 'default/web', port: 80, expect: 'blocked' },
        ],
      },
    ],
  },
  {
    name: '05 allow traffic from all namespaces',
    cite: 'kubernetes-network-policy-recipes 05-allow-traffic-from-all-namespaces',
    base: 'none',
    setup: SHOP,
    steps: [
      {
        apply: knp(
          'default',
          'web-allow-all-namespaces',
          '  podSelector: { matchLabels: { app: web } }\n  ingress:\n    - from:\n        - namespaceSelector: {}',
        ),
      },
      {
        probes: [
          { from: 'other/client', to: 'default/web', port: 80, expect: 'ok' },
          { from: 'prod/client', to: 'default/web', port: 80, expect: 'ok' },
          { from: WORLD, to: 'default/web', port: 80, expect: 'blocked' },
        ],
      },
    ],
  },
  {
    name: '06 allow traffic from a namespace',
    cite: 'kubernetes-network-policy-recipes 06-allow-traffic-from-a-namespace',
    base: 'none',
    setup: SHOP,
    steps: [
      {
        apply: knp(
          'default',
          'web-allow-prod',
          '  podSelector: { matchLabels: { app: web } }\n  ingress:\n    - from:\n        - namespaceSelector: { matchLabels: { purpose: production } }',
        ),
      },
      {
        probes: [
          { from: 'prod/client', to: 'default/web', port: 80, expect: 'ok' },
          { from: 'other/client', to: 'default/web', port: 80, expect: 'blocked' },
          { from: 'default/client', to: 'default/web', port: 80, expect: 'blocked' },
        ],
      },
    ],
  },
  {
    name: '07 allow traffic from some pods in another namespace',
    cite: 'kubernetes-network-policy-recipes 07-allow-traffic-from-some-pods-in-another-namespace',
    base: 'none',
    setup: SHOP,
    steps: [
      {
        apply: knp(
          'default',
          'web-allow-all-ns-monitoring',
          '  podSelector: { matchLabels: { app: web } }\n  ingress:\n    - from:\n        - namespaceSelector: { matchLabels: { team: operations } }\n          podSelector: { matchLabels: { type: monitoring } }',
        ),
      },
      {
        probes: [
          { from: 'ops/monitor', to: 'default/web', port: 80, expect: 'ok' },
          { from: 'ops/client', to: 'default/web', port: 80, expect: 'blocked' },
          { from: 'default/client', to: 'default/web', port: 80, expect: 'blocked' },
        ],
      },
    ],
  },
  {
    name: '08 allow external traffic',
    cite: 'kubernetes-network-policy-recipes 08-allow-external-traffic',
    base: 'none',
    setup: SHOP,
    steps: [
      { apply: knp('default', 'web-deny-all', '  podSelector: { matchLabels: { app: web } }\n  ingress: []') },
      { apply: knp('default', 'web-allow-external', '  podSelector: { matchLabels: { app: web } }\n  ingress:\n    - from: []') },
      {
        probes: [
          { from: WORLD, to: 'default/web', port: 80, expect: 'ok' },
          { from: 'other/client', to: 'default/web', port: 80, expect: 'ok' },
          { from: 'host:kind-worker', to: 'default/web', port: 80, expect: 'ok' },
        ],
      },
    ],
  },
  {
    name: '09 allow traffic only to a port of an application',
    cite: 'kubernetes-network-policy-recipes 09-allow-traffic-only-to-a-port',
    base: 'none',
    setup: SHOP,
    steps: [
      {
        apply: knp(
          'default',
          'api-allow-81',
          '  podSelector: { matchLabels: { role: api } }\n  ingress:\n    - ports: [{ port: 81 }]\n      from:\n        - podSelector: { matchLabels: { role: monitoring } }\n        - namespaceSelector: { matchLabels: { team: operations } }\n          podSelector: { matchLabels: { type: monitoring } }',
        ),
      },
      {
        probes: [
          { from: 'ops/monitor', to: 'default/api', port: 81, expect: 'ok' },
          { from: 'ops/monitor', to: 'default/api', port: 80, expect: 'blocked' },
          { from: 'default/client', to: 'default/api', port: 81, expect: 'blocked' },
        ],
      },
    ],
  },
  {
    name: '10 allow traffic with multiple selectors',
    cite: 'kubernetes-network-policy-recipes 10-allowing-traffic-with-multiple-selectors',
    base: 'none',
    setup: SHOP,
    steps: [
      {
        apply: knp(
          'default',
          'redis-allow-services',
          '  podSelector: { matchLabels: { app: web } }\n  ingress:\n    - from:\n        - podSelector: { matchLabels: { app: bookstore, role: frontend } }\n        - podSelector: { matchLabels: { app: bookstore, role: api } }\n        - podSelector: { matchLabels: { app: inventory } }',
        ),
      },
      {
        probes: [
          { from: 'default/frontend', to: 'default/web', port: 80, expect: 'ok' },
          { from: 'default/api', to: 'default/web', port: 80, expect: 'ok' },
          { from: 'default/client', to: 'default/web', port: 80, expect: 'blocked' },
        ],
      },
    ],
  },
  {
    name: '11 deny egress traffic from an application',
    cite: 'kubernetes-network-policy-recipes 11-deny-egress-traffic-from-an-application',
    base: 'none',
    setup: SHOP,
    steps: [
      {
        apply: knp('default', 'foo-deny-egress', '  podSelector: { matchLabels: { app: client } }\n  policyTypes: [Egress]\n  egress: []'),
      },
      {
        probes: [
          { from: 'default/client', to: 'default/web', port: 80, expect: 'blocked' },
          { from: 'default/client', to: '203.0.113.9', port: 443, expect: 'blocked' },
          { from: 'default/frontend', to: 'default/web', port: 80, expect: 'ok' },
        ],
      },
    ],
  },
  {
    name: '11 deny egress but allow DNS',
    cite: 'kubernetes-network-policy-recipes 11-deny-egress-traffic-from-an-application (DNS variant)',
    base: 'none',
    setup: SHOP,
    steps: [
      {
        apply: knp(
          'default',
          'foo-deny-egress',
          '  podSelector: { matchLabels: { app: client } }\n  policyTypes: [Egress]\n  egress:\n    - ports:\n        - { port: 53, protocol: UDP }\n        - { port: 53, protocol: TCP }',
        ),
      },
      {
        probes: [
          { from: 'default/client', to: 'default/web', port: 80, expect: 'blocked' },
          { from: 'default/client', to: '10.96.0.10', port: 53, proto: 'DNS', expect: 'ok' },
        ],
      },
    ],
  },
  {
    name: '12 deny all non-whitelisted traffic from the namespace',
    cite: 'kubernetes-network-policy-recipes 12-deny-all-non-whitelisted-traffic-from-the-namespace',
    base: 'none',
    setup: SHOP,
    steps: [
      { apply: knp('default', 'default-deny-all-egress', '  podSelector: {}\n  policyTypes: [Egress]\n  egress: []') },
      {
        probes: [
          { from: 'default/web', to: 'default/api', port: 80, expect: 'blocked' },
          { from: 'default/api', to: 'other/client', port: 80, expect: 'blocked' },
          { from: 'other/client', to: 'default/web', port: 80, expect: 'ok' },
        ],
      },
    ],
  },
  {
    name: '14 deny external egress traffic, DNS allowed',
    cite: 'kubernetes-network-policy-recipes 14-deny-external-egress-traffic',
    base: 'none',
    setup: SHOP,
    steps: [
      {
        apply: knp(
          'default',
          'foo-deny-external-egress',
          '  podSelector: { matchLabels: { app: client } }\n  policyTypes: [Egress]\n  egress:\n    - ports:\n        - { port: 53, protocol: UDP }\n        - { port: 53, protocol: TCP }\n    - to:\n        - namespaceSelector: {}',
        ),
      },
      {
        probes: [
          { from: 'default/client', to: 'default/web', port: 80, expect: 'ok' },
          { from: 'default/client', to: 'other/client', port: 81, expect: 'ok' },
          { from: 'default/client', to: '203.0.113.9', port: 80, expect: 'blocked' },
          { from: 'default/client', to: 'kubernetes.default', port: 443, expect: 'blocked' },
          { from: 'default/client', to: '10.96.0.10', port: 53, proto: 'DNS', expect: 'ok' },
        ],
      },
    ],
  },
];

describe('network policy recipes', () => {
  corpus(cases);
});
