import { describe, expect, it } from 'vitest';
import { Cluster, type ObjectResult } from '../../src/index.ts';
import { isSimError } from '../../src/errors.ts';

/**
 * Hostile and careless inputs tried through the library in session 7, each of which broke a
 * promise before: junk accepted, a state no real cluster is in, or a refusal in the wrong words.
 */

const pod = (meta: string, spec = '', container = 'name: c, image: nginx') =>
  `apiVersion: v1\nkind: Pod\nmetadata: { ${meta} }\nspec: { ${spec} containers: [{ ${container} }] }\n`;

function refusal(result: ObjectResult | readonly ObjectResult[]): { code: string; path: string | undefined; message: string } {
  const r = Array.isArray(result) ? result[0]! : (result as ObjectResult);
  if (r.ok) throw new Error('not refused');
  return { code: r.error.code, path: r.error.path, message: r.error.message };
}

function thrown(fn: () => unknown): { code: string; path: string | undefined; message: string } {
  try {
    fn();
  } catch (e) {
    if (!isSimError(e)) throw e;
    return { code: e.code, path: e.path, message: e.message };
  }
  throw new Error('not refused');
}

describe('library calls refuse junk instead of ignoring it', () => {
  it('refuses a misspelt change option, where the object went to the default namespace', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    expect(thrown(() => c.apply(pod('name: a'), { namepsace: 'team' } as never))).toEqual({
      code: 'INVALID_FLAG',
      path: 'namepsace',
      message: 'change options: namepsace: unknown option "namepsace"; options are dryRun, namespace',
    });
    expect(c.get('Pod', 'a', 'default')).toBeUndefined();
    expect(thrown(() => c.delete({ kind: 'Pod', namespace: 'default', name: 'a' }, { dry: true } as never)).path).toBe('dry');
  });

  it('says why a pod that exists cannot be exec’d into, where it said the pod was not found', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    c.apply(pod('name: held, finalizers: [example.com/keep]'));
    c.delete({ kind: 'Pod', namespace: 'default', name: 'held' });
    expect(thrown(() => c.exec('default/held'))).toMatchObject({
      code: 'INVALID_COMMAND',
      message: 'Pod default/held: cannot exec into a container in a completed pod; current phase is Succeeded',
    });
    c.apply(pod('name: nowhere', 'nodeSelector: { disk: ssd },'));
    expect(thrown(() => c.exec('default/nowhere')).message).toBe('Pod default/nowhere: pod nowhere does not have a host assigned');
    expect(thrown(() => c.exec('default/absent')).code).toBe('NOT_FOUND');
  });
});

describe('manifests of kinds the simulator makes itself', () => {
  it('refuses to apply a Node in honest words, where it said the API has no such kind, and deletes one named in a file', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    const node = 'apiVersion: v1\nkind: Node\nmetadata: { name: kind-worker2 }\n';
    expect(refusal(c.apply(node))).toEqual({
      code: 'FORBIDDEN',
      path: undefined,
      message: 'Node kind-worker2: cilium-sim makes its nodes itself (kubectl get shows them); a manifest cannot create or change one',
    });
    expect(c.delete(node)[0]).toMatchObject({ ok: true, verb: 'deleted' });
    expect(c.get('Node', 'kind-worker2')).toBeUndefined();
  });
});

describe('manifest fields the API server checks', () => {
  it('refuses a host-network pod whose hostPort is not its containerPort, which no node could serve', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    const hostPod = (host: number) =>
      pod('name: h', 'hostNetwork: true,', `name: c, image: nginx, ports: [{ containerPort: 80, hostPort: ${host} }]`);
    expect(refusal(c.apply(hostPod(81)))).toEqual({
      code: 'INVALID_PORT',
      path: 'spec.containers[0].ports[0].containerPort',
      message:
        'Pod default/h: spec.containers[0].ports[0].containerPort: Invalid value: 80: must match `hostPort` when `hostNetwork` is true',
    });
    expect(c.apply(hostPod(80))[0]!.ok).toBe(true);
  });

  it('cuts a long generateName to 58 characters as the API server does, so a Service so named is valid', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    const out = c.create(`apiVersion: v1\nkind: Service\nmetadata: { generateName: ${'s'.repeat(60)} }\nspec: { ports: [{ port: 80 }] }\n`);
    expect(out[0]).toMatchObject({ ok: true, verb: 'created' });
    expect(out[0]!.ref?.name).toMatch(/^s{58}[a-z0-9]{5}$/);
  });

  it("refuses an update naming another object's uid (the object was deleted and made anew): uid is immutable", () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    c.apply(pod('name: a'));
    const uid = c.get('Pod', 'a', 'default')!.metadata.uid;
    expect(refusal(c.apply(pod('name: a, uid: "1234", labels: { x: y }')))).toEqual({
      code: 'INVALID_FIELD',
      path: 'metadata.uid',
      message: 'Pod default/a: metadata.uid: Invalid value: "1234": field is immutable',
    });
    expect(c.get('Pod', 'a', 'default')!.metadata.labels).toEqual({});
    expect(c.apply(pod(`name: a, uid: "${uid}", labels: { x: y }`))[0]).toMatchObject({ ok: true, verb: 'configured' });
  });

  it('refuses a creationTimestamp or deletionTimestamp that is not a time, which the API server cannot decode', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    expect(refusal(c.apply(pod('name: a, creationTimestamp: junk')))).toEqual({
      code: 'INVALID_FIELD',
      path: 'metadata.creationTimestamp',
      message: 'Pod default/a: metadata.creationTimestamp: Invalid value: "junk": must be an RFC 3339 time such as 2024-07-04T17:58:00Z',
    });
    expect(refusal(c.apply(pod('name: a, deletionTimestamp: 5'))).path).toBe('metadata.deletionTimestamp');
    // What `kubectl get -o yaml` prints applies back: a time, or null.
    expect(c.apply(pod('name: a, creationTimestamp: null'))[0]!.ok).toBe(true);
    expect(c.apply(pod('name: b, creationTimestamp: "2020-01-01T00:00:00Z"'))[0]!.ok).toBe(true);
  });
});

describe('more fields the API server decodes strictly', () => {
  it('refuses an unknown Deployment strategy and an env that is not a list of variables', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    const deploy = (extra: string, container = 'name: c, image: nginx') =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: d }\nspec: { ${extra} selector: { matchLabels: { app: d } }, template: { metadata: { labels: { app: d } }, spec: { containers: [{ ${container} }] } } }\n`;
    expect(refusal(c.apply(deploy('strategy: { type: Sideways },')))).toEqual({
      code: 'INVALID_FIELD',
      path: 'spec.strategy.type',
      message: 'Deployment default/d: spec.strategy.type: Unsupported value: "Sideways": supported values: "Recreate", "RollingUpdate"',
    });
    expect(refusal(c.apply(pod('name: a', '', 'name: c, image: nginx, env: 5'))).path).toBe('spec.containers[0].env');
    expect(refusal(c.apply(pod('name: a', '', 'name: c, image: nginx, env: [{ value: x }]'))).path).toBe('spec.containers[0].env[0].name');
    expect(c.apply(deploy('strategy: { type: Recreate },', 'name: c, image: nginx, env: [{ name: A, value: "1" }]'))[0]!.ok).toBe(true);
  });

  it('names the pods of a long-named Deployment or DaemonSet as the API server would, never past 63 characters', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    const long = 'd'.repeat(200);
    c.apply(
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: ${long} }\nspec: { replicas: 2, selector: { matchLabels: { app: d } }, template: { metadata: { labels: { app: d } }, spec: { containers: [{ name: c, image: nginx }] } } }\n`,
    );
    c.apply(
      `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: { name: ${'s'.repeat(62)} }\nspec: { selector: { matchLabels: { app: s } }, template: { metadata: { labels: { app: s } }, spec: { containers: [{ name: c, image: nginx }] } } }\n`,
    );
    const names = c.list('Pod', 'default').map((p) => p.metadata.name);
    expect(names).toHaveLength(4);
    for (const n of names) expect(n).toMatch(/^([d]{58}|[s]{58})[a-z0-9]{5}$/);
    // Deleting the Deployment still takes its pods: they are its ReplicaSet's by owner reference, not by name.
    c.delete({ kind: 'Deployment', namespace: 'default', name: long });
    expect(c.list('Pod', 'default')).toHaveLength(2);
  });

  it('never restarts the stopped container of a deleted pod held by finalizers when its image changes', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    c.apply(pod('name: a, finalizers: [example.com/keep]'));
    c.delete({ kind: 'Pod', namespace: 'default', name: 'a' });
    c.apply(pod('name: a, finalizers: [example.com/keep]', '', 'name: c, image: httpd'));
    const status = c.get('Pod', 'a', 'default')!.status;
    expect(status.phase).toBe('Succeeded');
    expect(status.containerStatuses![0]).toMatchObject({ restartCount: 0, state: { terminated: { reason: 'Completed' } } });
  });
});

describe('controllers and the collector together', () => {
  const web = (replicas: number) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: d }\nspec: { replicas: ${replicas}, selector: { matchLabels: { app: d } }, template: { metadata: { labels: { app: d } }, spec: { containers: [{ name: c, image: nginx }] } } }\n`;

  it('collects what a replica owned when the Deployment scales it away, where the object stayed behind', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    c.apply(web(1));
    const p = c.list('Pod', 'default')[0]!;
    c.apply(
      `apiVersion: v1\nkind: Service\nmetadata: { name: s, ownerReferences: [{ apiVersion: v1, kind: Pod, name: ${p.metadata.name}, uid: ${p.metadata.uid} }] }\nspec: { ports: [{ port: 80 }] }\n`,
    );
    expect(c.get('Service', 's', 'default')).toBeDefined();
    c.scale({ kind: 'Deployment', namespace: 'default', name: 'd' }, 0);
    expect(c.get('Service', 's', 'default')).toBeUndefined();
  });

  it('counts no replica held by finalizers after delete in the Deployment status, as the ReplicaSet counts active pods', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    c.apply(web(1));
    const p = c.list('Pod', 'default')[0]!;
    const labels = Object.entries(p.metadata.labels)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ');
    c.apply(pod(`name: ${p.metadata.name}, labels: { ${labels} }, finalizers: [example.com/keep]`));
    c.delete({ kind: 'Pod', namespace: 'default', name: p.metadata.name });
    expect(c.list('Pod', 'default').map((x) => x.status.phase)).toEqual(expect.arrayContaining(['Succeeded', 'Running']));
    expect(c.get('Deployment', 'd', 'default')!.status).toMatchObject({ replicas: 1, readyReplicas: 1, updatedReplicas: 1 });
  });
});

describe('labels and addresses the API server keeps for itself', () => {
  it("keeps a Namespace's kubernetes.io/metadata.name label when it is relabelled, so a namespaceSelector on it cannot be fooled", () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    c.apply('apiVersion: v1\nkind: Namespace\nmetadata: { name: evil }\n');
    c.label({ kind: 'Namespace', name: 'evil' }, { 'kubernetes.io/metadata.name': 'prod', team: 'x' }, true);
    expect(c.get('Namespace', 'evil')!.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'evil', team: 'x' });
    c.label({ kind: 'Namespace', name: 'evil' }, { 'kubernetes.io/metadata.name': null });
    expect(c.get('Namespace', 'evil')!.metadata.labels['kubernetes.io/metadata.name']).toBe('evil');
  });

  it("refuses the Service CIDR's network and broadcast addresses as a ClusterIP, which the allocator never hands out", () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    for (const ip of ['10.96.0.0', '10.111.255.255'])
      expect(
        refusal(c.apply(`apiVersion: v1\nkind: Service\nmetadata: { name: s }\nspec: { clusterIP: ${ip}, ports: [{ port: 80 }] }\n`)),
      ).toMatchObject({
        path: 'spec.clusterIP',
        message: `Service default/s: spec.clusterIP: Invalid value: "${ip}": provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/12`,
      });
  });
});
