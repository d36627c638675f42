// tcpdump's filter expressions against a fixed set of packets, one expression per row, as labs
// type them; each row says which packets it keeps.
import type { CapturedPacket } from '@cilium-sim/core';
import { describe, expect, it } from 'vitest';
import { compileCaptureFilter } from '../../src/tcpdump/captureFilter.ts';
import { isUsageError } from '../../src/tools/usageError.ts';

function packet(name: string, p: Partial<CapturedPacket>): [string, CapturedPacket] {
  return [
    name,
    {
      timeNs: 0,
      epochUs: 0,
      node: 'kind-worker',
      iface: 'lxc0123456789ab',
      ifindex: 10,
      direction: 'In',
      proto: 'TCP',
      srcIp: '10.244.1.5',
      dstIp: '10.244.2.7',
      sport: 39312,
      dport: 80,
      tcp: { flags: { SYN: true }, seq: 1, ack: 0, window: 64240, tsval: 1, tsecr: 0 },
      ipId: 0,
      payload: new Uint8Array(0),
      encap: undefined,
      ...p,
    },
  ];
}

const PACKETS = new Map<string, CapturedPacket>([
  packet('syn80', {}),
  packet('ack443', { dport: 443, tcp: { flags: { ACK: true }, seq: 2, ack: 2, window: 502, tsval: 1, tsecr: 1 } }),
  packet('reply443', {
    srcIp: '10.244.2.7',
    dstIp: '10.244.1.5',
    sport: 443,
    dport: 39312,
    tcp: { flags: { SYN: true, ACK: true }, seq: 9, ack: 2, window: 65160, tsval: 1, tsecr: 1 },
  }),
  packet('dns', { proto: 'UDP', dstIp: '10.96.0.10', sport: 41234, dport: 53, tcp: undefined }),
  packet('world', {
    srcIp: '172.18.0.3',
    dstIp: '203.0.113.7',
    dport: 443,
    tcp: { flags: { FIN: true, ACK: true }, seq: 5, ack: 5, window: 502, tsval: 1, tsecr: 1 },
  }),
  packet('vxlan', { iface: 'eth0', encap: { srcIp: '172.18.0.3', dstIp: '172.18.0.4', sport: 45000, dport: 8472, vni: 48336 } }),
]);

function kept(expression: string): string[] {
  const f = compileCaptureFilter(expression);
  return [...PACKETS].filter(([, p]) => f(p)).map(([name]) => name);
}

describe('tcpdump filter expressions', () => {
  it.each([
    ['', ['syn80', 'ack443', 'reply443', 'dns', 'world', 'vxlan']],
    ['port 443', ['ack443', 'reply443', 'world']],
    ['tcp port 80', ['syn80']],
    ['udp port 53', ['dns']],
    ['port 80 or 443', ['syn80', 'ack443', 'reply443', 'world']],
    ['host 10.244.2.7', ['syn80', 'ack443', 'reply443']],
    ['src host 10.244.2.7', ['reply443']],
    ['dst 10.244.2.7', ['syn80', 'ack443']],
    ['src 10.244.1.5 and dst port 443', ['ack443']],
    ['host 10.96.0.10 or 203.0.113.7', ['dns', 'world']],
    ['net 10.244.0.0/16', ['syn80', 'ack443', 'reply443', 'dns']],
    ['dst net 10.96', ['dns']],
    ['tcp and not port 443', ['syn80']],
    ['! udp and (port 80 or port 443)', ['syn80', 'ack443', 'reply443', 'world']],
    ['udp', ['dns', 'vxlan']],
    ['udp port 8472', ['vxlan']],
    ['portrange 440-450', ['ack443', 'reply443', 'world']],
    ['tcp[tcpflags] & tcp-syn != 0', ['syn80', 'reply443']],
    ['tcp[tcpflags] & (tcp-syn|tcp-fin) != 0 and port 443', ['reply443', 'world']],
    ['tcp[tcpflags] == tcp-syn', ['syn80']],
    ['src or dst port 53', ['dns']],
    ['ip6 or arp', []],
  ])('%s', (expression, names) => {
    expect(kept(expression)).toEqual(names);
  });

  it.each([
    ['port', "tcpdump: can't parse filter expression: syntax error"],
    ['host 10.0.0.1 and', "tcpdump: can't parse filter expression: syntax error"],
    ['(port 80', "tcpdump: can't parse filter expression: syntax error"],
    ['host deathstar', "tcpdump: can't parse filter expression: unknown host 'deathstar'"],
    ['port 99999', "tcpdump: can't parse filter expression: illegal port number 99999 > 65535"],
    ['net 10.244.1.0/16', 'tcpdump: can\'t parse filter expression: non-network bits set in "10.244.1.0/16"'],
  ])('refuses %s as libpcap does', (expression, message) => {
    let error: unknown;
    try {
      compileCaptureFilter(expression);
    } catch (e) {
      error = e;
    }
    expect(isUsageError(error) && error.stderr).toBe(`${message}\n`);
  });
});
