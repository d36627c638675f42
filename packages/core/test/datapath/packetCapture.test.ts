// The datapath's capture hook: packets crossing a node's interfaces reach the captures running on
// that node, numbered as TCP numbers them. The Star Wars demo (manifests read from the scenarios
// package, relative to this file): tiefighter and one deathstar share kind-worker.
import { describe, expect, it } from 'vitest';
import { Cluster, runtimeOf } from '../../src/cluster/cluster.ts';
import type { CapturedPacket } from '../../src/datapath/packetCapture.ts';
import { manifest } from '../toolkit/starWars.ts';

const LANDING = 'http://deathstar.default.svc.cluster.local/v1/request-landing';

function starWars(): Cluster {
  const cluster = Cluster.create({ seed: 1 });
  cluster.apply(manifest('http-sw-app.yaml'));
  return cluster;
}

const tcp = (c: CapturedPacket): boolean => c.proto === 'TCP';
const where = (c: CapturedPacket): string => `${c.iface.startsWith('lxc') ? 'lxc' : c.iface} ${c.direction}`;

describe('packet captures', () => {
  it('sees a pod-to-pod connection on both veths of the node, numbered as one TCP connection', () => {
    const cluster = starWars();
    const node = cluster.get('Pod', 'tiefighter', 'default')!.spec.nodeName!;
    const capture = cluster.capture(node, tcp);

    cluster
      .exec('default/tiefighter')
      .curl({ url: LANDING, method: 'POST', resolve: [{ host: 'deathstar.default.svc.cluster.local', port: 80, ip: '10.244.1.100' }] });
    capture.stop();

    const packets = capture.packets();
    expect(packets.map(where).slice(0, 4)).toEqual(['lxc In', 'lxc Out', 'lxc In', 'lxc Out']);
    const fromClient = packets.filter((c) => c.direction === 'In' && c.dport === 80);
    const fromServer = packets.filter((c) => c.direction === 'In' && c.sport === 80);
    const [syn] = fromClient;
    const [synAck] = fromServer;
    expect(synAck?.tcp?.ack).toBe(((syn?.tcp?.seq ?? 0) + 1) >>> 0);
    // Each side's next segment starts where its previous one ended, and acknowledges the other's.
    for (const side of [fromClient, fromServer]) {
      for (let i = 1; i < side.length; i++) {
        const prev = side[i - 1]!;
        const used = prev.payload.length + (prev.tcp?.flags.SYN ? 1 : 0) + (prev.tcp?.flags.FIN ? 1 : 0);
        expect(side[i]!.tcp!.seq).toBe((prev.tcp!.seq + used) >>> 0);
      }
    }
    const request = fromClient.find((c) => c.payload.length > 0)!;
    expect(new TextDecoder().decode(request.payload)).toMatch(
      /^POST \/v1\/request-landing HTTP\/1\.1\r\nHost: deathstar\.default\.svc\.cluster\.local\r\n/,
    );
    expect(request.tcp?.flags).toEqual({ ACK: true, PSH: true });
  });

  it('shows a connection between nodes in the tunnel: the inner packet on cilium_vxlan, VXLAN on eth0', () => {
    const cluster = starWars();
    const xwing = cluster.get('Pod', 'xwing', 'default')!;
    const tiefighter = cluster.get('Pod', 'tiefighter', 'default')!;
    expect(xwing.spec.nodeName).not.toBe(tiefighter.spec.nodeName);
    const sender = cluster.capture(tiefighter.spec.nodeName!, tcp);
    const receiver = cluster.capture(xwing.spec.nodeName!, (c) => c.proto === 'TCP' || c.encap !== undefined);

    cluster.exec('default/tiefighter').nc({ host: xwing.status.podIP!, port: 9, timeoutS: 1 });
    sender.stop();
    receiver.stop();

    expect(sender.packets().slice(0, 2).map(where)).toEqual(['lxc In', 'cilium_vxlan Out']);
    const outer = receiver.packets().find((c) => c.encap !== undefined)!;
    expect(where(outer)).toBe('eth0 In');
    expect(outer.encap).toMatchObject({ dport: 8472, srcIp: cluster.inspect.node(tiefighter.spec.nodeName!)?.ip });
    expect(outer.encap?.vni).toBe(cluster.inspect.endpoint('default', 'tiefighter')?.identity);
    // xwing has no server on port 9: its stack resets the SYN, and the reset goes back through the tunnel.
    expect(receiver.packets().some((c) => c.tcp?.flags.RST === true && c.iface === 'cilium_vxlan' && c.direction === 'Out')).toBe(true);
  });

  it('keeps only what the filter accepts, and nothing once stopped', () => {
    const cluster = starWars();
    const node = cluster.get('Pod', 'tiefighter', 'default')!.spec.nodeName!;
    const dns = cluster.capture(node, (c) => c.dport === 53 || c.sport === 53);

    cluster.exec('default/tiefighter').nslookup('deathstar');
    const first = dns.take();
    dns.stop();
    cluster.exec('default/tiefighter').nslookup('deathstar');

    expect(first.length).toBeGreaterThan(0);
    expect(first.every((c) => c.proto === 'UDP')).toBe(true);
    expect(dns.take()).toEqual([]);
    expect(dns.stopped).toBe(true);
  });

  it('leaves the per-packet hook off while no capture runs, and refuses an unknown node', () => {
    const cluster = starWars();
    const captures = runtimeOf(cluster).network.datapath.captures;
    expect(captures.running).toBe(false);
    const one = cluster.capture('kind-worker');
    const two = cluster.capture('kind-worker2');
    one.stop();
    expect(captures.running).toBe(true);
    two.stop();
    two.stop();
    expect(captures.running).toBe(false);
    expect(() => cluster.capture('kind-worker9')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});
