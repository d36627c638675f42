import { describe, expect, it } from 'vitest';
import { nodeNames } from '../../src/k8s/bootstrap.ts';
import { listObjects } from '../../src/k8s/state.ts';
import { parseCiliumVersion } from '../../src/version/ciliumVersion.ts';
import { testCluster } from './fixtures.ts';

const SAFE = '[bcdfghjklmnpqrstvwxz2456789]';

describe('bootstrapCluster', () => {
  it('creates the kind nodes with their pod CIDRs, InternalIPs and control-plane taint', () => {
    const c = testCluster(1, 3);

    const nodes = listObjects(c.state, 'Node');

    expect(nodes.map((n) => [n.metadata.name, n.spec.podCIDR, n.status.addresses[0]!.address])).toEqual([
      ['kind-control-plane', '10.244.0.0/24', '172.18.0.2'],
      ['kind-worker', '10.244.1.0/24', '172.18.0.3'],
      ['kind-worker2', '10.244.2.0/24', '172.18.0.4'],
    ]);
    expect(nodes[0]!.metadata.labels).toHaveProperty('node-role.kubernetes.io/control-plane', '');
    expect(nodes[0]!.spec.taints).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
  });

  it('names further workers kind-worker3, kind-worker4, ...', () => {
    expect(nodeNames(5)).toEqual(['kind-control-plane', 'kind-worker', 'kind-worker2', 'kind-worker3', 'kind-worker4']);
  });

  it('creates the namespaces the labs list, labelled with kubernetes.io/metadata.name', () => {
    const c = testCluster(1, 3, true);

    const namespaces = listObjects(c.state, 'Namespace');

    expect(namespaces.map((n) => n.metadata.name)).toEqual([
      'cilium-spire',
      'default',
      'kube-node-lease',
      'kube-public',
      'kube-system',
      'local-path-storage',
    ]);
    expect(namespaces.every((n) => n.metadata.labels['kubernetes.io/metadata.name'] === n.metadata.name)).toBe(true);
    expect(listObjects(testCluster(1, 3, false).state, 'Namespace').map((n) => n.metadata.name)).not.toContain('cilium-spire');
  });

  it('runs the system pods the labs show, all Running', () => {
    const c = testCluster(1, 3, true);

    const names = listObjects(c.state, 'Pod').map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    const count = (re: RegExp): number => names.filter((n) => re.test(n)).length;

    expect(count(new RegExp(`^kube-system/cilium-${SAFE}{5}$`))).toBe(3);
    // Cilium 1.16 runs Envoy as its own DaemonSet, and replaces kube-proxy, so kind runs none.
    expect(count(new RegExp(`^kube-system/cilium-envoy-${SAFE}{5}$`))).toBe(3);
    expect(count(new RegExp(`^kube-system/kube-proxy-${SAFE}{5}$`))).toBe(0);
    expect(count(new RegExp(`^kube-system/hubble-ui-${SAFE}{8,10}-${SAFE}{5}$`))).toBe(1);
    expect(count(new RegExp(`^kube-system/coredns-${SAFE}{8,10}-${SAFE}{5}$`))).toBe(2);
    expect(count(new RegExp(`^kube-system/cilium-operator-${SAFE}{8,10}-${SAFE}{5}$`))).toBe(1);
    expect(count(new RegExp(`^kube-system/hubble-relay-${SAFE}{8,10}-${SAFE}{5}$`))).toBe(1);
    expect(count(new RegExp(`^cilium-spire/spire-agent-${SAFE}{5}$`))).toBe(3);
    expect(names).toContain('cilium-spire/spire-server-0');
    expect(names).toContain('kube-system/etcd-kind-control-plane');
    expect(names).toContain('kube-system/kube-apiserver-kind-control-plane');
    expect(listObjects(c.state, 'Pod').every((p) => p.status.phase === 'Running')).toBe(true);
  });

  it('runs kube-proxy on every node when Cilium does not replace it, and names every other pod alike', () => {
    const names = (c: { state: Parameters<typeof listObjects>[0] }): string[] =>
      listObjects(c.state, 'Pod').map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    const replaced = names(testCluster(1, 3, true));
    const withKubeProxy = names(testCluster(1, 3, true, { kubeProxyReplacement: false }));

    expect(withKubeProxy.filter((n) => n.startsWith('kube-system/kube-proxy-'))).toHaveLength(3);
    expect(withKubeProxy.filter((n) => !n.startsWith('kube-system/kube-proxy-'))).toEqual(replaced);
  });

  it('runs no Envoy DaemonSet before Cilium 1.16, and the same other pods under the same names and suffixes', () => {
    const v115 = listObjects(testCluster(1, 3, true, { ciliumVersion: parseCiliumVersion('1.15') }).state, 'Pod');
    const v116 = listObjects(testCluster(1, 3, true).state, 'Pod');
    // A Deployment's pod-template-hash follows its template, whose image is the version's.
    const name = (p: (typeof v115)[number]): string =>
      `${p.metadata.namespace}/${p.metadata.name.replace(p.metadata.labels['pod-template-hash'] ?? '-', 'HASH')}`;

    expect(v115.filter((p) => p.metadata.name.startsWith('cilium-envoy-'))).toEqual([]);
    expect(v115.map(name)).toEqual(v116.filter((p) => !p.metadata.name.startsWith('cilium-envoy-')).map(name));
    expect(v115.find((p) => p.metadata.labels['k8s-app'] === 'cilium')?.spec.containers[0]?.image).toBe('quay.io/cilium/cilium:v1.15.6');
  });

  it("gives the SPIRE server pod the two containers of Cilium's chart", () => {
    const c = testCluster(1, 3, true);

    const server = listObjects(c.state, 'Pod', 'cilium-spire').find((p) => p.metadata.name === 'spire-server-0')!;

    expect(server.spec.containers.map((x) => x.name)).toEqual(['cilium-init', 'spire-server']);
    expect(server.metadata.labels['app']).toBe('spire-server');
  });

  it('creates the kubernetes, kube-dns and spire-server Services', () => {
    const c = testCluster(1, 3, true);

    const svcs = listObjects(c.state, 'Service').map((s) => [`${s.metadata.namespace}/${s.metadata.name}`, s.spec.clusterIP]);

    expect(svcs).toContainEqual(['default/kubernetes', '10.96.0.1']);
    expect(svcs).toContainEqual(['kube-system/kube-dns', '10.96.0.10']);
    expect(svcs.map((s) => s[0])).toContain('cilium-spire/spire-server');
  });

  it('stamps system objects ten minutes before the clock start', () => {
    const c = testCluster();

    expect(new Set(Object.values(c.state.objects).map((o) => o.metadata.creationTimestamp))).toEqual(new Set(['2024-07-04T17:48:00Z']));
  });

  it('is deterministic for a seed', () => {
    expect(testCluster(42).state).toEqual(testCluster(42).state);
  });
});
