import type { CapturedPacket } from '@cilium-sim/core';
import { UsageError } from '../tools/usageError.ts';

/**
 * tcpdump's filter expressions (pcap-filter(7)), the part labs type: `host`, `net`, `port`,
 * `portrange` with `src`/`dst` and a protocol (`tcp port 80`), the protocols alone (`tcp`,
 * `udp`, `icmp`, `ip`, `ip6`, `arp`), `tcp[tcpflags] & tcp-syn != 0`, joined by `and`/`&&`,
 * `or`/`||`, `not`/`!` and parentheses. As in libpcap, a bare value after `and`/`or` takes the
 * qualifiers before it (`host 10.0.0.1 or 10.0.0.2`, `port 80 or 443`). It matches the headers
 * on the wire: for a packet in the tunnel, the outer ones (UDP to 8472).
 */
export type PacketPredicate = (p: CapturedPacket) => boolean;

type Dir = 'src' | 'dst' | 'src or dst' | 'src and dst';
type Type = 'host' | 'net' | 'port' | 'portrange';
type Proto = 'tcp' | 'udp' | 'sctp' | 'icmp' | 'ip';

interface Qualifiers {
  readonly proto?: Proto;
  readonly dir?: Dir;
  readonly type?: Type;
}

/** libpcap's refusal, as tcpdump prints it: `tcpdump: can't parse filter expression: ...`. */
function filterError(message: string): UsageError {
  return new UsageError({ code: 'INVALID_FLAG', object: 'tcpdump', path: 'expression', message: `tcpdump: ${message}` });
}

const syntaxError = (): UsageError => filterError("can't parse filter expression: syntax error");

const TCP_FLAG_BITS: Readonly<Record<string, number>> = {
  'tcp-fin': 0x01,
  'tcp-syn': 0x02,
  'tcp-rst': 0x04,
  'tcp-push': 0x08,
  'tcp-ack': 0x10,
  'tcp-urg': 0x20,
  'tcp-ece': 0x40,
  'tcp-cwr': 0x80,
};

/** Splits an expression into words and the operators that need no spaces around them. */
function tokens(text: string): string[] {
  return text.match(/tcp\[tcpflags\]|&&|\|\||!=|==|[()!&|=]|[^\s()!&|=]+/g) ?? [];
}

/** Compiles a filter expression; the empty expression keeps every packet. */
export function compileCaptureFilter(text: string): PacketPredicate {
  const t = tokens(text);
  if (t.length === 0) return () => true;
  let pos = 0;
  let last: Qualifiers = {};
  const peek = (): string | undefined => t[pos];
  const next = (): string => {
    const w = t[pos++];
    if (w === undefined) throw syntaxError();
    return w;
  };

  const or = (): PacketPredicate => {
    let left = and();
    while (peek() === 'or' || peek() === '||') {
      pos++;
      const right = and();
      const l = left;
      left = (p) => l(p) || right(p);
    }
    return left;
  };
  const and = (): PacketPredicate => {
    let left = not();
    while (peek() === 'and' || peek() === '&&') {
      pos++;
      const right = not();
      const l = left;
      left = (p) => l(p) && right(p);
    }
    return left;
  };
  const not = (): PacketPredicate => {
    if (peek() === 'not' || peek() === '!') {
      pos++;
      const inner = not();
      return (p) => !inner(p);
    }
    if (peek() === '(') {
      pos++;
      const inner = or();
      if (next() !== ')') throw syntaxError();
      return inner;
    }
    return primitive();
  };

  const primitive = (): PacketPredicate => {
    if (peek() === 'tcp[tcpflags]') return tcpFlags();
    const q: { proto?: Proto; dir?: Dir; type?: Type } = {};
    const w = peek();
    if (w === 'ip6' || w === 'arp' || w === 'rarp') {
      pos++;
      return () => false;
    }
    if (w === 'tcp' || w === 'udp' || w === 'sctp' || w === 'icmp' || w === 'ip') q.proto = next() as Proto;
    if (peek() === 'src' || peek() === 'dst') {
      const d = next();
      if ((peek() === 'or' || peek() === 'and') && (t[pos + 1] === 'src' || t[pos + 1] === 'dst')) {
        q.dir = `src ${next()} dst` as Dir;
        pos++;
      } else q.dir = d as Dir;
    }
    if (peek() === 'host' || peek() === 'net' || peek() === 'port' || peek() === 'portrange') q.type = next() as Type;
    const id = peek();
    const qualified = q.proto !== undefined || q.dir !== undefined || q.type !== undefined;
    if (id === undefined || isKeyword(id)) {
      // A protocol alone (`tcp`) is a primitive of its own.
      if (q.proto !== undefined && q.dir === undefined && q.type === undefined) return protoMatch(q.proto);
      throw syntaxError();
    }
    pos++;
    // A value with no qualifier takes the previous primitive's (`port 80 or 443`).
    const use: Qualifiers = qualified ? q : last;
    last = use;
    return valueMatch(use, id);
  };

  const tcpFlags = (): PacketPredicate => {
    pos++;
    let mask = 0xff;
    if (peek() === '&') {
      pos++;
      mask = flagSet();
    }
    const op = next();
    const value = flagSet();
    if (op !== '!=' && op !== '=' && op !== '==') throw syntaxError();
    const test = (bits: number): boolean => (op === '!=' ? (bits & mask) !== value : (bits & mask) === value);
    return (p) => p.proto === 'TCP' && p.encap === undefined && test(flagBits(p));
  };
  const flagSet = (): number => {
    if (peek() === '(') {
      pos++;
      let bits = flagSet();
      while (peek() === '|') {
        pos++;
        bits |= flagSet();
      }
      if (next() !== ')') throw syntaxError();
      return bits;
    }
    const w = next();
    const bits = TCP_FLAG_BITS[w] ?? (/^\d+$/.test(w) ? Number(w) : undefined);
    if (bits === undefined) throw syntaxError();
    return bits;
  };

  const result = or();
  if (pos !== t.length) throw syntaxError();
  return result;
}

function isKeyword(w: string): boolean {
  return ['and', 'or', 'not', '&&', '||', '!', '(', ')'].includes(w);
}

function flagBits(p: CapturedPacket): number {
  const f = p.tcp?.flags;
  if (f === undefined) return 0;
  return (f.FIN ? 1 : 0) | (f.SYN ? 2 : 0) | (f.RST ? 4 : 0) | (f.PSH ? 8 : 0) | (f.ACK ? 16 : 0);
}

/** The headers a filter sees: the outer ones of a tunnelled packet. */
function wire(p: CapturedPacket): { proto: string; src: string; dst: string; sport: number; dport: number } {
  if (p.encap !== undefined) return { proto: 'UDP', src: p.encap.srcIp, dst: p.encap.dstIp, sport: p.encap.sport, dport: p.encap.dport };
  return { proto: p.proto, src: p.srcIp, dst: p.dstIp, sport: p.sport, dport: p.dport };
}

function protoMatch(proto: Proto): PacketPredicate {
  if (proto === 'ip') return () => true;
  const name = proto.toUpperCase();
  return (p) => wire(p).proto === name;
}

function valueMatch(q: Qualifiers, id: string): PacketPredicate {
  const type = q.type ?? (/^\d+$/.test(id) ? undefined : 'host');
  const dir = q.dir ?? 'src or dst';
  const pick = (src: boolean, dst: boolean): boolean =>
    dir === 'src' ? src : dir === 'dst' ? dst : dir === 'src and dst' ? src && dst : src || dst;
  const inProto = q.proto === undefined || q.proto === 'ip' ? undefined : protoMatch(q.proto);
  const withProto = (f: PacketPredicate): PacketPredicate => (inProto === undefined ? f : (p) => inProto(p) && f(p));
  switch (type) {
    case 'host': {
      if (!isIPv4(id)) throw filterError(`can't parse filter expression: unknown host '${id}'`);
      return withProto((p) => {
        const w = wire(p);
        return pick(w.src === id, w.dst === id);
      });
    }
    case 'net': {
      const inNet = netMatcher(id);
      return withProto((p) => {
        const w = wire(p);
        return pick(inNet(w.src), inNet(w.dst));
      });
    }
    case 'port':
    case 'portrange': {
      const [lo, hi] = type === 'port' ? [portNumber(id), portNumber(id)] : portRange(id);
      if (q.proto === 'icmp') throw filterError("can't parse filter expression: port applied to icmp");
      const ported = (p: CapturedPacket): boolean => {
        const w = wire(p);
        return (
          (w.proto === 'TCP' || w.proto === 'UDP' || w.proto === 'SCTP') &&
          pick(w.sport >= lo && w.sport <= hi, w.dport >= lo && w.dport <= hi)
        );
      };
      return withProto(ported);
    }
    default:
      throw syntaxError();
  }
}

function isIPv4(s: string): boolean {
  return /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(s) && s.split('.').every((o) => Number(o) <= 255);
}

function toNumber(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

/** `10.244.0.0/16`, or the classful shorthand `10.244` (the octets given). */
function netMatcher(id: string): (ip: string) => boolean {
  const [base, bitsText] = id.split('/');
  const octets = (base ?? '').split('.');
  if (octets.length > 4 || octets.some((o) => !/^\d{1,3}$/.test(o) || Number(o) > 255))
    throw filterError(`can't parse filter expression: invalid net '${id}'`);
  const bits = bitsText === undefined ? octets.length * 8 : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > 32) throw filterError(`can't parse filter expression: invalid net '${id}'`);
  const full = [...octets, '0', '0', '0'].slice(0, 4).join('.');
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  const net = (toNumber(full) & mask) >>> 0;
  if (net !== toNumber(full) >>> 0 && bitsText !== undefined)
    throw filterError(`can't parse filter expression: non-network bits set in "${id}"`);
  return (ip) => isIPv4(ip) && (toNumber(ip) & mask) >>> 0 === net;
}

const PORT_NAMES: Readonly<Record<string, number>> = { http: 80, https: 443, domain: 53, ssh: 22, 'http-alt': 8080 };

function portNumber(id: string): number {
  const n = /^\d+$/.test(id) ? Number(id) : PORT_NAMES[id];
  if (n === undefined) throw filterError(`can't parse filter expression: unknown port '${id}'`);
  if (n > 65535) throw filterError(`can't parse filter expression: illegal port number ${n} > 65535`);
  return n;
}

function portRange(id: string): [number, number] {
  const m = /^([^-]+)-([^-]+)$/.exec(id);
  if (m === null) throw syntaxError();
  const a = portNumber(m[1]!);
  const b = portNumber(m[2]!);
  return a <= b ? [a, b] : [b, a];
}
