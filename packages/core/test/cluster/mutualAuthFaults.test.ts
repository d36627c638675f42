import { describe, expect, it } from 'vitest';
// `spire-server healthcheck` is how a learner sees the server down; its words are the CLI's, so
// this test borrows the CLI's spire-server (a test-only import across packages).
import { runSpireServerCli } from '../../../cli/src/spire/serverCli.ts';
import { authCluster, call, identityOf, serverAuthEntries } from '../auth/authFixtures.ts';
import type { Cluster } from '../../src/index.ts';
import { runtimeOf } from '../../src/cluster/cluster.ts';

// Each fault is injected before the pair first authenticates, so the handshake runs under it;
// then the fault is cleared and the next connection must succeed.

const NEWCOMER = `
apiVersion: v1
kind: Pod
metadata: { name: newcomer, labels: { app: newcomer, role: caller } }
spec: { nodeName: kind-worker2, containers: [{ name: c, image: nicolaka/netshoot }] }
`;

function warnings(cluster: Cluster, node = 'kind-worker'): string[] {
  return cluster.inspect
    .agentLog(node)
    .filter((l) => l.level === 'warning' || l.level === 'error')
    .map((l) => {
      const err = l.fields.find(([k]) => k === 'error')?.[1] ?? '';
      return `${l.msg}: ${err}`;
    });
}

describe('SPIRE server down', () => {
  it('lets existing SVIDs authenticate, refuses new identities, and recovers once the server is back', () => {
    const cluster = authCluster();
    cluster.faults.spireServerDown();
    expect(runSpireServerCli(cluster.spireServer()!, ['healthcheck']).stderr).toBe(
      'Error: server is unhealthy: unable to determine health\n',
    );

    expect(call(cluster)).toBe('200');
    cluster.apply(NEWCOMER);
    expect(call(cluster, 'newcomer')).toBe('exit 28');
    const newcomer = identityOf(cluster, 'newcomer');
    expect(warnings(cluster).at(-1)).toBe(
      `Failed to authenticate request: failed to authenticate with auth type spire: failed to dial 172.18.0.4:4250: remote error: tls: internal error`,
    );
    expect(cluster.faults.active()).toEqual([{ kind: 'spire-server-down' }]);

    cluster.faults.spireServerUp();
    cluster.advance('10s');
    expect(cluster.spireServer()!.listEntries({ spiffeId: `spiffe://spiffe.cilium/identity/${newcomer}` })).toHaveLength(1);
    expect(call(cluster, 'newcomer')).toBe('200');
    expect(cluster.faults.active()).toEqual([]);
  });
});

describe("one node's SPIRE agent down", () => {
  it('keeps the SVIDs its Cilium agent holds, cannot serve new identities, and reconnects when back', () => {
    const cluster = authCluster();
    cluster.faults.spireAgentDown('kind-worker2');
    cluster.apply(NEWCOMER);

    expect(call(cluster)).toBe('200');
    expect(call(cluster, 'newcomer')).toBe('exit 28');
    expect(warnings(cluster, 'kind-worker2')[0]).toBe(
      'error in delegate stream, restarting: rpc error: code = Unavailable desc = error reading from server: EOF',
    );
    expect(warnings(cluster, 'kind-worker2')[1]).toMatch(
      /^SPIRE Delegate API Client failed to init watcher, retrying: rpc error: code = Unavailable/,
    );

    cluster.faults.spireAgentUp('kind-worker2');
    cluster.advance('15s');
    expect(call(cluster, 'newcomer')).toBe('200');
  });

  it('lets a certificate expire: the auth entry dies with it and the handshake refuses the expired SVID', () => {
    const cluster = authCluster();
    expect(call(cluster)).toBe('200');
    cluster.faults.spireAgentDown('kind-worker2');
    const clientSvid = runtimeOf(cluster).spire!.certs.svidFor('kind-worker2', identityOf(cluster, 'client'))!;

    cluster.advance('61m');

    expect(serverAuthEntries(cluster).every((e) => e.expiresAtNs <= (clientSvid.notAfterMs - cluster.now().startMs) * 1e6)).toBe(true);
    expect(call(cluster)).toBe('exit 28');
    expect(warnings(cluster).at(-1)).toMatch(
      /tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2024-07-04T18:59:\d\dZ is after 2024-07-04T18:58:00Z$/,
    );

    cluster.faults.spireAgentUp('kind-worker2');
    cluster.advance('15s');
    expect(call(cluster)).toBe('200');
  });
});

describe('trust domain mismatch', () => {
  it('fails on the server side when the remote node expects another trust domain', () => {
    const cluster = authCluster();
    cluster.faults.trustDomainMismatch('kind-worker2', 'other.example');
    expect(call(cluster)).toBe('exit 28');
    expect(warnings(cluster).at(-1)).toBe(
      'Failed to authenticate request: failed to authenticate with auth type spire: failed to dial 172.18.0.4:4250: remote error: tls: internal error',
    );
    cluster.faults.clearTrustDomainMismatch('kind-worker2');
    expect(call(cluster)).toBe('200');
  });

  it('fails before dialing when the initiating node expects another trust domain', () => {
    const cluster = authCluster();
    cluster.faults.trustDomainMismatch('kind-worker', 'other.example');
    expect(call(cluster)).toBe('exit 28');
    const server = identityOf(cluster, 'server');
    expect(warnings(cluster).at(-1)).toBe(
      `Failed to authenticate request: failed to authenticate with auth type spire: unable to get certificate for local identity ${server}: no SPIFFE ID for spiffe://other.example/identity/${server}`,
    );
    cluster.faults.clearAll();
    expect(call(cluster)).toBe('200');
  });
});

describe('a node clock advanced past expiry', () => {
  it('sees the peer certificate as expired until the clock is set right', () => {
    const cluster = authCluster();
    cluster.faults.clockSkew('kind-worker', '2h');
    expect(call(cluster)).toBe('exit 28');
    expect(warnings(cluster).at(-1)).toMatch(
      /x509: certificate has expired or is not yet valid: current time 2024-07-04T19:58:0\dZ is after 2024-07-04T18:58:00Z$/,
    );
    cluster.faults.clockSkew('kind-worker', 0);
    expect(call(cluster)).toBe('200');
  });
});

describe('fault API input', () => {
  it('names an unknown node and a cluster without SPIRE', () => {
    expect(() => authCluster().faults.spireAgentDown('kind-worker9')).toThrow(/no such node: kind-worker9/);
    const plain = authCluster('none', { mutualAuth: false });
    expect(() => plain.faults.spireServerDown()).toThrow(/SPIRE is not running/);
  });
});
