import { describe, expect, it } from 'vitest';
import { matchingFields, parseFieldSelector } from '../../src/kubectl/fieldSelector.ts';
import { createSimulator } from '../../src/simulator.ts';
import type { KubeObject } from '../../src/kubectl/objects.ts';
import { nodeHostFiles } from '../../src/node/nodeHostFiles.ts';

const pod = (name: string, nodeName: string): KubeObject =>
  ({ metadata: { name, namespace: 'kube-system' }, spec: { nodeName } }) as unknown as KubeObject;

describe('kubectl --field-selector', () => {
  it('keeps the objects whose fields equal (or differ from) the values, terms ANDed', () => {
    const pods = [pod('cilium-a', 'kind-worker'), pod('cilium-b', 'kind-worker2')];
    expect(matchingFields(pods, parseFieldSelector('spec.nodeName=kind-worker', 'Pod')).map((p) => p.metadata.name)).toEqual(['cilium-a']);
    expect(
      matchingFields(pods, parseFieldSelector('spec.nodeName!=kind-worker,metadata.name==cilium-b', 'Pod')).map((p) => p.metadata.name),
    ).toEqual(['cilium-b']);
  });

  it('refuses fields the API server does not index, naming the supported ones', () => {
    expect(() => parseFieldSelector('spec.containers=x', 'Pod')).toThrow(
      /"spec.containers" is not a known field selector: only "metadata.name", "metadata.namespace", "spec.nodeName"/,
    );
    expect(() => parseFieldSelector('spec.nodeName=x', 'Service')).toThrow(/not a known field selector/);
  });

  it('finds the Cilium agent of a node, as the mutual-authentication docs do', () => {
    const sim = createSimulator({}, nodeHostFiles(process.cwd()));
    const name = sim.session.run(
      "kubectl -n kube-system get pods -l k8s-app=cilium --field-selector spec.nodeName=kind-worker -o jsonpath='{.items[0].metadata.name}'",
    ).stdout;
    expect(sim.cluster.get('Pod', name, 'kube-system')?.spec.nodeName).toBe('kind-worker');
    expect(sim.session.run('kubectl get pods -n kube-system --field-selector spec.nodeName=nowhere').stderr).toBe(
      'No resources found in kube-system namespace.\n',
    );
  });
});
