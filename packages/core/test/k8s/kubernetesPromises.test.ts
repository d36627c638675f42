import { describe, expect, it } from 'vitest';
import { Cluster, type ObjectResult } from '../../src/index.ts';

const DEPLOYMENT = (labels: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: d }
spec:
  replicas: 4
  selector: { matchLabels: { ${labels} } }
  template: { metadata: { labels: { ${labels} } }, spec: { containers: [{ name: c, image: nginx }] } }
`;

function pod(meta: string): string {
  return `apiVersion: v1\nkind: Pod\nmetadata: { name: p, ${meta} }\nspec: { containers: [{ name: c, image: nginx }] }\n`;
}

function refusal(results: readonly ObjectResult[]): { path: string | undefined; message: string } {
  const r = results[0]!;
  if (r.ok) throw new Error('not refused');
  return { path: r.error.path, message: r.error.message };
}

describe('the Kubernetes model keeps its promises', () => {
  it("refuses a change of a Deployment's selector as the API server words it", () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    c.apply(DEPLOYMENT('app: d'));
    const out = refusal(c.apply(DEPLOYMENT('app: d, x: y')));
    expect(out).toEqual({
      path: 'spec.selector',
      message:
        'Deployment default/d: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"d", "x":"y"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    });
    expect(c.get('Deployment', 'd', 'default')!.spec.selector).toEqual({ matchLabels: { app: 'd' } });
  });

  it("garbage-collects a deleted Node's pods; their Deployment makes them again elsewhere", () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    c.apply(DEPLOYMENT('app: d'));
    c.delete({ kind: 'Node', name: 'kind-worker2' });
    const pods = c.list('Pod');
    expect(pods.filter((p) => p.spec.nodeName === 'kind-worker2')).toEqual([]);
    expect(pods.filter((p) => p.metadata.labels['app'] === 'd' && p.status.phase === 'Running')).toHaveLength(4);
    expect(c.inspect.endpoints().filter((e) => e.nodeName === 'kind-worker2')).toEqual([]);
    // Its cilium agent pod goes with it, and with the agent its host endpoint (`cilium endpoint list`).
    expect(c.list('Pod', 'kube-system').filter((p) => p.spec.nodeName === 'kind-worker2')).toEqual([]);
    expect(c.inspect.nodes().map((n) => n.name)).toEqual(['kind-control-plane', 'kind-worker']);
  });

  it('brings system pods back when deleted: DaemonSet pods under a new name, static and StatefulSet pods under theirs', () => {
    const c = Cluster.create({ seed: 1 });
    const ciliumPods = () =>
      c.list('Pod', 'kube-system').filter((p) => p.metadata.ownerReferences?.some((o) => o.kind === 'DaemonSet' && o.name === 'cilium'));
    const victim = ciliumPods().find((p) => p.spec.nodeName === 'kind-worker')!;
    c.delete({ kind: 'Pod', namespace: 'kube-system', name: victim.metadata.name });
    const after = ciliumPods();
    expect(after).toHaveLength(3);
    expect(after.find((p) => p.spec.nodeName === 'kind-worker')!.metadata.name).not.toBe(victim.metadata.name);
    c.delete({ kind: 'Pod', namespace: 'kube-system', name: 'etcd-kind-control-plane' });
    expect(c.get('Pod', 'etcd-kind-control-plane', 'kube-system')?.status.phase).toBe('Running');
    c.delete({
      kind: 'Pod',
      namespace: 'kube-system',
      name: c.list('Pod', 'kube-system').find((p) => p.metadata.name.startsWith('coredns-'))!.metadata.name,
    });
    expect(c.list('Pod', 'kube-system').filter((p) => p.metadata.name.startsWith('coredns-'))).toHaveLength(2);
  });

  it('takes YAML merge keys as kubectl does', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    c.apply(`
apiVersion: v1
kind: Pod
metadata: { name: merged }
spec:
  containers:
  - &first { name: a, image: nginx, ports: [{ containerPort: 80 }] }
  - <<: *first
    name: b
`);
    expect(c.get('Pod', 'merged', 'default')!.spec.containers.map((x) => `${x.name} ${x.image}`)).toEqual(['a nginx', 'b nginx']);
  });

  it.each([
    ['a __proto__ label key', 'labels: { __proto__: x }', 'metadata.labels.__proto__'],
    ['a __proto__ annotation key', 'annotations: { __proto__: x }', 'metadata.annotations.__proto__'],
    ['a constructor label value with a space', 'labels: { a: "b c" }', 'metadata.labels.a'],
  ])('refuses %s', (_what, meta, path) => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    expect(refusal(c.apply(pod(meta))).path).toBe(path);
    expect(c.get('Pod', 'p', 'default')).toBeUndefined();
  });

  it('refuses annotations over 256 KiB in all, and cuts long values in messages', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    const big = 'x'.repeat(140 * 1024);
    const out = refusal(c.apply(pod(`annotations: { a: "${big}", b: "${big}" }`)));
    expect(out).toEqual({
      path: 'metadata.annotations',
      message: 'Pod default/p: metadata.annotations: Too long: must have at most 262144 bytes',
    });
    expect(c.apply(pod(`annotations: { a: "${big}" }`))[0]!.ok).toBe(true);
    const long = refusal(c.apply(pod(`name: q, labels: { a: "${'-'.repeat(5000)}" }`).replace('name: p, ', '')));
    expect(long.message.length).toBeLessThan(700);
  });

  it('validates selector requirement keys and values as label keys and values', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    const out = refusal(
      c.apply(`
apiVersion: apps/v1
kind: Deployment
metadata: { name: d }
spec:
  selector: { matchLabels: { app: d }, matchExpressions: [{ key: app, operator: In, values: ["bad value"] }] }
  template: { metadata: { labels: { app: d } }, spec: { containers: [{ name: c, image: nginx }] } }
`),
    );
    expect(out.path).toBe('spec.selector.matchExpressions[0].values[0]');
  });

  it('generates a free name from generateName on create and refuses it on apply', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    const manifest = 'apiVersion: v1\nkind: Pod\nmetadata: { generateName: job- }\nspec: { containers: [{ name: c, image: nginx }] }\n';
    const names = [c.create(manifest), c.create(manifest)].map((r) => (r[0]!.ok ? r[0]!.ref.name : 'refused'));
    expect(names.every((n) => /^job-[a-z0-9]{5}$/.test(n))).toBe(true);
    expect(new Set(names).size).toBe(2);
    expect(refusal(c.apply(manifest))).toEqual({
      path: 'metadata.generateName',
      message: 'Pod job-: metadata.generateName: from job-: cannot use generate name with apply',
    });
    expect(c.list('Pod', 'default').filter((p) => p.metadata.name.startsWith('job-'))).toHaveLength(2);
  });
});
