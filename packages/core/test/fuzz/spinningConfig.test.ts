// Configurations that would make a timer of the virtual clock fire without end are refused with
// the field named, and leave the cluster as it was.
import { describe, expect, it } from 'vitest';
import { Cluster, isSimError, MAX_NC_SEGMENTS, type SimError } from '../../src/index.ts';

const cluster = Cluster.create({ seed: 1 });
cluster.apply(
  'apiVersion: v1\nkind: Pod\nmetadata: {name: web, labels: {app: web}}\nspec:\n  containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]\n',
);

function refusal(fn: () => unknown): SimError {
  const [state, config, now] = [cluster.state, cluster.inspect.config(), cluster.now().elapsedNs];
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  if (!isSimError(error)) throw new Error(`expected a SimError, got ${String(error)}`);
  expect(cluster.state).toBe(state);
  expect(cluster.inspect.config()).toEqual(config);
  expect(cluster.now().elapsedNs).toBe(now);
  return error;
}

describe('configurations that would spin the virtual clock', () => {
  it.each([
    ['identity-gc-interval', '0s', 'at least 1s'],
    ['identity-gc-interval', '3ns', 'at least 1s'],
    ['mesh-auth-gc-interval', '1ns', 'at least 1s'],
    ['mesh-auth-gc-interval', '-5m', 'at least 1s'],
    ['monitor-aggregation-interval', '0s', 'at least 1ms'],
    ['monitor-aggregation-interval', '10ns', 'at least 1ms'],
    ['mesh-auth-mutual-connect-timeout', '-1s', '0s or more'],
  ])('refuses %s %s, naming the key', (key, value, expected) => {
    const e = refusal(() => cluster.setConfig(key, value));
    expect(e.issues[0]?.path).toBe(key);
    expect(e.message).toContain(`invalid value "${value}" for ${key}: expected a duration of ${expected}`);
  });

  it('takes the shortest intervals it states', () => {
    const fresh = Cluster.create({ seed: 1 });
    fresh.setConfig('identity-gc-interval', '1s');
    fresh.setConfig('mesh-auth-gc-interval', '1s');
    fresh.setConfig('monitor-aggregation-interval', '1ms');
    fresh.advance('1m');
    expect(fresh.now().elapsedNs).toBeGreaterThanOrEqual(60e9);
  });

  it('refuses an X.509-SVID TTL under the rotation margin', () => {
    const server = cluster.spireServer()!;
    const entry = {
      spiffeId: 'spiffe://spiffe.cilium/short',
      parentId: 'spiffe://spiffe.cilium/spire/agent/k8s_psat/default/x',
      selectors: ['k8s:ns:default'],
    };
    for (const ttl of [1, 10, 19]) {
      const e = refusal(() => server.createEntry({ ...entry, x509SvidTtl: ttl }));
      expect(e.issues[0]).toMatchObject({ path: 'x509SVIDTTL' });
      expect(e.message).toContain('TTL must be at least 20 seconds');
    }
    expect(server.createEntry({ ...entry, x509SvidTtl: 20 }).x509SvidTtl).toBe(20);
  });

  it('refuses nc segment counts that are negative, fractional or over the limit', () => {
    for (const segments of [-1, 1.5, MAX_NC_SEGMENTS + 1, Number.POSITIVE_INFINITY, Number.NaN]) {
      const e = refusal(() => cluster.exec('default/web').nc({ host: '127.0.0.1', port: 80, segments }));
      expect(e.issues[0]).toMatchObject({ object: 'nc', path: 'segments' });
    }
  });
});
