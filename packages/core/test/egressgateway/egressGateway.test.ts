import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runtimeOf } from '../../src/cluster/cluster.ts';
import { EgressMap } from '../../src/egressgateway/egressMap.ts';
import { parsePrefix } from '../../src/egressgateway/egressGatewayPolicy.ts';
import { Cluster } from '../../src/index.ts';
import { intToIp, ipToInt, networkOf } from '../../src/ipv4.ts';

const PODS = `apiVersion: v1
kind: Pod
metadata: { name: tenant, labels: { app: tenant } }
spec: { nodeName: kind-worker, containers: [{ name: c, image: curl }] }
---
apiVersion: v1
kind: Pod
metadata: { name: gw-local, labels: { app: tenant } }
spec: { nodeName: kind-worker2, containers: [{ name: c, image: curl }] }
`;

function policy(gateway: string, extra = ''): string {
  return `apiVersion: cilium.io/v2
kind: CiliumEgressGatewayPolicy
metadata: { name: tenant-egress }
spec:
  selectors: [{ podSelector: { matchLabels: { app: tenant } } }]
  destinationCIDRs: ["198.51.100.0/24", "10.244.0.0/16"]
  egressGateway:
${gateway}${extra}`;
}

const BY_HOSTNAME = '    nodeSelector: { matchLabels: { kubernetes.io/hostname: kind-worker2 } }\n';

function cluster(): Cluster {
  const c = Cluster.create({ seed: 3, nodes: 3 });
  c.setConfig('enable-egress-gateway', 'true');
  c.setConfig('enable-bpf-masquerade', 'true');
  c.apply(PODS);
  return c;
}

const origin = (c: Cluster, pod: string, ip = '198.51.100.7'): string | number => {
  const r = c.exec(pod).curl(`http://${ip}/ip`);
  return r.kind === 'response' ? (JSON.parse(r.response.body) as { origin: string }).origin : r.code;
};

describe('the egress gateway', () => {
  it('SNATs selected pods to the egress IP, from the gateway node itself too, and leaves cluster destinations alone', () => {
    const c = cluster();
    c.apply(policy(BY_HOSTNAME));

    expect(origin(c, 'tenant')).toBe('172.18.0.4');
    expect(origin(c, 'gw-local')).toBe('172.18.0.4');
    // Pod-to-pod traffic inside a destination CIDR is never translated.
    const peer = c.inspect.endpoint('default', 'gw-local')!.ip;
    c.exec('tenant').curl(`http://${peer}:80/`);
    const toPeer = c.flows({ whitelist: [{ destinationIp: [peer] }] });
    expect(toPeer.length).toBeGreaterThan(0);
    expect(toPeer.every((f) => f.IP?.source_xlated === undefined && f.trace_observation_point !== 'TO_NETWORK')).toBe(true);
  });

  it('refuses what the agent refuses, with its log lines: an unknown interface, an interface and an egress IP both', () => {
    const c = cluster();
    c.apply(policy(BY_HOSTNAME, '    interface: eth1\n'));
    expect(origin(c, 'tenant')).toBe(28);
    expect(
      c
        .flows({})
        .filter((f) => f.drop_reason_desc !== undefined)
        .map((f) => [f.node_name, f.drop_reason_desc])[0],
    ).toEqual(['kind-worker2', 'DROP_NO_EGRESS_IP']);
    expect(c.inspect.agentLog('kind-worker2').at(-1)).toMatchObject({
      level: 'error',
      msg: 'Failed to derive policy gateway configuration',
    });

    c.apply(policy(BY_HOSTNAME, '    interface: eth0\n    egressIP: 172.18.0.4\n'));
    expect(c.inspect.agentLog('kind-worker').at(-1)).toMatchObject({
      level: 'warning',
      fields: [
        ['ciliumEgressGatewayPolicyName', 'tenant-egress'],
        ['error', "CiliumEgressGatewayPolicy's gateway configuration can't specify both an interface and an egress IP"],
      ],
    });
    expect(origin(c, 'tenant')).toBe('172.18.0.3');
  });

  it('picks the first matching node by name, and drops once no gateway node is left', () => {
    const c = cluster();
    c.label({ kind: 'Node', name: 'kind-worker' }, { gw: 'yes' });
    c.label({ kind: 'Node', name: 'kind-worker2' }, { gw: 'yes' });
    c.apply(policy('    nodeSelector: { matchLabels: { gw: "yes" } }\n'));
    expect(origin(c, 'gw-local')).toBe('172.18.0.3');

    c.delete({ kind: 'Node', name: 'kind-worker' });
    expect(origin(c, 'gw-local')).toBe('172.18.0.4');
    // Deleting kind-worker2 would take gw-local with it (a deleted node's pods are collected).
    c.label({ kind: 'Node', name: 'kind-worker2' }, { gw: null });
    expect(origin(c, 'gw-local')).toBe(28);
    expect(runtimeOf(c).egressGateway.map.rows()[0]).toMatchObject({ gatewayIp: '0.0.0.0' });
  });

  it('is refused by the API server for a CIDR that is not IPv4 or a selector list that is empty', () => {
    const c = cluster();
    const refusal = (yaml: string) => {
      const [r] = c.apply(yaml);
      return r?.ok === false ? `${r.error.path}: ${r.error.message}` : 'accepted';
    };
    expect(refusal(policy(BY_HOSTNAME).replace('198.51.100.0/24', '2001:db8::/64'))).toMatch(
      /^spec\.destinationCIDRs\[0\]: .*Invalid value: "2001:db8::\/64"/,
    );
    expect(refusal(policy(BY_HOSTNAME).replace('[{ podSelector: { matchLabels: { app: tenant } } }]', '[]'))).toMatch(
      /^spec\.selectors: .*at least one selector/,
    );
    expect(c.list('CiliumEgressGatewayPolicy')).toEqual([]);
  });
});

describe('the egress policy map', () => {
  it('takes the longest destination prefix of a source, as the LPM trie does', () => {
    const prefix = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }));
    fc.assert(
      fc.property(fc.array(prefix, { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 0xffffffff }), (prefixes, dst) => {
        const map = new EgressMap();
        const entries = prefixes.map(([ip, len]) => parsePrefix(`${intToIp(ip >>> 0)}/${len}`));
        map.replace(
          entries.map((destination, i) => ({
            sourceIp: '10.0.0.1',
            destination,
            gatewayIp: `1.1.1.${i}`,
            gatewayNode: 'n',
            egressIp: '2.2.2.2',
          })),
        );
        const hit = map.lookup('10.0.0.1', intToIp(dst >>> 0));
        const covering = entries.filter((p) => networkOf(dst >>> 0, p.len) === p.net);
        if (covering.length === 0) return hit === undefined;
        return hit !== undefined && hit.destination.len === Math.max(...covering.map((p) => p.len)) && ipToInt(hit.sourceIp) > 0;
      }),
    );
  });
});
