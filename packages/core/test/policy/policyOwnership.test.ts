import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/index.ts';

const POD = `apiVersion: v1
kind: Pod
metadata: { name: a, labels: { app: a } }
spec: { containers: [{ name: c, image: nginx }] }`;

const policy = (metadata: string): string => `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: p, ${metadata} }
spec: { endpointSelector: { matchLabels: { app: a } }, ingress: [{ fromEntities: [world] }] }`;

describe('policies carry object metadata as every other kind does', () => {
  it('keeps ownerReferences and finalizers: the policy goes with its owner, and waits for its finalizers', () => {
    const c = Cluster.create({ seed: 1 });
    c.apply(POD);
    const uid = c.get('Pod', 'a', 'default')!.metadata.uid;
    const [r] = c.apply(policy(`ownerReferences: [{ apiVersion: v1, kind: Pod, name: a, uid: "${uid}" }], finalizers: [example.com/keep]`));
    expect(r!.ok).toBe(true);
    c.delete({ kind: 'Pod', name: 'a', namespace: 'default' });
    c.advance('1s');
    expect(c.get('CiliumNetworkPolicy', 'p', 'default')?.metadata.deletionTimestamp).toBeDefined();
    c.apply(policy(`ownerReferences: [{ apiVersion: v1, kind: Pod, name: a, uid: "${uid}" }], finalizers: []`));
    c.advance('1s');
    expect(c.get('CiliumNetworkPolicy', 'p', 'default')).toBeUndefined();
  });

  it('refuses malformed ownerReferences and finalizers in the API server words, not as unknown fields', () => {
    const c = Cluster.create({ seed: 1 });
    const [owner] = c.apply(policy('ownerReferences: [{ apiVersion: v1, kind: Pod, name: a }]'));
    expect(owner!.ok ? '' : owner!.error.message).toContain('metadata.ownerReferences.uid: Invalid value: "": uid must not be empty');
    const [finalizer] = c.apply(policy('finalizers: ["bad name!"]'));
    expect(finalizer!.ok ? '' : finalizer!.error.message).toContain('metadata.finalizers[0]: Invalid value: "bad name!"');
  });
});
