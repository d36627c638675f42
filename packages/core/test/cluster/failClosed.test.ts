import { describe, expect, it } from 'vitest';
import { runtimeOf } from '../../src/cluster/cluster.ts';
import { authCluster, authLog, call, identityOf, serverAuthEntries } from '../auth/authFixtures.ts';

const AUDIT_POLICY = `
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: server-closed }
spec:
  endpointSelector: { matchLabels: { app: server } }
  ingress:
  - fromEndpoints: [{ matchLabels: { app: nobody } }]
`;

const SERVER = `
apiVersion: v1
kind: Pod
metadata: { name: server, labels: { app: server } }
spec: { nodeName: kind-worker, containers: [{ name: web, image: nginx, ports: [{ containerPort: 80 }] }] }
`;

describe('an auth-map entry lives no longer than the identities it names', () => {
  it('goes at once when the identity GC releases either identity, before the auth GC runs, with SPIRE down', () => {
    const cluster = authCluster('required');
    cluster.setConfig('mesh-auth-gc-interval', '7m');
    expect(call(cluster)).toBe('200');
    // With the server down the operator cannot delete the identity's SPIRE entry, so no SVID
    // deletion reaches the agents: only the identity's release removes the entry.
    cluster.faults.spireServerDown();
    const client = identityOf(cluster, 'client');
    expect(serverAuthEntries(cluster).some((e) => e.key.remoteIdentity === client)).toBe(true);
    cluster.delete({ kind: 'Pod', namespace: 'default', name: 'client' });
    // The identity GC runs every 15m; the auth GC (7m) does not divide it.
    cluster.advance('15m');
    expect(runtimeOf(cluster).identities.get(client)).toBeUndefined();
    expect(serverAuthEntries(cluster).filter((e) => e.key.remoteIdentity === client || e.key.localIdentity === client)).toEqual([]);
    expect(authLog(cluster, 'kind-worker', 'auth')).toContain('debug Deleting entry due to removed remote identity');
  });

  it('keeps a handshake in flight from writing an entry for an identity released meanwhile', () => {
    const cluster = authCluster('required');
    const rt = runtimeOf(cluster);
    const server = identityOf(cluster, 'server');
    const client = identityOf(cluster, 'client');
    const node = cluster.inspect.node('kind-worker2')!.id;
    const manager = rt.agents.get('kind-worker')!.authManager!;
    manager.signal({ localIdentity: server, remoteIdentity: client, remoteNodeID: node, authType: 1 });
    // The signal is picked up, the handshake starts; the identity goes before it completes.
    rt.scheduler.runUntil(rt.clock.nowNs + 200_000);
    manager.identityRemoved(client);
    cluster.advance('1s');
    expect(serverAuthEntries(cluster)).toEqual([]);
  });
});

describe('per-endpoint settings belong to the endpoint', () => {
  it('lets a new pod under an old name start without the old endpoint audit mode', () => {
    const cluster = authCluster('none');
    cluster.delete({ kind: 'CiliumNetworkPolicy', namespace: 'default', name: 'server-auth' });
    cluster.apply(AUDIT_POLICY);
    expect(call(cluster)).toBe('exit 28');
    cluster.setEndpointAuditMode('default/server', true);
    expect(call(cluster)).toBe('200');
    expect(cluster.inspect.enforcement(cluster.inspect.endpoint('default', 'server')!).ingress).toBe('audit');
    // A label change keeps the endpoint, and its setting.
    cluster.label({ kind: 'Pod', namespace: 'default', name: 'server' }, { tier: 'web' });
    expect(call(cluster)).toBe('200');
    cluster.delete({ kind: 'Pod', namespace: 'default', name: 'server' });
    cluster.apply(SERVER);
    const fresh = cluster.inspect.endpoint('default', 'server')!;
    expect(cluster.inspect.enforcement(fresh).ingress).toBe('enforcing');
    expect(call(cluster)).toBe('exit 28');
  });

  it('refuses settings for endpoints that do not exist, and bad values', () => {
    const cluster = authCluster('none');
    expect(() => cluster.setEndpointAuditMode('default/ghost', true)).toThrowError(
      expect.objectContaining({ code: 'NOT_FOUND', ref: { kind: 'Pod', namespace: 'default', name: 'ghost' } }),
    );
    cluster.delete({ kind: 'Pod', namespace: 'default', name: 'server' });
    expect(() => cluster.setEndpointAuditMode('default/server', true)).toThrowError(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => cluster.setEndpointAuditMode('default/client', 'yes' as never)).toThrowError(
      expect.objectContaining({ code: 'INVALID_FIELD' }),
    );
  });
});

describe('turning mutual authentication off in the agent config', () => {
  it.each(['mesh-auth-enabled', 'mesh-auth-mutual-enabled'])('%s false drops what a policy requires authentication for', (key) => {
    const cluster = authCluster('required');
    expect(call(cluster)).toBe('200');
    cluster.setConfig(key, 'false');
    expect(serverAuthEntries(cluster)).toEqual([]);
    expect(call(cluster)).toBe('exit 28');
    expect(cluster.flows().at(-1)?.drop_reason_desc).toBe('AUTH_REQUIRED');
    cluster.deleteConfig(key);
    expect(call(cluster)).toBe('200');
  });

  it('mesh-auth-mutual-enabled false leaves no handler for the spire auth type', () => {
    const cluster = authCluster('required');
    cluster.setConfig('mesh-auth-mutual-enabled', 'false');
    call(cluster);
    expect(authLog(cluster, 'kind-worker', 'auth').filter((l) => l.startsWith('warning'))).toContain(
      'warning Failed to authenticate request: failed to authenticate with auth type spire: unknown requested auth type: spire',
    );
  });
});

describe("a pod's own labels never pass for the ones Cilium sets", () => {
  it('drops pod labels under io.cilium.k8s, so a pod cannot claim a namespace label, service account or cluster', () => {
    const cluster = authCluster('disabled', { mutualAuth: false });
    cluster.apply(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: admins-only }
spec:
  podSelector: { matchLabels: { app: server } }
  ingress:
  - from: [{ namespaceSelector: { matchLabels: { team: admins } } }]
`);
    cluster.delete({ kind: 'CiliumNetworkPolicy', namespace: 'default', name: 'server-auth' });
    expect(call(cluster)).toBe('exit 28');
    const ref = { kind: 'Pod', namespace: 'default', name: 'client' } as const;
    cluster.label(ref, {
      'io.cilium.k8s.namespace.labels.team': 'admins',
      'io.cilium.k8s.policy.serviceaccount': 'admin',
      'io.cilium.k8s.policy.cluster': 'other',
    });
    expect(call(cluster)).toBe('exit 28');
    const keys = cluster.inspect.endpoint('default', 'client')!.labels.map((l) => `${l.key}=${l.value}`);
    expect(keys).toContain('io.cilium.k8s.policy.serviceaccount=default');
    expect(keys.filter((k) => k.includes('admin') || k.endsWith('=other'))).toEqual([]);
  });
});
