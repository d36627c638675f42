// tcpdump on a kind node as the labs run it: `docker exec NODE tcpdump -i any -nn [FILTER] &`,
// the traffic, then `kill %1`. The Star Wars demo's manifests are read from the scenarios package
// (relative to this file); the capture file is handed to the real tshark (Debian's package, which
// .ci/run installs) and to a small reader of the libpcap format below.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '@cilium-sim/scenarios';
import { scenarioClusterOptions } from '../../src/scenarioRunner.ts';
import { runScript } from '../../src/shell/script.ts';
import { createSimulator, type Simulator } from '../../src/simulator.ts';
import { nodeHostFiles } from '../../src/node/nodeHostFiles.ts';

const STAR_WARS = new URL('../../../scenarios/scenarios/star-wars/manifests/', import.meta.url).pathname;
const LAND = 'kubectl exec tiefighter -- curl -s -XPOST http://deathstar.default.svc.cluster.local/v1/request-landing';

function lab(): Simulator {
  const sim = createSimulator({ seed: 1 }, nodeHostFiles(STAR_WARS));
  sim.session.run('kubectl apply -f http-sw-app.yaml');
  return sim;
}

describe('tcpdump -i any -nn in the background', () => {
  it('prints the landing request as it crosses kind-worker, then its counts when killed', () => {
    const sim = lab();

    const start = sim.session.run('docker exec kind-worker tcpdump -i any -nn port 80 &');
    const land = sim.session.run(LAND);
    const stop = sim.session.run('kill %1');

    expect(start.stderr).toBe(
      'tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\nlistening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144 bytes\n',
    );
    const lines = land.stdout.split('\n');
    expect(lines[0]).toBe('Ship landed');
    expect(lines.slice(1, 11).join('\n')).toMatchInlineSnapshot(`
      "17:58:00.001580 lxc8d327e492ec4 In  IP 10.244.1.150.57501 > 10.244.1.100.80: Flags [S], seq 975189535, win 64240, options [mss 1460,sackOK,TS val 1431566780 ecr 0,nop,wscale 7], length 0
      17:58:00.001620 lxcc637c8be7604 Out IP 10.244.1.150.57501 > 10.244.1.100.80: Flags [S], seq 975189535, win 64240, options [mss 1460,sackOK,TS val 1431566780 ecr 0,nop,wscale 7], length 0
      17:58:00.001620 lxcc637c8be7604 In  IP 10.244.1.100.80 > 10.244.1.150.57501: Flags [S.], seq 1645308225, ack 975189536, win 65160, options [mss 1460,sackOK,TS val 4210035076 ecr 1431566780,nop,wscale 7], length 0
      17:58:00.001660 lxc8d327e492ec4 Out IP 10.244.1.100.80 > 10.244.1.150.57501: Flags [S.], seq 1645308225, ack 975189536, win 65160, options [mss 1460,sackOK,TS val 4210035076 ecr 1431566780,nop,wscale 7], length 0
      17:58:00.001660 lxc8d327e492ec4 In  IP 10.244.1.150.57501 > 10.244.1.100.80: Flags [.], ack 1, win 502, options [nop,nop,TS val 1431566780 ecr 4210035076], length 0
      17:58:00.001660 lxc8d327e492ec4 In  IP 10.244.1.150.57501 > 10.244.1.100.80: Flags [P.], seq 1:118, ack 1, win 502, options [nop,nop,TS val 1431566780 ecr 4210035076], length 117: HTTP: POST /v1/request-landing HTTP/1.1
      17:58:00.001700 lxcc637c8be7604 Out IP 10.244.1.150.57501 > 10.244.1.100.80: Flags [.], ack 1, win 502, options [nop,nop,TS val 1431566780 ecr 4210035076], length 0
      17:58:00.001700 lxcc637c8be7604 Out IP 10.244.1.150.57501 > 10.244.1.100.80: Flags [P.], seq 1:118, ack 1, win 502, options [nop,nop,TS val 1431566780 ecr 4210035076], length 117: HTTP: POST /v1/request-landing HTTP/1.1
      17:58:00.002700 lxcc637c8be7604 In  IP 10.244.1.100.80 > 10.244.1.150.57501: Flags [P.], seq 1:78, ack 118, win 509, options [nop,nop,TS val 4210035077 ecr 1431566780], length 77: HTTP: HTTP/1.1 200 OK
      17:58:00.002740 lxc8d327e492ec4 Out IP 10.244.1.100.80 > 10.244.1.150.57501: Flags [P.], seq 1:78, ack 118, win 509, options [nop,nop,TS val 4210035077 ecr 1431566780], length 77: HTTP: HTTP/1.1 200 OK"
    `);
    expect(stop.stderr).toBe('\n16 packets captured\n16 packets received by filter\n0 packets dropped by kernel\n');
    expect(sim.session.run('jobs').stdout).toBe('');
  });

  it('shows a query and its answer as tcpdump decodes DNS, and stops by itself after -c packets', () => {
    const sim = lab();

    sim.session.run('docker exec kind-worker tcpdump -i any -nn -c 4 udp port 53 &');
    const lookup = sim.session.run('kubectl exec tiefighter -- nslookup deathstar');
    const wait = sim.session.run('wait %1');

    const lines = lookup.output.split('\n').filter((l) => /^\d\d:/.test(l));
    expect(lines.map((l) => l.replace(/^\S+ \S+\s+(In |Out) /, '$1 '))).toEqual([
      expect.stringMatching(
        /^In {2}IP 10\.244\.1\.150\.\d+ > 10\.244\.\d+\.\d+\.53: \d+\+ A\? deathstar\.default\.svc\.cluster\.local\. \(53\)$/,
      ),
      expect.stringMatching(
        /^Out IP 10\.244\.1\.150\.\d+ > 10\.244\.\d+\.\d+\.53: \d+\+ A\? deathstar\.default\.svc\.cluster\.local\. \(53\)$/,
      ),
      expect.stringMatching(/^In {2}IP 10\.244\.\d+\.\d+\.53 > 10\.244\.1\.150\.\d+: \d+\*- 1\/0\/0 A 10\.\d+\.\d+\.\d+ \(69\)$/),
      expect.stringMatching(/^Out IP 10\.244\.\d+\.\d+\.53 > 10\.244\.1\.150\.\d+: \d+\*- 1\/0\/0 A 10\.\d+\.\d+\.\d+ \(69\)$/),
    ]);
    expect(lookup.stderr).toMatch(/^4 packets captured\n\d+ packets received by filter\n0 packets dropped by kernel\n$/);
    expect(wait.exitCode).toBe(0);
  });

  it('shows the tunnel between nodes: the VXLAN packet on eth0 (port 8472, which tcpdump calls OTV) around the inner one', () => {
    const sim = lab();
    sim.session.run('docker exec kind-worker tcpdump -i any -nn -c 3 &');
    const r = sim.session.run('kubectl exec tiefighter -- nc -z -w 1 10.244.2.175 9');

    expect(r.stdout.split('\n').map((l) => l.replace(/^\d\d:\d\d:\d\d\.\d{6} /, ''))).toEqual([
      expect.stringMatching(
        /^lxc[0-9a-f]{12} In {2}IP 10\.244\.1\.150\.\d+ > 10\.244\.2\.175\.9: Flags \[S\], seq \d+, win 64240, options \[mss 1460,sackOK,TS val \d+ ecr 0,nop,wscale 7\], length 0$/,
      ),
      expect.stringMatching(/^cilium_vxlan Out IP 10\.244\.1\.150\.\d+ > 10\.244\.2\.175\.9: Flags \[S\]/),
      expect.stringMatching(
        /^eth0 {2}Out IP 172\.18\.0\.3\.\d+ > 172\.18\.0\.4\.8472: OTV, flags \[I\] \(0x08\), overlay 0, instance \d+$/,
      ),
      expect.stringMatching(/^IP 10\.244\.1\.150\.\d+ > 10\.244\.2\.175\.9: Flags \[S\]/),
      '',
    ]);
  });

  it('says how to run it when started in the foreground, where it would wait for packets nothing sends', () => {
    const r = lab().session.run('docker exec kind-worker tcpdump -i any -nn port 80');
    expect(r.exitCode).toBe(1);
    expect(r.stderr.split('\n')[2]).toBe(
      'cilium-sim: tcpdump prints the packets of the commands that run while it listens; start it in the background (docker exec kind-worker tcpdump ... &), run the traffic, then stop it with kill %1',
    );
  });

  it.each([
    ['tcpdump -i any -nn port', "tcpdump: can't parse filter expression: syntax error\n"],
    ['tcpdump -i eth7 -nn', 'tcpdump: eth7: No such device exists\n(No such device exists)\n'],
    ['tcpdump -i any -k', "tcpdump: invalid option -- 'k'\n"],
    [
      'tcpdump -i any -nn -v',
      "cilium-sim: tcpdump's verbose decoding (-v) is not modelled; the simulator prints packets as tcpdump -nn does\n",
    ],
  ])('refuses %s as tcpdump does', (command, stderr) => {
    const r = lab().session.run(`docker exec kind-worker ${command} &`);
    expect(r.stderr.startsWith(stderr)).toBe(true);
    expect(lab().session.run(`docker exec kind-worker ${command}`).exitCode).toBe(1);
  });
});

describe('tcpdump -w', () => {
  it('writes a pcap (Linux cooked v2 for -i any) that tshark reads, packet for packet', () => {
    const sim = lab();

    const start = sim.session.run('docker exec kind-worker tcpdump -i any -nn -w landing.pcap port 80 &');
    sim.session.run(LAND);
    sim.session.run('kill %1');

    expect(start.stderr).toBe('tcpdump: listening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144 bytes\n');
    const bytes = Buffer.from(sim.session.files.get('landing.pcap') ?? '', 'latin1');
    const file = readPcap(bytes);
    expect(file.linkType).toBe(276);
    expect(file.records).toHaveLength(16);
    const path = join(mkdtempSync(join(tmpdir(), 'cilium-sim-pcap-')), 'landing.pcap');
    writeFileSync(path, bytes);
    const fields = [
      'sll.pkttype',
      'ip.src',
      'tcp.srcport',
      'ip.dst',
      'tcp.dstport',
      'tcp.flags.str',
      'tcp.len',
      'tcp.seq_raw',
      'http.request.method',
    ];
    const rows = execFileSync('tshark', ['-r', path, '-T', 'fields', ...fields.flatMap((f) => ['-e', f]), '-E', 'separator=|'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .trim()
      .split('\n')
      .map((l) => l.split('|'));
    expect(rows).toHaveLength(16);
    rows.forEach((row, i) => {
      const r = file.records[i]!;
      expect(row.slice(1, 5)).toEqual([r.src, String(r.sport), r.dst, String(r.dport)]);
      expect(row[6]).toBe(String(r.payloadLength));
      expect(row[7]).toBe(String(r.seq));
      expect(row[0]).toBe(r.outgoing ? '4' : '0');
    });
    expect(rows[0]![5]).toMatch(/S/);
    expect(rows.map((r) => r[8])).toContain('POST');
  });

  it('writes the capture to stdout with -w -, so > FILE keeps it: on eth0, Ethernet frames of the tunnel', () => {
    const sim = lab();
    sim.session.run('docker exec kind-worker tcpdump -nn -w - > eth0.pcap &');
    sim.session.run('kubectl exec tiefighter -- nc -z -w 1 10.244.2.175 9');
    sim.session.run('kill %1');

    const file = readPcap(Buffer.from(sim.session.files.get('eth0.pcap') ?? '', 'latin1'));
    expect(file.linkType).toBe(1);
    // The SYN to xwing on kind-worker2 and the reset back, each in VXLAN between the nodes' addresses.
    expect(file.records.map((r) => `${r.src} > ${r.dst}:${r.dport}`)).toEqual([
      '172.18.0.3 > 172.18.0.4:8472',
      '172.18.0.4 > 172.18.0.3:8472',
    ]);
  });
});

describe('the sock-shop TLS upgrade on the wire', () => {
  it("carries front-end's call to carts on 443 between the nodes, and orders' in clear on 80", () => {
    // The walkthrough up to the upgrade and orders' clear-text call, before orders is upgraded too.
    const scenario = loadScenario('sock-shop-tls');
    const sim = createSimulator(scenarioClusterOptions(scenario), nodeHostFiles('.'), scenario.files);
    runScript(scenario.script.split('# A peer ID not in the list')[0]!, sim.session);
    const pod = (prefix: string) => sim.cluster.list('Pod', 'sock-shop').find((p) => p.metadata.name.startsWith(prefix))!;
    const [carts, frontEnd, orders] = [pod('carts-'), pod('front-end-'), pod('orders-')];
    expect(frontEnd.spec.nodeName).not.toBe(carts.spec.nodeName);

    sim.session.run(`docker exec ${carts.spec.nodeName} tcpdump -i any -nn 'tcp[tcpflags] == tcp-syn' &`);
    const syns = [
      'kubectl exec -n sock-shop deploy/front-end -- curl -s -o /dev/null http://carts/carts/1/items',
      'kubectl exec -n sock-shop deploy/orders -- curl -s -o /dev/null http://carts/carts/1/items',
      'kill %1',
    ]
      .map((c) => sim.session.run(c).stdout)
      .join('')
      .split('\n');

    const seen = (from: string, port: number): string[] =>
      syns
        .filter((l) => l.includes(` IP ${from}.`) && l.includes(`.${port}: Flags [S]`))
        .map((l) => l.split(' ')[1]!.replace(/^lxc.*/, 'lxc'));
    expect(seen(frontEnd.status.podIP!, 443)).toEqual(['cilium_vxlan']);
    expect(seen(frontEnd.status.podIP!, 80)).toEqual(['lxc']);
    expect(seen(orders.status.podIP!, 443)).toEqual([]);
    expect(seen(orders.status.podIP!, 80).length).toBeGreaterThan(0);
  });
});

interface PcapRecord {
  readonly outgoing: boolean;
  readonly src: string;
  readonly dst: string;
  readonly sport: number;
  readonly dport: number;
  readonly seq: number;
  readonly payloadLength: number;
}

/** The libpcap file format, read back: global header, then records of SLL2 or Ethernet, IPv4, TCP. */
function readPcap(b: Buffer): { linkType: number; records: PcapRecord[] } {
  expect(b.readUInt32LE(0)).toBe(0xa1b2c3d4);
  expect([b.readUInt16LE(4), b.readUInt16LE(6)]).toEqual([2, 4]);
  const linkType = b.readUInt32LE(20);
  const records: PcapRecord[] = [];
  for (let at = 24; at < b.length; ) {
    const caplen = b.readUInt32LE(at + 8);
    expect(b.readUInt32LE(at + 12)).toBe(caplen);
    const frame = b.subarray(at + 16, at + 16 + caplen);
    const link = linkType === 276 ? 20 : 14;
    const ip = frame.subarray(link);
    expect(ip[0]).toBe(0x45);
    expect(ip.readUInt16BE(2)).toBe(ip.length);
    const tcp = ip.subarray(20);
    const tcpHeader = (tcp[12]! >> 4) * 4;
    records.push({
      outgoing: linkType === 276 && frame[10] === 4,
      src: [...ip.subarray(12, 16)].join('.'),
      dst: [...ip.subarray(16, 20)].join('.'),
      sport: tcp.readUInt16BE(0),
      dport: tcp.readUInt16BE(2),
      seq: tcp.readUInt32BE(4),
      payloadLength: tcp.length - tcpHeader,
    });
    at += 16 + caplen;
  }
  return { linkType, records };
}
