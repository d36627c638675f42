import { describe, expect, it } from 'vitest';
import { Cluster, type ObjectResult } from '../../src/index.ts';

/**
 * Hostile and careless inputs tried through the library, each of which broke a promise before:
 * traffic a policy forbids, a state no real cluster is in, or a refusal that names the wrong thing.
 */

const pod = (meta: string, spec = '', container = 'name: c, image: nginx') =>
  `apiVersion: v1\nkind: Pod\nmetadata: { ${meta} }\nspec: { ${spec} containers: [{ ${container} }] }\n`;
const cnp = (spec: string) => `apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: { name: p }\nspec: ${spec}\n`;
const deployment = (meta: string, podSpec: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: { ${meta} }\nspec: { replicas: 2, selector: { matchLabels: { app: d } }, template: { metadata: { labels: { app: d } }, spec: { ${podSpec} containers: [{ name: c, image: nginx }] } } }\n`;

function refusal(result: ObjectResult | readonly ObjectResult[]): { code: string; path: string | undefined; message: string } {
  const r = Array.isArray(result) ? result[0]! : (result as ObjectResult);
  if (r.ok) throw new Error('not refused');
  return { code: r.error.code, path: r.error.path, message: r.error.message };
}

function twoPods(): { c: Cluster; server: string } {
  const c = Cluster.create({ seed: 1, mutualAuth: false });
  c.apply(pod('name: a, labels: { app: a }'));
  c.apply(pod('name: b, labels: { app: b }', '', 'name: c, image: nginx, ports: [{ containerPort: 80 }]'));
  return { c, server: c.get('Pod', 'b', 'default')!.status.podIP! };
}

describe('L7 rules let through only the protocol their proxy parses', () => {
  it('drops HTTP to a port whose rules are DNS rules, where it passed untouched', () => {
    const { c, server } = twoPods();
    c.apply(
      cnp(
        '{ endpointSelector: { matchLabels: { app: a } }, egress: [{ toPorts: [{ ports: [{ port: "80" }], rules: { dns: [{ matchPattern: "*" }] } }] }] }',
      ),
    );
    const out = c.exec('default/a').curl({ url: `http://${server}/`, connectTimeoutMs: 1000 });
    expect(out.kind).toBe('error');
    expect(
      c
        .flows({ whitelist: [{ verdict: ['DROPPED'] }] })
        .some((f) => f.destination?.pod_name === 'b' && f.drop_reason_desc === 'POLICY_DENIED'),
    ).toBe(true);
  });

  it('drops TLS and raw bytes to a port whose rules are HTTP rules', () => {
    const { c, server } = twoPods();
    c.apply(
      cnp(
        '{ endpointSelector: { matchLabels: { app: b } }, ingress: [{ toPorts: [{ ports: [{ port: "80" }], rules: { http: [{ path: "/ok" }] } }] }] }',
      ),
    );
    expect(c.exec('default/a').curl({ url: `https://${server}:80/ok`, connectTimeoutMs: 1000 }).kind).toBe('error');
    expect(c.exec('default/a').nc({ host: server, port: 80, segments: 3 }).ok).toBe(false);
    // HTTP itself is still judged by the rules.
    const allowed = c.exec('default/a').curl({ url: `http://${server}/ok` });
    expect(allowed.kind === 'response' && allowed.response.status).toBe(200);
  });
});

describe('cilium-config integers have the agent ranges', () => {
  it.each([
    ['cluster-id', '999', 'expected a whole number from 0 to 255'],
    ['bpf-policy-map-max', '0', 'expected a whole number from 256 to 65536'],
    ['hubble-event-buffer-capacity', '99999999999999999999', 'expected a whole number from 1 to 65535'],
    ['mesh-auth-mutual-listener-port', '70000', 'expected a whole number from 1 to 65535'],
    ['cluster-pool-ipv4-mask-size', '40', 'expected a whole number from 1 to 32'],
    ['tofqdns-min-ttl', '-5', 'expected a whole number of 0 or more'],
  ])('refuses %s=%s and keeps the value it had', (key, value, expected) => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    const before = c.inspect.config()[key];
    expect(() => c.setConfig(key, value)).toThrow(expected);
    expect(c.inspect.config()[key]).toBe(before);
  });
});

describe('the Kubernetes model', () => {
  it('refuses annotations past 256 KiB in all through annotate, as through a manifest', () => {
    const { c } = twoPods();
    const out = refusal(c.annotate({ kind: 'Pod', namespace: 'default', name: 'a' }, { big: 'x'.repeat(300_000) }));
    expect(out).toEqual({
      code: 'INVALID_FIELD',
      path: 'metadata.annotations',
      message: 'Pod default/a: metadata.annotations: Too long: must have at most 262144 bytes',
    });
    expect(c.get('Pod', 'a', 'default')!.metadata.annotations).toBeUndefined();
  });

  it('refuses to scale a kind that has no replicas, naming it rather than a Deployment', () => {
    const { c } = twoPods();
    expect(refusal(c.scale({ kind: 'Pod', namespace: 'default', name: 'a' }, 2)).message).toBe(
      'Pod default/a: kind: a Pod has no replicas to scale; scale a Deployment or a StatefulSet',
    );
  });

  it('ignores a namespace given for a cluster-scoped kind and defaults a namespaced one, as kubectl does', () => {
    const { c } = twoPods();
    expect(c.get('Node', 'kind-worker', 'default')?.metadata.name).toBe('kind-worker');
    expect(c.get('Pod', 'a')?.metadata.name).toBe('a');
    expect(c.get('Pod', 'default/a')?.metadata.name).toBe('a');
    expect(c.label({ kind: 'Node', namespace: 'default', name: 'kind-worker' } as never, { zone: 'a' })).toMatchObject({ ok: true });
    expect(c.delete({ kind: 'Pod', name: 'a' })[0]).toMatchObject({ ok: true, ref: { namespace: 'default' } });
  });

  it('says a name written as a number is not a string, not that it is missing', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    expect(refusal(c.apply(pod('name: 123'))).message).toBe(
      'Pod: metadata.name: Invalid value: 123: names are strings; quote it (name: "123")',
    );
  });

  it("refuses a restart policy a workload's template cannot have, and a pod's unknown one", () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    expect(refusal(c.apply(deployment('name: d', 'restartPolicy: Never,')))).toMatchObject({
      path: 'spec.template.spec.restartPolicy',
      message: 'Deployment default/d: spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    });
    expect(refusal(c.apply(pod('name: p', 'restartPolicy: Sometimes,'))).path).toBe('spec.restartPolicy');
    expect(c.apply(pod('name: p', 'restartPolicy: Never,'))[0]!.ok).toBe(true);
  });

  it("puts back the kubernetes Service's spec a user changed, as the API server's reconciler does", () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    const before = c.get('Service', 'kubernetes', 'default')!.spec;
    c.apply(
      'apiVersion: v1\nkind: Service\nmetadata: { name: kubernetes, labels: { mine: "yes" } }\nspec: { ports: [{ port: 1, name: x }] }\n',
    );
    const after = c.get('Service', 'kubernetes', 'default')!;
    expect(after.spec).toEqual(before);
    expect(after.metadata.labels['mine']).toBe('yes');
  });

  it('keeps a Namespace with finalizers of its own Terminating, emptied, until they are removed', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    c.apply('apiVersion: v1\nkind: Namespace\nmetadata: { name: t, finalizers: [example.com/hold] }\n');
    c.apply(pod('name: p, namespace: t'));
    c.delete({ kind: 'Namespace', name: 't' });
    expect(c.get('Namespace', 't')!.status.phase).toBe('Terminating');
    expect(c.list('Pod', 't')).toEqual([]);
    c.apply('apiVersion: v1\nkind: Namespace\nmetadata: { name: t }\n');
    expect(c.get('Namespace', 't')).toBeUndefined();
  });

  it('keeps a Deployment with finalizers and its pods until the finalizer goes, then deletes both', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    c.apply(deployment('name: d, finalizers: [example.com/hold]', ''));
    c.delete({ kind: 'Deployment', namespace: 'default', name: 'd' });
    expect(c.get('Deployment', 'd', 'default')!.metadata.deletionTimestamp).toBeDefined();
    expect(c.list('Pod', 'default')).toHaveLength(2);
    c.apply(deployment('name: d', ''));
    expect(c.get('Deployment', 'd', 'default')).toBeUndefined();
    expect(c.list('Pod', 'default')).toEqual([]);
  });

  it('leaves a Deployment marked for deletion alone when scaled, and replaces a replica held by its finalizers', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    c.apply(deployment('name: d, finalizers: [example.com/hold]', ''));
    c.delete({ kind: 'Deployment', namespace: 'default', name: 'd' });
    expect(c.scale({ kind: 'Deployment', namespace: 'default', name: 'd' }, 5)).toMatchObject({ ok: true });
    expect(c.list('Pod', 'default')).toHaveLength(2);
    const other = Cluster.create({ seed: 1, mutualAuth: false });
    other.apply(deployment('name: d', ''));
    const victim = other.list('Pod', 'default')[0]!;
    other.apply(
      pod(
        `name: ${victim.metadata.name}, labels: { app: d, pod-template-hash: "${victim.metadata.labels['pod-template-hash']}" }, finalizers: [example.com/hold]`,
      ),
    );
    other.delete({ kind: 'Pod', namespace: 'default', name: victim.metadata.name });
    const pods = other.list('Pod', 'default');
    expect(pods.filter((p) => p.metadata.deletionTimestamp === undefined)).toHaveLength(2);
    expect(pods.find((p) => p.metadata.name === victim.metadata.name)!.metadata.deletionTimestamp).toBeDefined();
  });

  it('deletes a dependent whose owner sits in another namespace, and both sides of an ownership cycle', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    c.apply(pod('name: owner'));
    const uid = (name: string) => c.get('Pod', name, 'default')!.metadata.uid;
    c.apply('apiVersion: v1\nkind: Namespace\nmetadata: { name: o }\n');
    c.apply(pod(`name: cross, namespace: o, ownerReferences: [{ apiVersion: v1, kind: Pod, name: owner, uid: ${uid('owner')} }]`));
    expect(c.list('Pod', 'o')).toEqual([]);
    c.apply(pod('name: c1'));
    c.apply(pod('name: c2'));
    const ref = (name: string) => `ownerReferences: [{ apiVersion: v1, kind: Pod, name: ${name}, uid: ${uid(name)} }]`;
    c.apply(pod(`name: c1, ${ref('c2')}`));
    c.apply(pod(`name: c2, ${ref('c1')}`));
    c.delete({ kind: 'Pod', namespace: 'default', name: 'c1' });
    expect(c.list('Pod', 'default').map((p) => p.metadata.name)).toEqual(['owner']);
  });
});

describe('outside hosts', () => {
  it.each([
    ['10.244.1.5', "in the cluster's pod CIDR (10.244.0.0/16)"],
    ['10.96.0.10', "in the cluster's Service CIDR (10.96.0.0/12)"],
    ['172.18.0.2', "in the nodes' network (172.18.0.0/16)"],
    ['127.0.0.1', 'a loopback address (127.0.0.0/8)'],
    ['0.0.0.0', 'in "this network" (0.0.0.0/8)'],
    ['255.255.255.255', 'reserved (with the broadcast address) (240.0.0.0/4)'],
  ])('refuses an external host at %s, which no outside host can have', (ip, why) => {
    expect(() => Cluster.create({ seed: 1, externalHosts: { 'x.example': ip } })).toThrow(`externalHosts.x.example: ${ip} is ${why}`);
  });

  it('resolves an external host named in capitals, as DNS names are case-insensitive', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false, externalHosts: { 'API.Example.COM': '203.0.113.10' } });
    c.apply(pod('name: a'));
    const out = c.exec('default/a').curl({ url: 'http://api.example.com/', connectTimeoutMs: 500 });
    expect(out.kind).toBe('response');
  });
});

describe('policy ports are read as each API reads them', () => {
  it('reads a Cilium port with a leading 0 as octal, as Go does for Cilium ("010" is port 8), and refuses "080"', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    c.apply(pod('name: a, labels: { app: a }'));
    c.apply(pod('name: b, labels: { app: b }', '', 'name: c, image: nginx, ports: [{ containerPort: 8 }, { containerPort: 10 }]'));
    const ip = c.get('Pod', 'b', 'default')!.status.podIP!;
    c.apply(cnp('{ endpointSelector: { matchLabels: { app: b } }, ingress: [{ toPorts: [{ ports: [{ port: "010" }] }] }] }'));
    const status = (port: number) => c.exec('default/a').curl({ url: `http://${ip}:${port}/`, connectTimeoutMs: 500 }).kind;
    expect([status(8), status(10)]).toEqual(['response', 'error']);
    expect(refusal(c.apply(cnp('{ endpointSelector: {}, ingress: [{ toPorts: [{ ports: [{ port: "080" }] }] }] }'))).message).toContain(
      '"080" is not a port number: Cilium reads a leading 0 as octal; write 80',
    );
  });

  it('takes a Cilium port name in any case, as Cilium lowers it', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    expect(c.apply(cnp('{ endpointSelector: {}, ingress: [{ toPorts: [{ ports: [{ port: HTTP }] }] }] }'))[0]!.ok).toBe(true);
  });

  it.each([
    ['"80"', 'Invalid value: "80": must contain at least one letter (a-z); write the port number without quotes'],
    ['0', 'Invalid value: 0: must be between 1 and 65535, inclusive'],
    ['65536', 'Invalid value: 65536: must be between 1 and 65535, inclusive'],
  ])('refuses a NetworkPolicy port %s as the API server does', (port, message) => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    const out = c.apply(
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: np }\nspec: { podSelector: {}, ingress: [{ ports: [{ port: ${port} }] }] }\n`,
    );
    expect(refusal(out)).toMatchObject({
      path: 'spec.ingress[0].ports[0].port',
      message: `NetworkPolicy default/np: spec.ingress[0].ports[0].port: ${message}`,
    });
    expect(c.list('NetworkPolicy')).toEqual([]);
  });
});
