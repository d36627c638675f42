import type { Datapath } from '../datapath/datapath.ts';
import type { NetStack } from '../datapath/netStack.ts';
import { reversed, type Packet, type Payload, type Protocol, type TcpFlags } from '../datapath/packet.ts';
import { tcpReply } from '../datapath/tcpSegment.ts';
import { PROTOCOL_NUMBERS } from '../policy/u8proto.ts';
import type { ServerApp } from './serverApp.ts';

/** Server think time for one HTTP request, fixed so latencies in flows are reproducible. */
export const SERVER_TIME_NS = 1_000_000;

const ACK: TcpFlags = Object.freeze({ ACK: true });
const RST: TcpFlags = Object.freeze({ RST: true });
const RST_ACK: TcpFlags = Object.freeze({ RST: true, ACK: true });
const TLS_SERVER_HELLO: Payload = Object.freeze({ kind: 'tls-server-hello' });

interface BoundSocket {
  readonly remoteIp: string;
  readonly remotePort: number;
  readonly handler: SocketHandler;
}

function portKey(proto: Protocol, port: number): number {
  // TCP without the table read: every received segment asks twice.
  return (proto === 'TCP' ? 6 : PROTOCOL_NUMBERS[proto]) * 65536 + port;
}

/** A client socket's view of packets addressed to its local port. */
export interface SocketHandler {
  onPacket(p: Packet): void;
}

/**
 * A network namespace with sockets: a pod, a node's host, or a host outside the cluster. It
 * answers as Linux does: SYN to a listening port -> SYN-ACK, to a closed port -> RST; HTTP
 * requests go to the listening application; UDP to a listener is answered by it.
 */
export class WorkloadStack implements NetStack {
  readonly ip: string;
  readonly kind: 'pod' | 'host' | 'world';
  readonly nodeName: string | undefined;
  readonly #datapath: Datapath;
  /** Listening apps by (protocol, port). */
  readonly #listeners = new Map<number, ServerApp>();
  /** Client sockets by (protocol, local port), then by remote address: no key strings per packet. */
  readonly #sockets = new Map<number, BoundSocket[]>();
  /** Outside hosts answer on every port (the world is full of servers). */
  readonly #catchAll: ServerApp | undefined;

  constructor(datapath: Datapath, ip: string, kind: 'pod' | 'host' | 'world', nodeName: string | undefined, catchAll?: ServerApp) {
    this.#datapath = datapath;
    this.ip = ip;
    this.kind = kind;
    this.nodeName = nodeName;
    this.#catchAll = catchAll;
  }

  listen(proto: Protocol, port: number, app: ServerApp): void {
    this.#listeners.set(portKey(proto, port), app);
  }

  listening(proto: Protocol, port: number): ServerApp | undefined {
    return this.#listeners.get(portKey(proto, port)) ?? this.#catchAll;
  }

  /** Binds a client socket to (local port, remote ip, remote port). */
  bind(proto: Protocol, localPort: number, remoteIp: string, remotePort: number, handler: SocketHandler): () => void {
    const key = portKey(proto, localPort);
    const bound: BoundSocket = { remoteIp, remotePort, handler };
    let here = this.#sockets.get(key);
    if (here === undefined) this.#sockets.set(key, (here = []));
    // A new socket on the same 4-tuple replaces the old one; lists are edited in place (a
    // connection binds and unbinds one each), and a packet's handler runs after its lookup.
    const old = here.findIndex((b) => b.remoteIp === remoteIp && b.remotePort === remotePort);
    if (old !== -1) here.splice(old, 1);
    here.push(bound);
    return () => {
      const left = this.#sockets.get(key);
      const i = left === undefined ? -1 : left.indexOf(bound);
      if (i === -1) return;
      left!.splice(i, 1);
      if (left!.length === 0) this.#sockets.delete(key);
    };
  }

  #socket(p: Packet): SocketHandler | undefined {
    const bound = this.#sockets.get(portKey(p.proto, p.dport));
    if (bound === undefined) return undefined;
    for (const b of bound) if (b.remotePort === p.sport && b.remoteIp === p.srcIp) return b.handler;
    return undefined;
  }

  /**
   * Where a socket connecting to `dstIp:dport` really goes: socket-LB translation of a service
   * address to one backend (`pick` chooses among n). Undefined: a service without backends.
   */
  connectTarget(
    sport: number,
    dstIp: string,
    dport: number,
    proto: Protocol,
    pick: (n: number) => number,
  ): { ip: string; port: number } | undefined {
    return this.#datapath.translate(this.ip, sport, dstIp, dport, proto, pick);
  }

  send(p: Packet): void {
    this.#datapath.send(this, p);
  }

  receive(p: Packet): void {
    const socket = this.#socket(p);
    if (socket !== undefined) {
      socket.onPacket(p);
      return;
    }
    if (p.proto === 'TCP') this.#serveTcp(p);
    else if (p.proto === 'UDP') this.#serveUdp(p);
    else if (p.proto === 'ICMP') this.send(reversed(p, {}));
  }

  #serveTcp(p: Packet): void {
    const app = this.listening('TCP', p.dport);
    const f = p.flags;
    if (f.RST === true) return;
    if (app === undefined) {
      // A closed port answers every segment with RST, as Linux does.
      this.send(tcpReply(p, f.ACK === true ? RST : RST_ACK, this.#now()));
      return;
    }
    if (f.SYN === true && f.ACK !== true) {
      this.send(tcpReply(p, { SYN: true, ACK: true }, this.#now()));
    } else if (f.FIN === true) {
      this.send(tcpReply(p, { ACK: true, FIN: true }, this.#now()));
    } else if (p.payload?.kind === 'bytes') {
      // Plain data (nc streaming a file): acknowledged, nothing answered; asked first, as a stream
      // sends the most segments.
      this.send(tcpReply(p, ACK, this.#now()));
    } else if (p.payload?.kind === 'http-request' && app.serve !== undefined) {
      const request = p.payload.request;
      app.serve(
        request,
        { ip: p.srcIp, port: p.sport },
        (response) => this.send(tcpReply(p, { ACK: true, PSH: true }, this.#now(), { kind: 'http-response', request, response })),
        () => this.send(tcpReply(p, RST_ACK, this.#now())),
      );
    } else if (p.payload?.kind === 'http-request' && app.http !== undefined) {
      const request = p.payload.request;
      const response = app.http(request, { ip: p.srcIp, port: p.sport });
      this.#datapath.env.scheduler.after(SERVER_TIME_NS, 'http-serve', () =>
        this.send(tcpReply(p, { ACK: true, PSH: true }, this.#now(), { kind: 'http-response', request, response })),
      );
    } else if (p.payload?.kind === 'tls-client-hello' && app.tls !== undefined) {
      app.tls(p.payload, { ip: p.srcIp, port: p.sport }, (reply) =>
        this.send(reply === undefined ? tcpReply(p, RST_ACK, this.#now()) : tcpReply(p, { ACK: true, PSH: true }, this.#now(), reply)),
      );
    } else if (p.payload?.kind === 'tls-client-hello') {
      this.send(tcpReply(p, { ACK: true, PSH: true }, this.#now(), TLS_SERVER_HELLO));
    }
  }

  #now(): number {
    return this.#datapath.env.scheduler.clock.nowNs;
  }

  #serveUdp(p: Packet): void {
    const app = this.listening('UDP', p.dport);
    const answer: Payload | undefined = app?.udp?.(p.payload);
    if (answer !== undefined) this.send(reversed(p, {}, answer));
  }
}
