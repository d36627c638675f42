// Bad manifests through cluster.apply: whatever the input, a user sees a SimError naming the
// object (and the field when one is at fault), never a raw exception, and a rejected document
// leaves the cluster's state the very same object. Hand-written cases pin the classic mistakes;
// fast-check mutates valid manifests (drop a field, change a type, inject garbage).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cluster, isSimError, type SimError } from '../../src/index.ts';
import { MAX_MANIFEST_OBJECTS } from '../../src/k8s/manifest.ts';

const cluster = Cluster.create({ seed: 1, mutualAuth: false });

type Outcome = { kind: 'rejected'; errors: SimError[] } | { kind: 'applied' };

/** Applies `text`; a thrown SimError (unreadable file) counts as a rejection, anything else fails the test. */
function applyOutcome(text: string): Outcome {
  const before = cluster.state;
  let errors: SimError[];
  try {
    const results = cluster.apply(text);
    if (results.every((r) => r.ok)) {
      cluster.delete(text);
      return { kind: 'applied' };
    }
    errors = results.flatMap((r) => (r.ok ? [] : [r.error]));
    if (results.every((r) => !r.ok)) expect(cluster.state).toBe(before);
  } catch (e) {
    if (!isSimError(e)) throw new Error(`raw exception for input ${text.slice(0, 200)}: ${String(e)}`, { cause: e });
    expect(cluster.state).toBe(before);
    errors = [e];
  }
  for (const e of errors) {
    expect(isSimError(e)).toBe(true);
    expect(e.message.length).toBeGreaterThan(10);
  }
  return { kind: 'rejected', errors };
}

const pod = (spec: Record<string, unknown> = {}, name = 'web'): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels: { app: 'web' } },
  spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }], ...spec },
});
const cnp = (rule: Record<string, unknown>, name = 'rule1'): Record<string, unknown> => ({
  apiVersion: 'cilium.io/v2',
  kind: 'CiliumNetworkPolicy',
  metadata: { name },
  spec: { endpointSelector: { matchLabels: { app: 'web' } }, ...rule },
});
const ports = (...p: unknown[]): Record<string, unknown> => ({ ingress: [{ toPorts: [{ ports: p }] }] });

/** [case, manifest, the path the error must name (or undefined for a whole-document error)]. */
const CASES: [string, unknown, string | undefined][] = [
  ['unknown kind', { apiVersion: 'v1', kind: 'Podd', metadata: { name: 'x' } }, undefined],
  ['unknown field', { ...pod(), spex: {} }, 'spex'],
  [
    'bad selector operator',
    cnp({ endpointSelector: { matchExpressions: [{ key: 'app', operator: 'Equals', values: ['x'] }] } }),
    'spec.endpointSelector.matchExpressions[0].operator',
  ],
  ['port 70000', cnp(ports({ port: '70000', protocol: 'TCP' })), 'spec.ingress[0].toPorts[0].ports[0].port'],
  ['port abc', cnp(ports({ port: 'abc!', protocol: 'TCP' })), 'spec.ingress[0].toPorts[0].ports[0].port'],
  ['endPort below port', cnp(ports({ port: '8080', endPort: 80, protocol: 'TCP' })), 'spec.ingress[0].toPorts[0].ports[0].endPort'],
  ['bad protocol', cnp(ports({ port: '80', protocol: 'TPC' })), 'spec.ingress[0].toPorts[0].ports[0].protocol'],
  ['CIDR /33', cnp({ ingress: [{ fromCIDR: ['10.0.0.0/33'] }] }), 'spec.ingress[0].fromCIDR[0]'],
  ['CIDR 300.1.1.1/8', cnp({ egress: [{ toCIDR: ['300.1.1.1/8'] }] }), 'spec.egress[0].toCIDR[0]'],
  [
    'regex (',
    cnp({ ingress: [{ toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }], rules: { http: [{ path: '(' }] } }] }] }),
    'spec.ingress[0].toPorts[0].rules.http[0].path',
  ],
  [
    'container port 0',
    pod({ containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 0 }] }] }),
    'spec.containers[0].ports[0].containerPort',
  ],
  ['pinned pod IP not an address', { ...pod(), status: { podIP: '10.244.1.300' } }, 'status.podIP'],
  [
    'bad auth mode',
    cnp({ ingress: [{ fromEndpoints: [{}], authentication: { mode: 'sometimes' } }] }),
    'spec.ingress[0].authentication.mode',
  ],
  ['name with capitals', pod({}, 'Web_1'), 'metadata.name'],
  ['missing apiVersion', { kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }, 'apiVersion'],
  ['spec a list', { ...pod(), spec: ['x'] }, 'spec'],
  ['label value a number', { ...pod(), metadata: { name: 'web', labels: { app: 5 } } }, 'metadata.labels.app'],
  ['bad label key in a selector', cnp({ endpointSelector: { matchLabels: { 'a b': 'c' } } }), 'spec.endpointSelector.matchLabels.a b'],
  [
    'In without values',
    cnp({ endpointSelector: { matchExpressions: [{ key: 'app', operator: 'In' }] } }),
    'spec.endpointSelector.matchExpressions[0].values',
  ],
  ['port -1', cnp(ports({ port: '-1', protocol: 'TCP' })), 'spec.ingress[0].toPorts[0].ports[0].port'],
  ['endPort without port', cnp(ports({ endPort: 90, protocol: 'TCP' })), 'spec.ingress[0].toPorts[0].ports[0].endPort'],
  ['named port too long', cnp(ports({ port: 'this-is-too-long-a-name', protocol: 'TCP' })), 'spec.ingress[0].toPorts[0].ports[0].port'],
  ['CIDR 10.0.0.0/8/8', cnp({ ingress: [{ fromCIDR: ['10.0.0.0/8/8'] }] }), 'spec.ingress[0].fromCIDR[0]'],
  ['CIDR ::/129', cnp({ ingress: [{ fromCIDR: ['::/129'] }] }), 'spec.ingress[0].fromCIDR[0]'],
  [
    'except outside its CIDR',
    cnp({ ingress: [{ fromCIDRSet: [{ cidr: '10.0.0.0/8', except: ['192.168.0.0/16'] }] }] }),
    'spec.ingress[0].fromCIDRSet[0].except[0]',
  ],
  ['bad toFQDNs pattern', cnp({ egress: [{ toFQDNs: [{ matchPattern: '**.*.com[' }] }] }), 'spec.egress[0].toFQDNs[0].matchPattern'],
  [
    'bad header match',
    cnp({
      ingress: [
        { toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }], rules: { http: [{ headerMatches: [{ name: '', value: 'x' }] }] } }] },
      ],
    }),
    'spec.ingress[0].toPorts[0].rules.http[0].headerMatches[0].name',
  ],
  [
    'HTTP rules on UDP',
    cnp({ ingress: [{ toPorts: [{ ports: [{ port: '80', protocol: 'UDP' }], rules: { http: [{ path: '/' }] } }] }] }),
    'spec.ingress[0].toPorts[0].ports[0].protocol',
  ],
  [
    'HTTP rules on port 0',
    cnp({ ingress: [{ toPorts: [{ ports: [{ port: '0', protocol: 'TCP' }], rules: { http: [{ path: '/' }] } }] }] }),
    'spec.ingress[0].toPorts[0].ports[0].port',
  ],
  [
    'DNS rules on ingress',
    cnp({ ingress: [{ toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }], rules: { dns: [{ matchPattern: '*' }] } }] }] }),
    'spec.ingress[0].toPorts[0].rules.dns',
  ],
  [
    'icmps with toPorts',
    cnp({ ingress: [{ icmps: [{ fields: [{ type: 8 }] }], toPorts: [{ ports: [{ port: '80' }] }] }] }),
    'spec.ingress[0].icmps',
  ],
  [
    'a Deployment of 100000 replicas',
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: {
        replicas: 100_000,
        selector: { matchLabels: { app: 'd' } },
        template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      },
    },
    'spec.replicas',
  ],
  ['unknown field deep in a rule', cnp(ports({ port: '80', protocol: 'TCP', bogus: 1 })), 'spec.ingress[0].toPorts[0].ports[0].bogus'],
];

describe('bad manifests', () => {
  it.each(CASES)('rejects %s with a SimError naming the object and field', (_name, doc, path) => {
    const out = applyOutcome(JSON.stringify(doc));
    expect(out.kind).toBe('rejected');
    if (out.kind !== 'rejected') return;
    const e = out.errors[0]!;
    const issues = e.issues;
    // Zod's own wording, or a value lost on the way, would leave the user guessing.
    for (const i of issues) expect(i.message).not.toMatch(/Invalid input|received undefined|\[object Object\]/);
    if (path !== undefined) {
      expect(issues.map((i) => i.path)).toContain(path);
      const name = (doc as { metadata: { name: string } }).metadata.name;
      expect(issues.some((i) => i.object?.includes(name) === true)).toBe(true);
    }
  });

  it('rejects malformed YAML before applying anything', () => {
    const out = applyOutcome('apiVersion: v1\nkind: Pod\nmetadata: {name: a\n---\nkind: [');
    expect(out).toMatchObject({ kind: 'rejected', errors: [{ code: 'INVALID_YAML' }] });
  });

  it('rejects bad documents of a file and still applies the good ones', () => {
    const before = cluster.state;
    const results = cluster.apply(
      [JSON.stringify(pod({}, 'good')), JSON.stringify(CASES.find(([n]) => n === 'port 70000')![1])].join('\n---\n'),
    );
    expect(results.map((r) => r.ok)).toEqual([true, false]);
    expect(cluster.state).not.toBe(before);
    cluster.delete({ kind: 'Pod', namespace: 'default', name: 'good' });
  });

  // Port 0 is not on the list: Cilium reads it as "every port" of the protocol.
  it('refuses a ~10 MB manifest before parsing it', () => {
    const big = Array.from({ length: 40_000 }, (_, i) =>
      JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` }, data: { k: 'x'.repeat(200) } }),
    ).join('\n---\n');
    expect(big.length).toBeGreaterThan(10_000_000);
    const out = applyOutcome(big);
    expect(out).toMatchObject({
      kind: 'rejected',
      errors: [{ code: 'LIMIT_EXCEEDED', message: expect.stringMatching(/^the manifest is 11\.\d MB; cilium-sim reads at most 4 MB/) }],
    });
  });

  it('refuses a manifest of more than MAX_MANIFEST_OBJECTS objects before applying any', () => {
    const many = Array.from(
      { length: MAX_MANIFEST_OBJECTS + 1 },
      (_, i) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ns-${i}}\n`,
    ).join('---\n');
    expect(applyOutcome(many)).toMatchObject({
      kind: 'rejected',
      errors: [{ code: 'LIMIT_EXCEEDED', message: expect.stringContaining(`holds ${MAX_MANIFEST_OBJECTS + 1} objects`) }],
    });
  });

  it('refuses YAML nested too deeply to read, in words a user understands', () => {
    const out = applyOutcome(`a: ${'['.repeat(2000)}${']'.repeat(2000)}`);
    expect(out).toMatchObject({
      kind: 'rejected',
      errors: [{ code: 'INVALID_YAML', message: expect.stringContaining('nested too deeply to read') }],
    });
  });

  it('names a kind that is not a string', () => {
    const out = applyOutcome('apiVersion: v1\nkind: [Pod]\nmetadata: {name: p}\n');
    expect(out).toMatchObject({
      kind: 'rejected',
      errors: [{ path: 'kind', issues: [expect.objectContaining({ message: 'kind must be a string such as Pod, received ["Pod"]' })] }],
    });
  });
});

/** A valid manifest with one thing broken at a random place. */
const mutation = fc.oneof(
  fc.constant((o: Record<string, unknown>) => {
    delete (o['spec'] as Record<string, unknown>)['containers'];
  }),
  fc.constant((o: Record<string, unknown>) => {
    delete o['metadata'];
  }),
  fc.anything().map((junk) => (o: Record<string, unknown>) => {
    o['spec'] = junk;
  }),
  fc.anything().map((junk) => (o: Record<string, unknown>) => {
    (o['metadata'] as Record<string, unknown>)['labels'] = junk;
  }),
  fc.tuple(fc.string(), fc.anything()).map(([k, junk]) => (o: Record<string, unknown>) => {
    (o['spec'] as Record<string, unknown>)[k] = junk;
  }),
  fc.anything().map((junk) => (o: Record<string, unknown>) => {
    ((o['spec'] as { ingress?: unknown[] }).ingress ??= [])[0] = junk;
  }),
  fc.anything().map((junk) => (o: Record<string, unknown>) => {
    (o['spec'] as Record<string, unknown>)['endpointSelector'] = junk;
  }),
);

describe('mutated manifests', () => {
  it('never throw anything but a SimError and leave the state untouched when rejected', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(pod, () => cnp(ports({ port: '80', protocol: 'TCP' }))),
        mutation,
        (make, mutate) => {
          const doc = structuredClone(make());
          try {
            mutate(doc);
          } catch {
            return; // the mutation itself did not apply to this shape
          }
          applyOutcome(JSON.stringify(doc) ?? 'null');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throw anything but a SimError for garbage text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        applyOutcome(text);
      }),
      { numRuns: 300 },
    );
  });
});

/** A policy and a Deployment using most fields, so a mutation can land at any depth. */
const richPolicy = (): Record<string, unknown> => ({
  apiVersion: 'cilium.io/v2',
  kind: 'CiliumNetworkPolicy',
  metadata: { name: 'rich', labels: { a: 'b' } },
  spec: {
    endpointSelector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'x', operator: 'In', values: ['y'] }] },
    ingress: [
      {
        fromEndpoints: [{ matchLabels: { app: 'c' } }],
        toPorts: [
          {
            ports: [{ port: '80', protocol: 'TCP' }],
            rules: { http: [{ method: 'GET', path: '/a', headers: ['X: y'], headerMatches: [{ name: 'h', value: 'v' }] }] },
          },
        ],
        authentication: { mode: 'required' },
      },
    ],
    egress: [
      {
        toFQDNs: [{ matchName: 'a.com' }],
        toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*' }] } }],
      },
      { toCIDRSet: [{ cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] }] },
      { toEntities: ['world'], icmps: [{ fields: [{ type: 8, family: 'IPv4' }] }] },
      { toServices: [{ k8sService: { serviceName: 's', namespace: 'default' } }] },
    ],
    ingressDeny: [{ fromCIDR: ['1.2.3.4/32'], toPorts: [{ ports: [{ port: '22' }] }] }],
  },
});
const richDeployment = (): Record<string, unknown> => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'd' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'd' } },
    template: {
      metadata: { labels: { app: 'd' } },
      spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80, name: 'http', protocol: 'TCP' }] }] },
    },
  },
});

/** Every path into `o`: `['spec', 'ingress', 0, 'toPorts']`. */
function pathsOf(o: unknown, p: (string | number)[] = []): (string | number)[][] {
  const below = Array.isArray(o)
    ? o.flatMap((v, i) => pathsOf(v, [...p, i]))
    : o !== null && typeof o === 'object'
      ? Object.entries(o).flatMap(([k, v]) => pathsOf(v, [...p, k]))
      : [];
  return p.length === 0 ? below : [p, ...below];
}

describe('manifests mutated at any depth', () => {
  it('name the field in plain words and change nothing when rejected', () => {
    const junk = fc.anything({ withBigInt: false, withMap: false, withSet: false, withTypedArray: false, withDate: false });
    fc.assert(
      fc.property(fc.constantFrom(richPolicy, richDeployment), fc.nat(), fc.option(junk, { nil: undefined }), (make, at, value) => {
        const doc = make();
        const paths = pathsOf(doc);
        const path = paths[at % paths.length]!;
        // biome-ignore lint/suspicious/noExplicitAny: walks a parsed YAML document of any shape.
        const parent = path.slice(0, -1).reduce<any>((o, k) => o[k], doc);
        const key = path.at(-1)!;
        if (value === undefined) {
          if (Array.isArray(parent)) parent.splice(Number(key), 1);
          else delete parent[key];
        } else parent[key] = value;
        const out = applyOutcome(JSON.stringify(doc));
        if (out.kind === 'rejected') {
          for (const e of out.errors)
            for (const i of e.issues)
              expect(i.message, `${path.join('.')}: ${i.message}`).not.toMatch(/\bundefined\b|Invalid input|\[object Object\]/);
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('careless deletes', () => {
  it("bring the API server's kubernetes Service back at once, with its reserved address, as the API server does", () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    const before = c.get('Service', 'kubernetes', 'default')!;
    expect(c.delete({ kind: 'Service', namespace: 'default', name: 'kubernetes' })).toMatchObject([{ ok: true }]);
    const after = c.get('Service', 'kubernetes', 'default');
    expect(after?.spec).toEqual(before.spec);
    expect(after?.metadata.uid).not.toBe(before.metadata.uid);
    c.run('client', 'nicolaka/netshoot');
    expect(c.exec('default/client').nslookup('kubernetes.default')).toMatchObject({ ok: true, ips: ['10.96.0.1'] });
  });

  it('delete what a file names even when the rest of it would no longer be accepted, as kubectl delete -f does', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    const good = 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p}\nspec: {endpointSelector: {}}\n';
    expect(c.apply(good)).toMatchObject([{ ok: true }]);
    const edited =
      'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p}\nspec: {endpointSelector: "app=web", bogus: 1}\n';
    expect(c.apply(edited)).toMatchObject([{ ok: false }]);
    expect(c.delete(edited)).toMatchObject([{ ok: true, verb: 'deleted' }]);
    expect(c.list('CiliumNetworkPolicy')).toEqual([]);
    expect(c.delete('apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p}\n')).toMatchObject([
      { ok: false, error: { code: 'NOT_FOUND' } },
    ]);
    expect(c.delete('apiVersion: v9\nkind: CiliumNetworkPolicy\nmetadata: {name: p}\n')).toMatchObject([
      { ok: false, error: { path: 'apiVersion' } },
    ]);
  });
});
