import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/index.ts';
import { serviceEndpoints } from '../../src/k8s/endpoints.ts';

const APP = `apiVersion: v1
kind: Pod
metadata: { name: web, labels: { app: web }, finalizers: [example.com/keep] }
spec: { containers: [{ name: c, image: nginx, ports: [{ containerPort: 80 }] }] }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { selector: { app: web }, ports: [{ port: 80 }] }
---
apiVersion: v1
kind: Pod
metadata: { name: client }
spec: { containers: [{ name: c, image: nginx }] }
`;

describe('a pod held by finalizers after delete is Terminating, as the kubelet leaves it', () => {
  it('stops its containers, removes its endpoint and its Service backends, and refuses no later command', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    c.apply(APP);
    const ip = c.get('Pod', 'web', 'default')!.status.podIP!;
    expect(c.exec('default/client').curl({ url: `http://${ip}/` }).kind).toBe('response');
    const inWeb = c.exec('default/web');
    expect(inWeb.curl({ url: 'http://web/' }).kind).toBe('response');
    c.delete({ kind: 'Pod', namespace: 'default', name: 'web' });
    // A view into the pod taken while it ran runs nothing once its containers stopped.
    expect(() => inWeb.curl({ url: 'http://web/' })).toThrow('cannot exec into a container in a completed pod; current phase is Succeeded');
    const held = c.get('Pod', 'web', 'default')!;
    expect(held.metadata.deletionTimestamp).toBeDefined();
    expect(held.status.phase).toBe('Succeeded');
    expect(held.status.containerStatuses![0]).toMatchObject({ ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } });
    expect(held.status.conditions!.find((x) => x.type === 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    // No endpoint: no traffic to it, by address or through the Service, which lists no backend.
    expect(c.inspect.endpoints().some((e) => e.ip === ip)).toBe(false);
    expect(serviceEndpoints(c.state, c.get('Service', 'web', 'default')!)).toEqual([]);
    expect(c.exec('default/client').curl({ url: `http://${ip}/`, connectTimeoutMs: 1000 }).kind).toBe('error');
    expect(c.exec('default/client').curl({ url: 'http://web/', connectTimeoutMs: 1000 }).kind).toBe('error');
    // Removing the finalizer lets it go; a new pod of the name starts afresh and serves.
    c.apply(APP.split('---')[0]!.replace(', finalizers: [example.com/keep]', ''));
    expect(c.get('Pod', 'web', 'default')).toBeUndefined();
    c.apply(APP.split('---')[0]!);
    expect(c.get('Pod', 'web', 'default')!.status.phase).toBe('Running');
    expect(c.exec('default/client').curl({ url: 'http://web/' }).kind).toBe('response');
  });

  it('never starts a pod that was still Pending when it was deleted', () => {
    const live = Cluster.create({ seed: 1, mutualAuth: false });
    live.apply(
      'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec: { nodeSelector: { disk: ssd }, containers: [{ name: c, image: nginx }] }\n',
    );
    live.label({ kind: 'Node', name: 'kind-worker' }, { disk: 'ssd' });
    expect(live.get('Pod', 'p', 'default')!.status.phase).toBe('Running');

    const c = Cluster.create({ seed: 1, mutualAuth: false });
    c.apply(
      'apiVersion: v1\nkind: Pod\nmetadata: { name: p, finalizers: [example.com/keep] }\nspec: { nodeSelector: { disk: ssd }, containers: [{ name: c, image: nginx }] }\n',
    );
    c.delete({ kind: 'Pod', namespace: 'default', name: 'p' });
    // A node it fits appears: the scheduler would bind a live pod there, but not this one.
    expect(c.label({ kind: 'Node', name: 'kind-worker' }, { disk: 'ssd' }).ok).toBe(true);
    expect(c.get('Pod', 'p', 'default')!.status.phase).toBe('Pending');
    expect(c.get('Pod', 'p', 'default')!.spec.nodeName).toBeUndefined();
  });
});
