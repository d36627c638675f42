import { describe, expect, it } from 'vitest';
import { formatAuthKey } from '../../src/datapath/authMap.ts';
import { authCluster, authLog, call, identityOf, policy, serverAuthEntries } from '../auth/authFixtures.ts';
import { runtimeOf } from '../../src/cluster/cluster.ts';

describe("mutual authentication on the server's node", () => {
  it('drops the first SYN, authenticates the pair and lets the retransmission through', () => {
    const cluster = authCluster();

    expect(call(cluster)).toBe('200');

    const flows = cluster.flows().filter((f) => f.source?.pod_name === 'client');
    const auth = flows.filter((f) => f.drop_reason_desc === 'AUTH_REQUIRED');
    expect(auth).toHaveLength(1);
    const [entry] = serverAuthEntries(cluster);
    expect(entry!.key).toEqual({
      localIdentity: identityOf(cluster, 'server'),
      remoteIdentity: identityOf(cluster, 'client'),
      remoteNodeID: cluster.inspect.node('kind-worker2')!.id,
      authType: 1,
    });
    expect(authLog(cluster, 'kind-worker', 'auth')).toEqual([
      'debug Handle authentication request',
      'debug Policy is requiring authentication',
      'debug Validating Server SNI',
      'debug Validated certificate',
      'debug Successfully authenticated',
      'debug Clearing pending authentication',
    ]);
  });

  it('keeps the entry until the earlier of the two SVIDs expires', () => {
    const cluster = authCluster();
    call(cluster);
    const [entry] = serverAuthEntries(cluster);
    const ma = runtimeOf(cluster).spire!.certs;
    const notAfter = Math.min(
      ma.svidFor('kind-worker', identityOf(cluster, 'server'))!.notAfterMs,
      ma.svidFor('kind-worker2', identityOf(cluster, 'client'))!.notAfterMs,
    );
    expect(entry!.expiresAtNs).toBe((notAfter - cluster.now().startMs) * 1_000_000);
  });

  it('uses remote node ID 0 for a client on the same node', () => {
    const cluster = authCluster();
    expect(call(cluster, 'local')).toBe('200');
    expect(serverAuthEntries(cluster).map((e) => e.key.remoteNodeID)).toEqual([0]);
  });

  it('never authenticates with test-always-fail: the connection times out and the agent warns', () => {
    const cluster = authCluster('test-always-fail');
    expect(call(cluster)).toBe('exit 28');
    expect(serverAuthEntries(cluster)).toEqual([]);
    const warn = cluster.inspect.agentLog('kind-worker').find((l) => l.level === 'warning')!;
    expect(warn.msg).toBe('Failed to authenticate request');
    expect(warn.fields).toContainEqual([
      'error',
      'failed to authenticate with auth type test-always-fail: authenticating failed by the always-fail auth handler',
    ]);
  });

  it('restores plain L3/L4 behaviour when the requirement is removed', () => {
    const cluster = authCluster('required');
    cluster.apply(policy('none'));
    expect(call(cluster)).toBe('200');
    expect(cluster.flows().filter((f) => f.drop_reason_desc === 'AUTH_REQUIRED')).toEqual([]);
    expect(serverAuthEntries(cluster)).toEqual([]);
  });

  it('skips reserved identities: the agent logs it and writes no entry', () => {
    const cluster = authCluster();
    const key = {
      localIdentity: identityOf(cluster, 'server'),
      remoteIdentity: 6,
      remoteNodeID: cluster.inspect.node('kind-worker2')!.id,
      authType: 1,
    };

    runtimeOf(cluster).agents.get('kind-worker')!.authManager!.signal(key);
    cluster.advance('1s');

    expect(serverAuthEntries(cluster)).toEqual([]);
    const info = cluster.inspect.agentLog('kind-worker').filter((l) => l.level === 'info' && l.subsys === 'auth');
    expect(info.map((l) => [l.msg, l.fields])).toEqual([
      [
        'Reserved identity, skipping authentication as reserved identities are not compatible with authentication',
        [['key', formatAuthKey(key)]],
      ],
    ]);
  });
});

describe('auth map life cycle', () => {
  it('re-authenticates rotated identities before the entry expires, so traffic never stops', () => {
    const cluster = authCluster();
    call(cluster);
    const before = serverAuthEntries(cluster)[0]!;
    cluster.advance('31m');
    const after = serverAuthEntries(cluster)[0]!;
    expect(after.expiresAtNs).toBeGreaterThan(before.expiresAtNs);
    expect(after.storedAtNs).toBeGreaterThan(before.storedAtNs);
    expect(cluster.inspect.agentLog('kind-worker').some((l) => l.msg === 'Handle certificate rotation event')).toBe(true);
    cluster.advance('2h');
    expect(call(cluster)).toBe('200');
    expect(cluster.flows().filter((f) => f.drop_reason_desc === 'AUTH_REQUIRED')).toHaveLength(1);
  });

  it('garbage-collects entries of a deleted identity and entries no policy requires', () => {
    const cluster = authCluster();
    call(cluster);
    call(cluster, 'peer');
    expect(serverAuthEntries(cluster)).toHaveLength(2);
    const peer = identityOf(cluster, 'peer');
    cluster.delete({ kind: 'Pod', name: 'peer', namespace: 'default' });
    cluster.advance('16m'); // identity GC (15m), then the next auth GC run (every 5m)
    expect(serverAuthEntries(cluster).map((e) => e.key.remoteIdentity)).not.toContain(peer);
    expect(
      cluster.inspect
        .agentLog('kind-worker')
        .some((l) => l.msg.startsWith('Deleting entry due to removed') || l.msg === 'Certificate delete event: deleting auth map entry'),
    ).toBe(true);
    cluster.apply(policy('none'));
    cluster.advance('5m');
    expect(serverAuthEntries(cluster)).toEqual([]);
    expect(cluster.inspect.agentLog('kind-worker').some((l) => l.msg === 'Deleting entry because no policy requires authentication')).toBe(
      true,
    );
  });

  it('logs the key as the agent does', () => {
    expect(formatAuthKey({ localIdentity: 17947, remoteIdentity: 39239, remoteNodeID: 54264, authType: 1 })).toBe(
      'localIdentity=17947, remoteIdentity=39239, remoteNodeID=54264, authType=spire',
    );
  });
});
