import { describe, expect, it } from 'vitest';
import { runtimeOf } from '../../src/cluster/cluster.ts';
import { Cluster } from '../../src/index.ts';
import type { PolicyObject } from '../../src/k8s/objects.ts';
import { objectKey, parseObjectKey } from '../../src/k8s/objects.ts';
import { PolicyAdmission } from '../../src/runtime/policyAdmission.ts';

const RULE = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: rule1 }
spec:
  endpointSelector: { matchLabels: { org: empire } }
  ingress: [{ fromEndpoints: [{ matchLabels: { org: empire } }], toPorts: [{ ports: [{ port: "80", protocol: TCP }] }] }]
`;

function admitted(): PolicyObject {
  return {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata: { name: 'rule1', namespace: 'default', uid: 'u', labels: {}, creationTimestamp: 't', resourceVersion: '', generation: 1 },
    spec: { endpointSelector: { matchLabels: { org: 'empire' } }, ingress: [{ fromEndpoints: [{ matchLabels: {} }] }] },
  } as unknown as PolicyObject;
}

describe('policy admission', () => {
  it('parses a revision once: the stored object reads the rules admission parsed', () => {
    const admission = new PolicyAdmission(() => []);
    const obj = admitted();
    expect(admission.validate(obj)).toEqual([]);
    const stored = { ...obj, metadata: { ...obj.metadata, resourceVersion: '7' } } as PolicyObject;
    // Were the stored object parsed again, this would now be an invalid rule and throw.
    (stored as unknown as { spec: { ingress: unknown } }).spec.ingress = 'not a list';

    const rules = admission.rulesOf(stored);

    expect(rules.source).toEqual({ kind: 'CiliumNetworkPolicy', namespace: 'default', name: 'rule1' });
    expect(admission.rulesOf(stored)).toBe(rules);
  });

  it('parses a revision it did not admit, and a rename of the same spec, anew', () => {
    const admission = new PolicyAdmission(() => []);
    const obj = admitted();
    admission.validate(obj);
    const renamed = { ...obj, metadata: { ...obj.metadata, name: 'rule2' } } as PolicyObject;

    expect(admission.rulesOf(renamed).source.name).toBe('rule2');
    expect(admission.rulesOf(admitted()).source.name).toBe('rule1');
  });

  it('gives the policy watcher and the repository the one parse', () => {
    const cluster = Cluster.create({ seed: 1 });
    cluster.apply(RULE);
    const rt = runtimeOf(cluster);
    const stored = cluster.get('CiliumNetworkPolicy', 'rule1', 'default')!;

    expect(rt.admission.rulesOf(stored)).toBe(
      rt.policy.repository.get({ kind: 'CiliumNetworkPolicy', namespace: 'default', name: 'rule1' }),
    );
  });
});

describe('object keys', () => {
  it('parse back into the reference they were made of', () => {
    for (const ref of [
      { kind: 'Pod', namespace: 'default', name: 'xwing' },
      { kind: 'Namespace', name: 'kube-system' },
      { kind: 'CiliumClusterwideNetworkPolicy', name: 'lockdown' },
    ] as const)
      expect(parseObjectKey(objectKey(ref))).toEqual(ref);
  });
});
