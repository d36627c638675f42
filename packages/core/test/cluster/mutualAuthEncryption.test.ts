import { describe, expect, it } from 'vitest';
import type { Encryption } from '../../src/index.ts';
import { authCluster, call } from '../auth/authFixtures.ts';

// Transparent encryption is the other half of the seeds' pairing: mutual authentication decides
// who may talk, WireGuard or IPsec encrypts the packets between nodes. Hubble marks a flow
// `IP.encrypted` when its packet crossed nodes through the tunnel.

function encryptedByPeer(mode: Encryption): Record<string, boolean[]> {
  const cluster = authCluster('required', { encryption: mode });
  call(cluster, 'client');
  call(cluster, 'local');
  const out: Record<string, boolean[]> = {};
  for (const f of cluster.flows()) {
    const pods = [f.source?.pod_name, f.destination?.pod_name];
    if (!pods.includes('server')) continue;
    const peer = pods.find((p) => p !== 'server') ?? '';
    (out[peer] ??= []).push(f.IP?.encrypted === true);
  }
  return out;
}

describe('transparent encryption with mutual authentication', () => {
  it.each(['wireguard', 'ipsec'] as const)('marks cross-node flows encrypted under %s and same-node flows not', (mode) => {
    const byPeer = encryptedByPeer(mode);
    expect(byPeer['client']!.length).toBeGreaterThan(0);
    expect(byPeer['client']!.every(Boolean)).toBe(true);
    expect(byPeer['local']!.some(Boolean)).toBe(false);
  });

  it('marks nothing encrypted when encryption is disabled, and mutual auth still applies', () => {
    const byPeer = encryptedByPeer('disabled');
    expect(Object.values(byPeer).flat().some(Boolean)).toBe(false);
    const cluster = authCluster('required');
    call(cluster);
    expect(cluster.flows().filter((f) => f.drop_reason_desc === 'AUTH_REQUIRED')).toHaveLength(1);
  });
});
