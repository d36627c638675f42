// The datapath behaviours the connectivity corpus relies on, checked through the real cluster:
// RST from closed ports, UDP echo, SYN retransmission timing, conntrack replies, source
// identities of node hosts and outside clients, drop reasons, service translation.
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/cluster/cluster.ts';
import { corpus, podYaml, xyzFixture, type CorpusCase } from './corpusHarness.ts';

function cnp(ns: string, name: string, spec: string): string {
  return `apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: { name: ${name}, namespace: ${ns} }\nspec:\n${spec}`;
}

function knp(ns: string, name: string, spec: string): string {
  return `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: ${name}, namespace: ${ns} }\nspec:\n${spec}`;
}

function fixture(extra = ''): Cluster {
  const cluster = Cluster.create({ seed: 3, mutualAuth: false, externalHosts: { 'api.example.org': '203.0.113.7' } });
  cluster.apply(xyzFixture());
  if (extra !== '') cluster.apply(extra);
  return cluster;
}

const ipOf = (cluster: Cluster, ns: string, pod: string): string => cluster.get('Pod', pod, ns)!.status.podIP!;

describe('datapath behaviour under policy', () => {
  it('answers a closed but allowed port with RST: curl exit 7, nc exit 1 at once', () => {
    const cluster = fixture(
      cnp(
        'x',
        'l4',
        '  endpointSelector: { matchLabels: { pod: a } }\n  ingress:\n    - toPorts: [{ ports: [{ port: "8080", protocol: TCP }] }]',
      ),
    );
    const ip = ipOf(cluster, 'x', 'a');
    const before = cluster.now().elapsedNs;

    const curl = cluster.exec('y/b').curl({ url: `http://${ip}:8080/`, connectTimeoutMs: 5000 });
    const nc = cluster.exec('y/b').nc({ host: ip, port: 8080, timeoutS: 5 });

    expect(curl.kind === 'error' ? curl.code : 0).toBe(7);
    expect(nc).toEqual({ ok: false, reason: 'refused', ip });
    expect(cluster.now().elapsedNs - before).toBeLessThan(1_000_000_000);
  });

  it('times a policy-dropped connect out: curl exit 28, and no RST comes back', () => {
    const cluster = fixture(
      cnp(
        'x',
        'l4',
        '  endpointSelector: { matchLabels: { pod: a } }\n  ingress:\n    - toPorts: [{ ports: [{ port: "81", protocol: TCP }] }]',
      ),
    );
    const ip = ipOf(cluster, 'x', 'a');

    const curl = cluster.exec('y/b').curl({ url: `http://${ip}:8080/`, connectTimeoutMs: 2000 });

    expect(curl.kind === 'error' ? curl.code : 0).toBe(28);
    expect(cluster.flows({ whitelist: [{ verdict: ['DROPPED'] }] }).every((f) => f.drop_reason_desc === 'POLICY_DENIED')).toBe(true);
  });

  it("retransmits a dropped SYN with Linux's timing: 0 s, 1 s, 3 s within a 5 s wait", () => {
    const cluster = fixture(knp('x', 'deny', '  podSelector: {}\n  policyTypes: [Ingress]'));

    cluster.exec('y/b').nc({ host: ipOf(cluster, 'x', 'a'), port: 80, timeoutS: 5 });

    const drops = cluster.flows({ whitelist: [{ verdict: ['DROPPED'] }] }).filter((f) => f.event_type?.type === 1);
    const at = drops.map((f) => Date.parse(f.time));
    expect(at.map((t) => Math.round((t - at[0]!) / 1000))).toEqual([0, 1, 3]);
    expect(new Set(drops.map((f) => (f.l4 !== undefined && 'TCP' in f.l4 ? f.l4.TCP.source_port : undefined))).size).toBe(1);
  });

  it('reports an explicit deny as "Policy denied by denylist" and a missing allow as "Policy denied"', () => {
    const cluster = fixture(
      [
        cnp(
          'x',
          'allow-b',
          '  endpointSelector: { matchLabels: { pod: a } }\n  ingress:\n    - fromEndpoints: [{ matchLabels: { pod: b } }]',
        ),
        cnp(
          'x',
          'deny-c',
          '  endpointSelector: { matchLabels: { pod: a } }\n  ingressDeny:\n    - fromEndpoints: [{ matchLabels: { pod: c } }]',
        ),
      ].join('\n---\n'),
    );
    const ip = ipOf(cluster, 'x', 'a');

    cluster.exec('x/c').nc({ host: ip, port: 80, timeoutS: 1 });
    const denied = cluster.flows({ whitelist: [{ verdict: ['DROPPED'] }] }).map((f) => f.drop_reason_desc);
    cluster.exec('y/c').nc({ host: ip, port: 80, timeoutS: 1 });
    const later = cluster
      .flows({ whitelist: [{ verdict: ['DROPPED'] }] })
      .slice(denied.length)
      .map((f) => f.drop_reason_desc);

    expect(new Set(denied)).toEqual(new Set(['POLICY_DENY']));
    expect(new Set(later)).toEqual(new Set(['POLICY_DENIED']));
  });

  it('lets UDP succeed only when the echo returns', () => {
    const cluster = fixture(
      `apiVersion: v1\nkind: Pod\nmetadata: { name: tcp-only, namespace: y }\nspec:\n  containers: [{ name: c, image: nginx, ports: [{ containerPort: 80 }] }]`,
    );

    const toEcho = cluster.exec('x/a').nc({ host: ipOf(cluster, 'x', 'b'), port: 81, udp: true, timeoutS: 1 });
    const toNothing = cluster.exec('x/a').nc({ host: ipOf(cluster, 'y', 'tcp-only'), port: 80, udp: true, timeoutS: 1 });

    expect(toEcho.ok).toBe(true);
    expect(toNothing.ok).toBe(false);
  });

  it('lets replies through conntrack even where policy denies their direction', () => {
    const cluster = fixture(
      [
        knp('x', 'a-no-egress', '  podSelector: { matchLabels: { pod: a } }\n  policyTypes: [Egress]'),
        knp('y', 'b-no-ingress', '  podSelector: { matchLabels: { pod: b } }\n  policyTypes: [Ingress]'),
      ].join('\n---\n'),
    );

    const served = cluster.exec('y/b').curl({ url: `http://${ipOf(cluster, 'x', 'a')}/`, connectTimeoutMs: 1000 });
    const udp = cluster.exec('y/b').nc({ host: ipOf(cluster, 'x', 'a'), port: 80, udp: true, timeoutS: 1 });

    expect(served.kind).toBe('response');
    expect(udp.ok).toBe(true);
  });

  it('stops an established flow when a policy starts denying it (policy applies to established packets)', () => {
    const cluster = fixture();
    const ip = ipOf(cluster, 'x', 'a');
    expect(cluster.exec('y/b').curl({ url: `http://${ip}/` }).kind).toBe('response');

    cluster.apply(knp('x', 'deny', '  podSelector: {}\n  policyTypes: [Ingress]'));

    expect(cluster.exec('y/b').curl({ url: `http://${ip}/`, connectTimeoutMs: 1000 }).kind).toBe('error');
  });

  it("delivers a pod's traffic to its own IP over loopback: no policy, no flow", () => {
    const cluster = fixture(knp('x', 'deny-all', '  podSelector: {}\n  policyTypes: [Ingress, Egress]'));
    const before = cluster.flows().length;

    const self = cluster.exec('x/a').nc({ host: ipOf(cluster, 'x', 'a'), port: 80, timeoutS: 1 });

    expect(self.ok).toBe(true);
    expect(cluster.flows().length).toBe(before);
  });

  it('keeps 127.0.0.1 and localhost (from /etc/hosts) inside the pod: its own listener answers, a closed port is refused', () => {
    const cluster = fixture(knp('x', 'deny-all', '  podSelector: {}\n  policyTypes: [Ingress, Egress]'));
    const before = cluster.flows().length;

    const listening = cluster.exec('x/a').curl({ url: 'http://localhost/', connectTimeoutMs: 1000 });
    const closed = cluster.exec('x/a').curl({ url: 'http://127.0.0.1:8080/', connectTimeoutMs: 1000 });
    const nc = cluster.exec('x/a').nc({ host: 'localhost', port: 80, timeoutS: 1 });

    expect(listening.kind).toBe('response');
    expect(closed).toMatchObject({ kind: 'error', code: 7 });
    expect(nc.ok).toBe(true);
    expect(cluster.flows().length).toBe(before);
  });

  it('sees a node host as host locally and remote-node elsewhere', () => {
    const cluster = fixture();
    const worker = cluster.inspect.node('kind-worker')!.ip;

    cluster.host('kind-worker').nc({ host: ipOf(cluster, 'x', 'a'), port: 80, timeoutS: 1 });
    cluster.host('kind-worker').nc({ host: ipOf(cluster, 'x', 'b'), port: 80, timeoutS: 1 });

    const toEndpoint = cluster.flows().filter((f) => f.trace_observation_point === 'TO_ENDPOINT' && f.IP?.source === worker);
    expect(toEndpoint.map((f) => [f.destination?.pod_name, f.source?.identity])).toContainEqual(['a', 1]);
    expect(toEndpoint.map((f) => [f.destination?.pod_name, f.source?.identity])).toContainEqual(['b', 6]);
  });

  it('sees an outside client as world', () => {
    const cluster = fixture();

    cluster.outside('198.51.100.20').nc({ host: ipOf(cluster, 'x', 'a'), port: 80, timeoutS: 1 });

    const f = cluster.flows().find((x) => x.trace_observation_point === 'TO_ENDPOINT' && x.IP?.source === '198.51.100.20');
    expect(f?.source?.identity).toBe(2);
    expect(f?.source?.labels).toEqual(['reserved:world']);
  });

  it('keeps one backend for the whole connection and enforces policy on it', () => {
    const cluster = fixture(
      `apiVersion: v1\nkind: Service\nmetadata: { name: web, namespace: x }\nspec:\n  selector: { app: web }\n  ports: [{ port: 80, targetPort: 80 }]\n---\n${podYaml('x', 'w1', { app: 'web' }, 'kind-worker')}\n---\n${podYaml('x', 'w2', { app: 'web' }, 'kind-worker2')}`,
    );
    const backends = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const r = cluster.exec('y/a').curl({ url: 'http://web.x/' });
      expect(r.kind).toBe('response');
    }
    for (const f of cluster
      .flows()
      .filter((x) => x.trace_observation_point === 'TO_ENDPOINT' && x.destination?.pod_name?.startsWith('w') === true)) {
      backends.add(`${f.l4 !== undefined && 'TCP' in f.l4 ? f.l4.TCP.source_port : ''}:${f.destination?.pod_name}`);
    }
    const bySport = new Map<string, Set<string>>();
    for (const b of backends) {
      const [sport, pod] = b.split(':');
      bySport.set(sport!, (bySport.get(sport!) ?? new Set()).add(pod!));
    }
    expect([...bySport.values()].every((pods) => pods.size === 1)).toBe(true);

    cluster.apply(
      cnp(
        'x',
        'only-w1',
        '  endpointSelector: { matchLabels: { app: web } }\n  ingress:\n    - fromEndpoints: [{ matchLabels: { k8s:io.kubernetes.pod.namespace: z } }]',
      ),
    );
    expect(cluster.exec('y/a').curl({ url: 'http://web.x/', connectTimeoutMs: 500 }).kind).toBe('error');
    expect(cluster.exec('z/a').curl({ url: 'http://web.x/', connectTimeoutMs: 500 }).kind).toBe('response');
  });

  it('connects with curl --resolve to the pinned address without DNS', () => {
    const cluster = fixture(
      cnp('x', 'no-dns', '  endpointSelector: { matchLabels: { pod: a } }\n  egress:\n    - toCIDR: [203.0.113.7/32]'),
    );

    const pinned = cluster.exec('x/a').curl({
      url: 'http://api.example.org/',
      resolve: [{ host: 'api.example.org', port: 80, ip: '203.0.113.7' }],
      connectTimeoutMs: 1000,
    });
    const resolved = cluster.exec('x/a').curl({ url: 'http://api.example.org/', connectTimeoutMs: 1000 });

    expect(pinned.kind).toBe('response');
    expect(resolved.kind === 'error' ? resolved.code : 0).toBe(28);
  });
});

const more: CorpusCase[] = [
  {
    name: 'policyTypes omitted with only egress rules isolates ingress too',
    cite: 'kubernetes.io NetworkPolicy: policyTypes defaults to Ingress plus Egress when egress is present',
    steps: [
      { apply: knp('x', 'egress-only', '  podSelector: { matchLabels: { pod: a } }\n  egress:\n    - {}') },
      {
        probes: [
          { from: 'y/a', to: 'x/a', port: 80, expect: 'blocked' },
          { from: 'x/a', to: 'y/a', port: 80, expect: 'ok' },
        ],
      },
    ],
  },
  {
    name: 'policyTypes Egress ignores an ingress section',
    cite: 'kubernetes.io NetworkPolicy: policyTypes decides which sections apply',
    steps: [
      {
        apply: knp(
          'x',
          'egress-type',
          '  podSelector: { matchLabels: { pod: a } }\n  policyTypes: [Egress]\n  ingress:\n    - from:\n        - podSelector: { matchLabels: { pod: b } }\n  egress: [{}]',
        ),
      },
      {
        probes: [
          { from: 'y/a', to: 'x/a', port: 80, expect: 'ok' },
          { from: 'x/a', to: 'y/a', port: 80, expect: 'ok' },
        ],
      },
    ],
  },
  {
    name: 'NetworkPolicy ports default to TCP',
    cite: 'kubernetes.io NetworkPolicy: port protocol defaults to TCP',
    steps: [
      { apply: knp('x', 'p81', '  podSelector: { matchLabels: { pod: a } }\n  ingress:\n    - ports: [{ port: 81 }]') },
      {
        probes: [
          { from: 'y/a', to: 'x/a', port: 81, expect: 'ok' },
          { from: 'y/a', to: 'x/a', port: 81, proto: 'UDP', expect: 'blocked' },
          { from: 'y/a', to: 'x/a', port: 81, proto: 'SCTP', expect: 'blocked' },
        ],
      },
    ],
  },
  {
    name: 'matchExpressions Exists and DoesNotExist',
    cite: 'network_policy.go: PodSelector with MatchExpressions (Exists / DoesNotExist operators)',
    steps: [
      { label: { kind: 'Pod', namespace: 'x', name: 'b', labels: { tier: 'front' } } },
      {
        apply: knp(
          'x',
          'exists',
          '  podSelector: { matchExpressions: [{ key: tier, operator: DoesNotExist }] }\n  ingress:\n    - from:\n        - podSelector: { matchExpressions: [{ key: tier, operator: Exists }] }',
        ),
      },
      {
        probes: [
          { from: 'x/b', to: 'x/a', port: 80, expect: 'ok' },
          { from: 'x/c', to: 'x/a', port: 80, expect: 'blocked' },
          { from: 'x/c', to: 'x/b', port: 80, expect: 'ok' },
        ],
      },
    ],
  },
  {
    name: 'CNP fromEndpoints on a namespace label',
    cite: 'docs: Kubernetes, Namespaces (k8s:io.cilium.k8s.namespace.labels.<key>)',
    steps: [
      {
        apply: cnp(
          'x',
          'ns-label',
          '  endpointSelector: { matchLabels: { pod: a } }\n  ingress:\n    - fromEndpoints:\n        - matchLabels: { k8s:io.cilium.k8s.namespace.labels.ns: z }',
        ),
      },
      {
        probes: [
          { from: 'z/b', to: 'x/a', port: 80, expect: 'ok' },
          { from: 'y/b', to: 'x/a', port: 80, expect: 'blocked' },
          { from: 'x/b', to: 'x/a', port: 80, expect: 'blocked' },
        ],
      },
    ],
  },
  {
    name: 'an empty CNP ingress rule denies all ingress',
    cite: 'docs: Layer 3 Examples, "ingress: [{}]" enables default deny and allows nothing',
    steps: [
      { apply: cnp('x', 'deny-all', '  endpointSelector: {}\n  ingress:\n    - {}') },
      {
        probes: [
          { from: 'y/a', to: 'x/a', port: 80, expect: 'blocked' },
          { from: 'x/b', to: 'x/a', port: 80, expect: 'blocked' },
          { from: 'x/a', to: 'y/a', port: 80, expect: 'ok' },
        ],
      },
    ],
  },
  {
    name: 'toEntities cluster: pods and nodes, not the world',
    cite: 'docs: Entities Based, cluster (egress)',
    steps: [
      { apply: cnp('x', 'to-cluster', '  endpointSelector: { matchLabels: { pod: a } }\n  egress:\n    - toEntities: [cluster]') },
      {
        probes: [
          { from: 'x/a', to: 'z/b', port: 80, expect: 'ok' },
          { from: 'x/a', to: '172.18.0.4', port: 10250, expect: 'ok' },
          { from: 'x/a', to: '10.96.0.10', port: 53, proto: 'DNS', expect: 'ok' },
          { from: 'x/a', to: '192.0.2.10', port: 80, expect: 'blocked' },
        ],
      },
    ],
  },
  {
    name: 'an L4-only deny closes one port to everybody',
    cite: 'docs: Deny Policies (ingressDeny with toPorts only)',
    steps: [
      {
        apply: cnp(
          'x',
          'deny-81',
          '  endpointSelector: { matchLabels: { pod: a } }\n  ingress:\n    - fromEntities: [all]\n  ingressDeny:\n    - toPorts: [{ ports: [{ port: "81" }] }]',
        ),
      },
      {
        probes: [
          { from: 'y/a', to: 'x/a', port: 81, expect: 'blocked' },
          { from: 'y/a', to: 'x/a', port: 81, proto: 'UDP', expect: 'blocked' },
          { from: 'outside:192.0.2.10', to: 'x/a', port: 81, expect: 'blocked' },
          { from: 'y/a', to: 'x/a', port: 80, expect: 'ok' },
        ],
      },
    ],
  },
  {
    name: 'an outside name from --external reached through a toCIDR rule',
    cite: 'simulator: --external NAME=IP; docs: CIDR Based (toCIDR to an external service)',
    externalHosts: { 'api.example.org': '203.0.113.7' },
    steps: [
      {
        apply: cnp(
          'x',
          'external',
          '  endpointSelector: { matchLabels: { pod: a } }\n  egress:\n    - toCIDR: [203.0.113.7/32]\n    - toEndpoints:\n        - matchLabels: { k8s:io.kubernetes.pod.namespace: kube-system, k8s:k8s-app: kube-dns }\n      toPorts: [{ ports: [{ port: "53", protocol: UDP }] }]',
        ),
      },
      {
        probes: [
          { from: 'x/a', to: 'api.example.org', port: 443, expect: 'ok' },
          { from: 'x/a', to: '203.0.113.8', port: 443, expect: 'blocked' },
        ],
      },
    ],
  },
  {
    name: 'an allow for one identity and a wildcard deny on the port: deny wins',
    cite: 'docs: Deny Policies (deny takes precedence over more specific allows)',
    steps: [
      {
        apply: cnp(
          'x',
          'mix',
          '  endpointSelector: { matchLabels: { pod: a } }\n  ingress:\n    - fromEndpoints: [{ matchLabels: { pod: b } }]\n      toPorts: [{ ports: [{ port: "80", protocol: TCP }] }]\n  ingressDeny:\n    - fromEntities: [cluster]\n      toPorts: [{ ports: [{ port: "80", endPort: 81, protocol: TCP }] }]',
        ),
      },
      {
        probes: [
          { from: 'x/b', to: 'x/a', port: 80, expect: 'blocked' },
          { from: 'x/b', to: 'x/a', port: 81, expect: 'blocked' },
        ],
      },
    ],
  },
];

describe('more policy semantics', () => {
  corpus(more);
});
