// `nc HOST PORT < file` through the library: a TCP transfer of full-size segments, each
// acknowledged by the server, over socket LB, conntrack and both nodes' policy maps.
import { describe, expect, it } from 'vitest';
import { runtimeOf } from '../../src/cluster/cluster.ts';
import { Cluster } from '../../src/index.ts';

const MANIFEST = `
apiVersion: v1
kind: Pod
metadata: { name: server, labels: { app: server } }
spec: { nodeName: kind-worker, containers: [{ name: web, image: nginx, ports: [{ containerPort: 80 }] }] }
---
apiVersion: v1
kind: Service
metadata: { name: server }
spec: { selector: { app: server }, ports: [{ port: 80 }] }
---
apiVersion: v1
kind: Pod
metadata: { name: client, labels: { app: client } }
spec: { nodeName: kind-worker2, containers: [{ name: c, image: nicolaka/netshoot }] }
`;

const ALLOW_CLIENT = `
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: server-ingress }
spec:
  endpointSelector: { matchLabels: { app: server } }
  ingress:
  - fromEndpoints: [{ matchLabels: { app: client } }]
    toPorts: [{ ports: [{ port: "80", protocol: TCP }] }]
`;

function cluster(): Cluster {
  const c = Cluster.create({ seed: 3, mutualAuth: false });
  c.apply(MANIFEST);
  c.apply(ALLOW_CLIENT);
  return c;
}

describe('nc streaming a file', () => {
  it('delivers every segment and gets every acknowledgement back', () => {
    const c = cluster();
    const before = c.inspect.datapathStats().packets;

    const r = c.exec('default/client').nc({ host: 'server', port: 80, segments: 100 });

    expect(r).toMatchObject({ ok: true, segments: 100 });
    // 100 segments and 100 ACKs, plus the handshake (3) and the close (3) and the DNS lookup (2).
    expect(c.inspect.datapathStats().packets - before).toBe(208);
  });

  it('times out when a policy change drops the rest of the transfer', () => {
    const c = cluster();
    c.delete('apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: { name: server-ingress }\n');
    c.apply(ALLOW_CLIENT.replace('app: client', 'app: nobody'));

    const r = c.exec('default/client').nc({ host: 'server', port: 80, segments: 10, timeoutS: 2 });

    expect(r).toMatchObject({ ok: false, reason: 'timeout' });
  });

  // The datapath keeps an established connection's verdicts only while nothing they depend on
  // changes: a policy map the agent rewrites in the middle of a transfer drops the next segment.
  it.each([
    ['server', 'INGRESS'],
    ['client', 'EGRESS'],
  ] as const)('stalls when the %s policy map stops allowing it in the middle of the transfer', (pod, direction) => {
    const c = cluster();
    const rt = runtimeOf(c);
    const map = rt.policy.policyMap(c.inspect.endpoint('default', pod)!.identity);
    rt.scheduler.after(5_000_000, 'test-policy-change', () => {
      if (direction === 'EGRESS') map.egressEnforced = true;
      map.applyChanges(
        [],
        map.entries().flatMap(([k]) => (k.direction === direction ? [k] : [])),
      );
    });

    const r = c.exec('default/client').nc({ host: 'server', port: 80, segments: 1000, timeoutS: 1 });

    expect(r).toMatchObject({ ok: false, reason: 'timeout' });
    const drops = c.flows().filter((f) => f.verdict === 'DROPPED');
    expect(drops.length).toBeGreaterThan(0);
    expect(drops.every((f) => f.drop_reason_desc === 'POLICY_DENIED' && f.traffic_direction === direction)).toBe(true);
  });

  it('is refused by a port nobody listens on', () => {
    const c = cluster();
    const ip = c.inspect.endpoint('default', 'client')!.ip;

    expect(c.exec('default/server').nc({ host: ip, port: 80, segments: 10 })).toMatchObject({ ok: false, reason: 'refused' });
  });
});

describe('monitor aggregation of trace events (monitor-aggregation: medium)', () => {
  const traces = (c: Cluster): string[] =>
    c.flows().flatMap((f) => {
      const tcp = f.l4 !== undefined && 'TCP' in f.l4 ? f.l4.TCP : undefined;
      if (f.trace_observation_point !== 'TO_ENDPOINT' || tcp === undefined) return [];
      return [`${f.is_reply === true ? '<-' : '->'} ${Object.keys(tcp.flags ?? {}).join(',')}`];
    });

  it('reports a transfer by its handshake, its first data each way and its close, not by every segment', () => {
    const c = cluster();

    c.exec('default/client').nc({ host: 'server', port: 80, segments: 50 });

    expect(traces(c)).toEqual(['-> SYN', '<- SYN,ACK', '-> ACK', '-> ACK,PSH', '-> ACK,FIN', '<- ACK,FIN']);
  });

  it('reports every delivered packet with monitor-aggregation none', () => {
    const c = cluster();
    c.setConfig('monitor-aggregation', 'none');

    c.exec('default/client').nc({ host: 'server', port: 80, segments: 50 });

    expect(traces(c)).toHaveLength(3 + 50 + 50 + 3);
  });

  it('reports an idle-looking flow again once monitor-aggregation-interval has passed', () => {
    const c = cluster();
    c.setConfig('monitor-aggregation-interval', '1ms');

    c.exec('default/client').nc({ host: 'server', port: 80, segments: 400 });

    // 400 segments, 10 in flight, ~0.5 ms a round trip: ~20 ms of transfer, a report about every 1 ms.
    const data = traces(c).filter((t) => t === '-> ACK,PSH');
    expect(data.length).toBeGreaterThan(10);
    expect(data.length).toBeLessThan(40);
  });

  it('rejects an unknown level and leaves the setting as it was', () => {
    const c = cluster();

    expect(() => c.setConfig('monitor-aggregation', 'most')).toThrow(/expected one of none, lowest, low, medium, maximum/);
    expect(c.inspect.config()['monitor-aggregation']).toBe('medium');
  });
});
