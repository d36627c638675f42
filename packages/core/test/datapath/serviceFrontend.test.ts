import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/index.ts';
import { runtimeOf } from '../../src/cluster/cluster.ts';
import { NO_FLAGS, type Packet } from '../../src/datapath/packet.ts';

const MANIFEST = `
apiVersion: v1
kind: Pod
metadata: { name: client, labels: { app: client } }
spec: { containers: [{ name: c, image: curlimages/curl }] }
`;

/** A DNS query from `sport` to `ip:port`, as a pod's resolver sends it (no socket: the answer is only seen). */
function query(sport: number, dstIp: string, dport: number): Packet {
  return { proto: 'UDP', srcIp: '', dstIp, sport, dport, flags: NO_FLAGS, payload: { kind: 'bytes', data: 'q' } };
}

describe('service frontends noted at connect()', () => {
  it('a query that reuses a live conntrack entry leaves no frontend behind for a later connection on its tuple', () => {
    const cluster = Cluster.create({ seed: 3 });
    cluster.apply(MANIFEST);
    const rt = runtimeOf(cluster);
    const client = cluster.inspect.endpoint('default', 'client')!;
    const stack = rt.network.stack(client.ip)!;
    const dnsIp = cluster.get('Service', 'kube-dns', 'kube-system')!.spec.clusterIP as string;
    const send = (dstIp: string, dport: number): void => stack.send({ ...query(40000, dstIp, dport), srcIp: client.ip });
    // Two queries through the service from one port within conntrack's lifetime: the second
    // finds the first's entry, and the frontend its connect() noted must not outlive it.
    const be = stack.connectTarget(40000, dnsIp, 53, 'UDP', () => 0)!;
    send(be.ip, be.port);
    cluster.advance('1s');
    expect(stack.connectTarget(40000, dnsIp, 53, 'UDP', () => 0)).toEqual(be);
    send(be.ip, be.port);
    cluster.advance('1s');
    // Once conntrack forgot the tuple, the same port sends to the CoreDNS pod itself.
    cluster.advance('10m');
    const before = cluster.flows({ last: 1_000_000 }).length;
    send(be.ip, be.port);
    cluster.advance('1s');
    const direct = cluster
      .flows({ last: 1_000_000 })
      .slice(before)
      .filter((f) => f.IP?.destination === be.ip);
    expect(direct.length).toBeGreaterThan(0);
    for (const f of direct) expect(f.destination_service).toBeUndefined();
  });
});
