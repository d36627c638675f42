import { describe, expect, it } from 'vitest';
import { Cluster, type ObjectResult } from '../../src/index.ts';
import type { ApiObject } from '../../src/k8s/apiObject.ts';
import { KINDS } from '../../src/k8s/kinds.ts';

const pod = (meta: string, spec = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata: { ${meta} }\nspec: { ${spec} containers: [{ name: c, image: nginx }] }\n`;

function refusal(results: readonly ObjectResult[]): { code: string; path: string | undefined; message: string } {
  const r = results[0]!;
  if (r.ok) throw new Error('not refused');
  return { code: r.error.code, path: r.error.path, message: r.error.message };
}

const names = (c: Cluster, ns = 'default') => c.list('Pod', ns).map((p) => p.metadata.name);

describe('resourceVersion: optimistic concurrency as the API server keeps it', () => {
  it('refuses an update carrying a stale resourceVersion with 409 Conflict and leaves the object as it was', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    c.apply(pod('name: x'));
    const read = c.get('Pod', 'x', 'default')!.metadata.resourceVersion;
    c.apply(pod('name: x, labels: { v: "2" }'));
    const out = refusal(c.apply(pod(`name: x, resourceVersion: "${read}", labels: { v: "3" }`)));
    expect(out).toEqual({
      code: 'CONFLICT',
      path: undefined,
      message:
        'Pod default/x: Operation cannot be fulfilled on pods "x": the object has been modified; please apply your changes to the latest version and try again',
    });
    expect(c.get('Pod', 'x', 'default')!.metadata.labels).toEqual({ v: '2' });
    // The current version applies; a Deployment is named with its group.
    const now = c.get('Pod', 'x', 'default')!.metadata.resourceVersion;
    expect(c.apply(pod(`name: x, resourceVersion: "${now}", labels: { v: "3" }`))[0]).toMatchObject({ ok: true, verb: 'configured' });
    c.apply(
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: d }\nspec: { selector: { matchLabels: { a: b } }, template: { metadata: { labels: { a: b } }, spec: { containers: [{ name: c, image: nginx }] } } }\n',
    );
    const stale =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: d, resourceVersion: "1" }\nspec: { replicas: 2, selector: { matchLabels: { a: b } }, template: { metadata: { labels: { a: b } }, spec: { containers: [{ name: c, image: nginx }] } } }\n';
    expect(refusal(c.apply(stale)).message).toContain('Operation cannot be fulfilled on deployments.apps "d"');
  });

  it('refuses a resourceVersion that is not a string', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    expect(refusal(c.apply(pod('name: x, resourceVersion: 5')))).toMatchObject({
      path: 'metadata.resourceVersion',
      message: 'Pod default/x: metadata.resourceVersion: Invalid value: 5: must be a string',
    });
  });
});

describe('ownerReferences: kept, validated and followed by the garbage collector', () => {
  it('refuses references the API server refuses, naming the field', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    expect(refusal(c.apply(pod('name: y, ownerReferences: [{ apiVersion: v1, kind: Pod, name: x }]'))).message).toBe(
      'Pod default/y: metadata.ownerReferences.uid: Invalid value: "": uid must not be empty',
    );
    expect(refusal(c.apply(pod('name: y, ownerReferences: [{ apiVersion: "", kind: Pod, name: x, uid: u }]'))).path).toBe(
      'metadata.ownerReferences.apiVersion',
    );
    const two =
      'ownerReferences: [{ apiVersion: v1, kind: Pod, name: a, uid: u1, controller: true }, { apiVersion: v1, kind: Pod, name: b, uid: u2, controller: true }]';
    expect(refusal(c.apply(pod(`name: y, ${two}`))).message).toContain('Only one reference can have Controller set to true');
    expect(names(c)).toEqual([]);
  });

  it('keeps the references and deletes the dependents when the owner is deleted, along a chain', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    c.apply(pod('name: a'));
    const ref = (owner: string) => {
      const uid = c.get('Pod', owner, 'default')!.metadata.uid;
      return `ownerReferences: [{ apiVersion: v1, kind: Pod, name: ${owner}, uid: ${uid} }]`;
    };
    c.apply(pod(`name: b, ${ref('a')}`));
    c.apply(pod(`name: c, ${ref('b')}`));
    c.apply(pod('name: other'));
    expect(c.get('Pod', 'b', 'default')!.metadata.ownerReferences).toEqual([
      { apiVersion: 'v1', kind: 'Pod', name: 'a', uid: c.get('Pod', 'a', 'default')!.metadata.uid },
    ]);
    c.delete({ kind: 'Pod', namespace: 'default', name: 'a' });
    expect(names(c)).toEqual(['other']);
    expect(c.inspect.endpoints('default').map((e) => e.podName)).toEqual(['other']);
  });

  it('follows references written after the collector first looked, and a reference taken away', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    c.apply(pod('name: a'));
    c.apply(pod('name: scratch'));
    // The first deletion makes the collector index the dependents; later ones find them there.
    c.delete({ kind: 'Pod', namespace: 'default', name: 'scratch' });
    const uid = c.get('Pod', 'a', 'default')!.metadata.uid;
    c.apply(pod(`name: kept, ownerReferences: [{ apiVersion: v1, kind: Pod, name: a, uid: ${uid} }]`));
    c.apply(pod(`name: freed, ownerReferences: [{ apiVersion: v1, kind: Pod, name: a, uid: ${uid} }]`));
    c.apply(pod('name: freed, ownerReferences: []'));
    c.delete({ kind: 'Pod', namespace: 'default', name: 'a' });
    expect(names(c)).toEqual(['freed']);
  });

  it('deletes an object whose owner does not exist (wrong uid, or in another namespace), as the collector finds it absent', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    c.apply(pod('name: a'));
    expect(c.apply(pod('name: b, ownerReferences: [{ apiVersion: v1, kind: Pod, name: a, uid: not-its-uid }]'))[0]!.ok).toBe(true);
    expect(names(c)).toEqual(['a']);
  });
  it('creates a new object whose manifest carries a resourceVersion, as kubectl create and apply clear it before sending', () => {
    // kubectl's resource.Helper.Create(namespace, modify=true, obj) empties metadata.resourceVersion,
    // so the API server's "resourceVersion should not be set on objects to be created" never reaches a kubectl user.
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    expect(c.create(pod('name: a, resourceVersion: "123"'))[0]).toMatchObject({ ok: true, verb: 'created' });
    expect(c.apply(pod('name: b, resourceVersion: "123"'))[0]).toMatchObject({ ok: true, verb: 'created' });
    expect(c.get('Pod', 'a', 'default')!.metadata.resourceVersion).not.toBe('123');
  });
});

describe('finalizers: a deleted object stays, marked, until they are removed', () => {
  it('prints a Pod held by a finalizer as kubectl get does: STATUS Terminating, its containers stopped, its IP and node still shown', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    c.apply(pod('name: held, finalizers: [example.com/keep]'));
    c.delete({ kind: 'Pod', namespace: 'default', name: 'held' });
    const held = c.get('Pod', 'held', 'default')!;
    const row = KINDS.Pod.columns.flatMap((col) =>
      'cell' in col ? [[col.name, col.cell(held as unknown as ApiObject, { nowMs: 0, wide: true })]] : [],
    );
    expect(Object.fromEntries(row)).toMatchObject({ Ready: '0/1', Status: 'Terminating', Node: held.spec.nodeName });
    expect(Object.fromEntries(row)['IP']).toMatch(/^10\.244\./);
  });

  it('marks a Pod for deletion, refuses new finalizers, and deletes it once they are gone', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    c.apply(pod('name: f, finalizers: [example.com/keep]'));
    expect(c.delete({ kind: 'Pod', namespace: 'default', name: 'f' })[0]).toMatchObject({ ok: true, verb: 'deleted' });
    const marked = c.get('Pod', 'f', 'default')!;
    expect(marked.metadata.finalizers).toEqual(['example.com/keep']);
    expect(marked.metadata.deletionTimestamp).toBe('2024-07-04T17:58:00Z');
    // Deleting again changes nothing; adding a finalizer now is forbidden.
    c.delete({ kind: 'Pod', namespace: 'default', name: 'f' });
    expect(refusal(c.apply(pod('name: f, finalizers: [example.com/keep, example.com/more]')))).toEqual({
      code: 'FORBIDDEN',
      path: 'metadata.finalizers',
      message:
        'Pod default/f: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/more"}',
    });
    c.apply(pod('name: f'));
    expect(c.get('Pod', 'f', 'default')).toBeUndefined();
  });

  it('refuses a finalizer that is not a qualified name', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    expect(refusal(c.apply(pod('name: g, finalizers: ["Bad Name!"]'))).path).toBe('metadata.finalizers[0]');
  });

  it('keeps a deleted Namespace Terminating while an object with finalizers is in it, refusing new content', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    c.apply('apiVersion: v1\nkind: Namespace\nmetadata: { name: t }\n');
    c.apply(pod('name: held, namespace: t, finalizers: [example.com/keep]'));
    c.apply(pod('name: free, namespace: t'));
    c.delete({ kind: 'Namespace', name: 't' });
    expect(c.get('Namespace', 't')!.status.phase).toBe('Terminating');
    expect(names(c, 't')).toEqual(['held']);
    expect(refusal(c.apply(pod('name: new, namespace: t')))).toMatchObject({
      code: 'FORBIDDEN',
      message: 'Pod t/new: unable to create new content in namespace t because it is being terminated',
    });
    c.apply(pod('name: held, namespace: t'));
    expect(c.get('Namespace', 't')).toBeUndefined();
    // The name is free again.
    expect(c.apply('apiVersion: v1\nkind: Namespace\nmetadata: { name: t }\n')[0]).toMatchObject({ ok: true, verb: 'created' });
  });
});

describe('the scheduler says why a pod cannot be scheduled', () => {
  it("sets PodScheduled=False, Unschedulable, with kube-scheduler's message", () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    c.apply(pod('name: z', 'nodeSelector: { disk: ssd },'));
    expect(c.get('Pod', 'z', 'default')!.status.conditions).toEqual([
      {
        type: 'PodScheduled',
        status: 'False',
        lastProbeTime: null,
        lastTransitionTime: '2024-07-04T17:58:00Z',
        reason: 'Unschedulable',
        message:
          "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
      },
    ]);
  });
});

describe('listeners', () => {
  it('reports an async listener that rejects with the next command, never as an unhandled rejection', async () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    c.on('applied', async () => {
      throw new Error('listener failed');
    });
    expect(c.apply(pod('name: a'))[0]!.ok).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(() => c.apply(pod('name: b'))).toThrow('listener failed');
    // The command itself ran, and the next one after the report is clean once the listener is gone.
    expect(names(c)).toEqual(['a', 'b']);
  });
});

describe('a deleted Node', () => {
  it('takes its agent out of the runtime: Hubble counts the nodes left, and the node cannot be reached as a host or faulted', () => {
    const c = Cluster.create({ seed: 1 });
    c.delete({ kind: 'Node', name: 'kind-worker' });
    expect(c.inspect.nodes().map((n) => n.name)).toEqual(['kind-control-plane', 'kind-worker2']);
    expect(c.inspect.hubbleStatus().nodes).toBe(2);
    expect(() => c.host('kind-worker')).toThrow('Node kind-worker: not found');
    expect(() => c.faults.spireAgentDown('kind-worker')).toThrow('no such node: kind-worker');
    // The cluster goes on: time passes and the other nodes still work.
    c.advance('2h');
    expect(c.host('kind-worker2')).toBeDefined();
  });
});
