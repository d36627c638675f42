import type { CapturedPacket } from '@cilium-sim/core';

/** libpcap's link types: Ethernet for one interface, Linux cooked v2 for `-i any` (tcpdump 4.99 with libpcap 1.10). */
export const LINKTYPE = { EN10MB: 1, LINUX_SLL2: 276 } as const;
export type LinkType = (typeof LINKTYPE)[keyof typeof LINKTYPE];

/** tcpdump's default snapshot length. */
export const SNAPLEN = 262144;

const ETHERTYPE_IPV4 = 0x0800;
const IP_PROTO = { TCP: 6, UDP: 17, ICMP: 1, SCTP: 132 } as const;

/**
 * A capture file in the classic libpcap format (what `tcpdump -w` writes and `tshark -r`,
 * `tcpdump -r` and Wireshark read): the global header, then each packet as a record with its
 * timestamp in microseconds. With `-i any` each record starts with a Linux cooked v2 header
 * (interface index, direction); on one interface, with an Ethernet header.
 */
export function pcapFile(packets: readonly CapturedPacket[], linkType: LinkType): Uint8Array {
  const records = packets.map((p) => record(p, linkType));
  const out = new Uint8Array(24 + records.reduce((n, r) => n + 16 + r.length, 0));
  const v = new DataView(out.buffer);
  v.setUint32(0, 0xa1b2c3d4, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  v.setUint32(16, SNAPLEN, true);
  v.setUint32(20, linkType, true);
  let at = 24;
  packets.forEach((p, i) => {
    const r = records[i]!;
    v.setUint32(at, Math.floor(p.epochUs / 1_000_000), true);
    v.setUint32(at + 4, p.epochUs % 1_000_000, true);
    v.setUint32(at + 8, r.length, true);
    v.setUint32(at + 12, r.length, true);
    out.set(r, at + 16);
    at += 16 + r.length;
  });
  return out;
}

function record(p: CapturedPacket, linkType: LinkType): Uint8Array {
  const ip = p.encap === undefined ? ipPacket(p) : tunnelled(p);
  const link =
    linkType === LINKTYPE.LINUX_SLL2
      ? sll2Header(p)
      : ethernetHeader(p.direction === 'Out' ? p.node : peerOf(p), p.iface, p.direction === 'Out' ? peerOf(p) : p.node, p.iface);
  return concat(link, ip);
}

/** The host-side address of `node`'s interface, stable per node and interface. */
function mac(node: string, iface: string): number[] {
  let h = 2166136261;
  for (const c of `${node}/${iface}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return [0x02, 0x42, (h >>> 24) & 0xff, (h >>> 16) & 0xff, (h >>> 8) & 0xff, h & 0xff];
}

function peerOf(p: CapturedPacket): string {
  return `${p.node}/peer`;
}

function ethernetHeader(srcNode: string, srcIface: string, dstNode: string, dstIface: string): Uint8Array {
  return Uint8Array.from([...mac(dstNode, dstIface), ...mac(srcNode, srcIface), ETHERTYPE_IPV4 >> 8, ETHERTYPE_IPV4 & 0xff]);
}

/** Linux cooked v2: protocol, reserved, interface index, ARPHRD_ETHER, packet type (0 to us, 4 outgoing), address. */
function sll2Header(p: CapturedPacket): Uint8Array {
  const h = new Uint8Array(20);
  const v = new DataView(h.buffer);
  v.setUint16(0, ETHERTYPE_IPV4);
  v.setUint32(4, p.ifindex);
  v.setUint16(8, 1);
  h[10] = p.direction === 'Out' ? 4 : 0;
  h[11] = 6;
  h.set(mac(p.direction === 'Out' ? p.node : peerOf(p), p.iface), 12);
  return h;
}

/** The inner packet inside VXLAN (flags I, the VNI) and UDP, in an outer IPv4 header between the nodes. */
function tunnelled(p: CapturedPacket): Uint8Array {
  const e = p.encap!;
  const vni = e.vni & 0xffffff;
  const vxlan = Uint8Array.from([0x08, 0, 0, 0, (vni >> 16) & 0xff, (vni >> 8) & 0xff, vni & 0xff, 0]);
  const innerFrame = concat(ethernetHeader(`${p.node}/inner`, 'src', `${p.node}/inner`, 'dst'), ipPacket(p));
  const udp = udpSegment(e.srcIp, e.dstIp, e.sport, e.dport, concat(vxlan, innerFrame));
  return ipv4(e.srcIp, e.dstIp, IP_PROTO.UDP, p.ipId ^ 0x5555, udp);
}

function ipPacket(p: CapturedPacket): Uint8Array {
  switch (p.proto) {
    case 'TCP':
      return ipv4(p.srcIp, p.dstIp, IP_PROTO.TCP, p.ipId, tcpSegment(p));
    case 'UDP':
      return ipv4(p.srcIp, p.dstIp, IP_PROTO.UDP, p.ipId, udpSegment(p.srcIp, p.dstIp, p.sport, p.dport, p.payload));
    case 'ICMP':
      return ipv4(p.srcIp, p.dstIp, IP_PROTO.ICMP, p.ipId, icmpEcho(p));
    case 'SCTP':
      return ipv4(p.srcIp, p.dstIp, IP_PROTO.SCTP, p.ipId, p.payload);
  }
}

function ipv4(src: string, dst: string, proto: number, id: number, body: Uint8Array): Uint8Array {
  const h = new Uint8Array(20);
  const v = new DataView(h.buffer);
  h[0] = 0x45;
  v.setUint16(2, 20 + body.length);
  v.setUint16(4, id & 0xffff);
  // Don't fragment, as Linux sets it on TCP and on UDP sockets with path MTU discovery.
  v.setUint16(6, 0x4000);
  h[8] = 64;
  h[9] = proto;
  h.set(addr(src), 12);
  h.set(addr(dst), 16);
  v.setUint16(10, checksum(h));
  return concat(h, body);
}

function tcpSegment(p: CapturedPacket): Uint8Array {
  const t = p.tcp!;
  const f = t.flags;
  const ts = [8, 10, ...u32(t.tsval), ...u32(t.tsecr)];
  // Linux's options: on SYN, MSS, SACK permitted, timestamps, NOP, window scale; then NOP, NOP, timestamps.
  const options = f.RST === true ? [] : f.SYN === true ? [2, 4, 0x05, 0xb4, 4, 2, ...ts, 1, 3, 3, 7] : [1, 1, ...ts];
  const header = new Uint8Array(20 + options.length);
  const v = new DataView(header.buffer);
  v.setUint16(0, p.sport);
  v.setUint16(2, p.dport);
  v.setUint32(4, t.seq >>> 0);
  v.setUint32(8, t.ack >>> 0);
  header[12] = (header.length / 4) << 4;
  header[13] = (f.FIN ? 0x01 : 0) | (f.SYN ? 0x02 : 0) | (f.RST ? 0x04 : 0) | (f.PSH ? 0x08 : 0) | (f.ACK ? 0x10 : 0);
  v.setUint16(14, t.window);
  header.set(options, 20);
  const segment = concat(header, p.payload);
  new DataView(segment.buffer).setUint16(16, transportChecksum(p.srcIp, p.dstIp, IP_PROTO.TCP, segment));
  return segment;
}

function udpSegment(src: string, dst: string, sport: number, dport: number, payload: Uint8Array): Uint8Array {
  const segment = new Uint8Array(8 + payload.length);
  const v = new DataView(segment.buffer);
  v.setUint16(0, sport);
  v.setUint16(2, dport);
  v.setUint16(4, segment.length);
  segment.set(payload, 8);
  v.setUint16(6, transportChecksum(src, dst, IP_PROTO.UDP, segment) || 0xffff);
  return segment;
}

function icmpEcho(p: CapturedPacket): Uint8Array {
  const m = concat(Uint8Array.from([8, 0, 0, 0, (p.sport >> 8) & 0xff, p.sport & 0xff, 0, 1]), p.payload);
  new DataView(m.buffer).setUint16(2, checksum(m));
  return m;
}

function transportChecksum(src: string, dst: string, proto: number, segment: Uint8Array): number {
  const pseudo = Uint8Array.from([...addr(src), ...addr(dst), 0, proto, (segment.length >> 8) & 0xff, segment.length & 0xff]);
  return checksum(concat(pseudo, segment));
}

/** The Internet checksum (RFC 1071) of `b`, with its checksum field zero. */
function checksum(b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < b.length; i += 2) sum += ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function addr(ip: string): number[] {
  return ip.split('.').map(Number);
}

function u32(n: number): number[] {
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
