// Invariant: the CLI is deterministic end to end. A random walkthrough script (curls from pods
// and from outside, relabelling, sleeps across GC and SVID rotation, policies of several kinds
// applied and deleted, and the commands that print state: hubble observe in text and JSON,
// cilium endpoint/identity list, policy trace, kubectl get) run twice, each time on a fresh
// simulator with the same seed, prints byte-identical transcripts. Scripts are plain line
// arrays, so a failure shrinks to the shortest script that still diverges.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runScript } from '../../src/shell/script.ts';
import { createSimulator } from '../../src/simulator.ts';
import { nodeHostFiles } from '../../src/node/nodeHostFiles.ts';

const PODS = ['p0', 'p1', 'p2'] as const;
const APPS = ['web', 'api', 'db'] as const;

const SETUP = PODS.flatMap((name, i) => [
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: APPS[i] } },
    spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }, { containerPort: 8080 }] }] },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `svc-${name}` },
    spec: {
      selector: { app: APPS[i] },
      ports: [
        { name: 'http', port: 80 },
        { name: 'alt', port: 8080 },
      ],
    },
  },
])
  .map((o) => JSON.stringify(o))
  .join('\n---\n');

const cnp = (name: string, spec: object): string =>
  JSON.stringify({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name }, spec });
const POLICY_FILES: Readonly<Record<string, string>> = {
  'l3.yaml': cnp('l3', {
    endpointSelector: { matchLabels: { app: 'api' } },
    ingress: [{ fromEndpoints: [{ matchLabels: { app: 'web' } }] }],
  }),
  'l7.yaml': cnp('l7', {
    endpointSelector: { matchLabels: { app: 'db' } },
    ingress: [
      { fromEndpoints: [{}], toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }], rules: { http: [{ method: 'GET', path: '/a.*' }] } }] },
    ],
  }),
  'auth.yaml': cnp('auth', {
    endpointSelector: { matchLabels: { app: 'web' } },
    ingress: [{ fromEndpoints: [{}], toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }], authentication: { mode: 'required' } }],
  }),
  'deny.yaml': JSON.stringify({
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumClusterwideNetworkPolicy',
    metadata: { name: 'deny' },
    spec: {
      endpointSelector: {},
      ingress: [{ fromEntities: ['all'] }],
      ingressDeny: [{ fromCIDRSet: [{ cidr: '8.8.0.0/16', except: ['8.8.4.4/32'] }] }, { fromEntities: ['remote-node'] }],
    },
  }),
  'knp.yaml': JSON.stringify({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'knp' },
    spec: {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [
        {
          from: [{ podSelector: { matchLabels: { app: 'db' } } }, { ipBlock: { cidr: '0.0.0.0/0', except: ['8.8.8.8/32'] } }],
          ports: [{ port: 80, endPort: 8080 }],
        },
      ],
    },
  }),
};
const FILES = new Map([['setup.yaml', SETUP], ...Object.entries(POLICY_FILES)]);

const pod = fc.constantFrom(...PODS);
const podIp = (p: string): string => `$(kubectl get pod ${p} -o jsonpath='{.status.podIP}')`;
const line = fc.oneof(
  fc
    .tuple(pod, pod, fc.constantFrom(80, 8080), fc.constantFrom('/', '/a', '/a/b', '/x'))
    .map(
      ([a, b, port, path]) =>
        `kubectl exec ${a} -- curl -s -o /dev/null -w "%{http_code}" --connect-timeout 1 http://svc-${b}:${port}${path}`,
    ),
  fc
    .tuple(pod, pod, fc.constantFrom('GET', 'POST'))
    .map(([a, b, m]) => `kubectl exec ${a} -- curl -s -X ${m} --connect-timeout 1 http://${podIp(b)}/a`),
  fc
    .tuple(fc.constantFrom('8.8.8.8', '8.8.4.4', '192.0.2.10'), pod)
    .map(([ip, b]) => `outside --ip ${ip} -- curl -s --connect-timeout 1 http://${podIp(b)}/`),
  fc.tuple(pod, fc.constantFrom('tier=front', 'tier=back', 'tier-')).map(([p, l]) => `kubectl label pod ${p} ${l} --overwrite`),
  fc.constantFrom('10', '45s', '5m', '20m', '2h').map((d) => `sleep ${d}`),
  fc.tuple(fc.constantFrom('apply', 'delete'), fc.constantFrom(...Object.keys(POLICY_FILES))).map(([verb, f]) => `kubectl ${verb} -f ${f}`),
  fc.constantFrom(
    'hubble observe --last 8',
    'hubble observe --type drop -o json --last 2',
    'hubble observe --type policy-verdict --last 4',
    'hubble observe --protocol http --last 4',
    'cilium endpoint list',
    'cilium identity list',
    'cilium policy trace --src-k8s-pod default:p0 --dst-k8s-pod default:p1 --dport 80',
    'kubectl get pods -o wide',
    'kubectl get cnp,ccnp,netpol -A',
  ),
);

function transcript(seed: number, lines: readonly string[]): string {
  const sim = createSimulator({ seed }, nodeHostFiles('/nonexistent'), FILES);
  return runScript(['kubectl apply -f setup.yaml', ...lines].join('\n'), sim.session).transcript;
}

describe('CLI determinism', () => {
  it('prints byte-identical transcripts for the same seed and script', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.array(line, { minLength: 1, maxLength: 14 }), (seed, lines) => {
        const first = transcript(seed, lines);
        const second = transcript(seed, lines);
        expect(second).toBe(first);
      }),
      { numRuns: 12 },
    );
  });
});
