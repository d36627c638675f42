import { describe, expect, it } from 'vitest';
import { candidateNames, podResolvConf } from '../../src/workload/dnsResolver.ts';
import { dnsEgress, lookup, mediabotPolicy, newCluster } from '../proxy/l7Fixtures.ts';

describe('the pod stub resolver', () => {
  const conf = podResolvConf('economy', '10.96.0.10');

  it('tries the search list first for names with fewer dots than ndots (5)', () => {
    expect(candidateNames('backend', conf)).toEqual([
      'backend.economy.svc.cluster.local',
      'backend.svc.cluster.local',
      'backend.cluster.local',
      'backend',
    ]);
    expect(candidateNames('api.github.com', conf).at(-1)).toBe('api.github.com');
  });

  it('takes a name with a trailing dot as absolute, and one with ndots dots first as is', () => {
    expect(candidateNames('api.github.com.', conf)).toEqual(['api.github.com']);
    expect(candidateNames('a.b.c.d.e.f', conf)[0]).toBe('a.b.c.d.e.f');
  });

  it('moves to the next candidate on REFUSED, and reports REFUSED when every one was refused', () => {
    const cluster = newCluster();
    cluster.apply(mediabotPolicy('dns-one-name', dnsEgress('        - matchName: "api.github.com"\n')));
    expect(lookup(cluster, 'api.github.com')).toBe('140.82.121.6');
    expect(lookup(cluster, 'google.com')).toBe('REFUSED');
  });

  it('reports NXDOMAIN for a name nobody knows', () => {
    const cluster = newCluster();
    expect(lookup(cluster, 'nothing.invalid')).toBe('NXDOMAIN');
  });
});
