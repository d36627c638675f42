// A pod asking the cloud metadata address: the simulated cluster, like kind, has no metadata
// service, so nothing answers 169.254.169.254 (link-local traffic is never routed beyond the
// node's link), while policy still sees the address as `world` and drops what it denies.
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/cluster/cluster.ts';

const POD = 'apiVersion: v1\nkind: Pod\nmetadata: { name: c, labels: { app: c } }\nspec: { containers: [{ name: c, image: curl }] }\n';

const DENY_METADATA = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: no-metadata }
spec:
  endpointSelector: { matchLabels: { app: c } }
  egressDeny:
    - toCIDR: [169.254.169.254/32]
`;

describe('the cloud metadata address', () => {
  it('is never answered: a connect times out (curl exit 28) where any other outside address answers', () => {
    const cluster = Cluster.create({ seed: 1, mutualAuth: false });
    cluster.apply(POD);
    const metadata = cluster.exec('default/c').curl({ url: 'http://169.254.169.254/latest/meta-data/', connectTimeoutMs: 3000 });
    expect(metadata.kind === 'error' ? metadata.code : 0).toBe(28);
    const other = cluster.exec('default/c').curl({ url: 'http://169.254.1.1/', connectTimeoutMs: 1000 });
    expect(other.kind === 'error' ? other.code : 0).toBe(28);
    expect(cluster.exec('default/c').curl({ url: 'http://1.2.3.4/' }).kind).toBe('response');
  });

  it('is `world` to policy: an egress deny on it drops the SYN as Policy denied', () => {
    const cluster = Cluster.create({ seed: 1, mutualAuth: false });
    cluster.apply(POD);
    cluster.apply(DENY_METADATA);
    const curl = cluster.exec('default/c').curl({ url: 'http://169.254.169.254/', connectTimeoutMs: 1000 });
    expect(curl.kind === 'error' ? curl.code : 0).toBe(28);
    const drops = cluster.flows({ whitelist: [{ verdict: ['DROPPED'] }] });
    expect(drops.length).toBeGreaterThan(0);
    expect(drops.every((f) => f.drop_reason_desc === 'POLICY_DENY' && f.IP?.destination === '169.254.169.254')).toBe(true);
  });
});
