import type { Datapath } from '../datapath/datapath.ts';
import type { NetStack } from '../datapath/netStack.ts';
import {
  type HttpRequest,
  type HttpResponse,
  NO_FLAGS,
  TCP_FLAGS,
  reversed,
  type Packet,
  type Payload,
  type Protocol,
} from '../datapath/packet.ts';
import { tcpReply } from '../datapath/tcpSegment.ts';
import { PROTOCOL_NUMBERS } from '../policy/u8proto.ts';
import type { ServerApp } from './serverApp.ts';
import { SocketTable } from './socketTable.ts';

/** Server think time for one HTTP request, fixed so latencies in flows are reproducible. */
export const SERVER_TIME_NS = 1_000_000;

const { ACK, RST, RST_ACK, SYN_ACK, ACK_FIN, ACK_PSH } = TCP_FLAGS;
const TLS_SERVER_HELLO: Payload = Object.freeze({ kind: 'tls-server-hello' });

/**
 * A client socket, bound to (local port, remote address) on a stack: the connection object
 * itself (a TCP client, a UDP exchange) extends it, so binding makes no object at all. The
 * stack's sockets on one local port form a chain (almost always of one).
 */
export abstract class BoundSocket {
  /** The stack it is bound to (set by `WorkloadStack.bind`). */
  stack: WorkloadStack | undefined = undefined;
  key = 0;
  remoteIp = '';
  remotePort = 0;
  /** The next socket on the same local port. */
  next: BoundSocket | undefined = undefined;

  /** A segment or datagram addressed to this socket. */
  abstract onPacket(p: Packet): void;

  /** Releases the socket; a second call does nothing. */
  unbind(): void {
    this.stack?.unbind(this);
  }
}

function portKey(proto: Protocol, port: number): number {
  // TCP without the table read: every received segment asks twice.
  return (proto === 'TCP' ? 6 : PROTOCOL_NUMBERS[proto]) * 65536 + port;
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
  /**
   * Client sockets by (protocol, local port), chained by remote address: no key strings per
   * packet. Made at the first bind: most stacks (servers) never bind one.
   */
  #sockets: SocketTable<BoundSocket> | undefined = undefined;
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

  /**
   * Binds a client socket to (local port, remote ip, remote port); it must not be bound already.
   */
  bind(proto: Protocol, localPort: number, remoteIp: string, remotePort: number, bound: BoundSocket): void {
    const key = portKey(proto, localPort);
    bound.stack = this;
    bound.key = key;
    bound.remoteIp = remoteIp;
    bound.remotePort = remotePort;
    bound.next = undefined;
    const sockets = (this.#sockets ??= new SocketTable());
    // A new socket on the same 4-tuple replaces the old one; a packet's handler runs after its lookup.
    let head = sockets.get(key);
    for (let b = head; b !== undefined; b = b.next)
      if (b.remoteIp === remoteIp && b.remotePort === remotePort) {
        this.unbind(b);
        head = sockets.get(key);
        break;
      }
    if (head === undefined) sockets.set(key, bound);
    else {
      let last = head;
      while (last.next !== undefined) last = last.next;
      last.next = bound;
    }
  }

  /** Takes `bound` off its port's chain, if it is still there. */
  unbind(bound: BoundSocket): void {
    const sockets = this.#sockets;
    if (sockets === undefined) return;
    const head = sockets.get(bound.key);
    if (head === bound) {
      if (bound.next === undefined) sockets.delete(bound.key);
      else sockets.set(bound.key, bound.next);
      bound.next = undefined;
      return;
    }
    for (let b = head; b !== undefined; b = b.next)
      if (b.next === bound) {
        b.next = bound.next;
        bound.next = undefined;
        return;
      }
  }

  #socket(p: Packet): BoundSocket | undefined {
    const sockets = this.#sockets;
    if (sockets === undefined) return undefined;
    for (let b = sockets.get(portKey(p.proto, p.dport)); b !== undefined; b = b.next)
      if (b.remotePort === p.sport && b.remoteIp === p.srcIp) return b;
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
    else if (p.proto === 'ICMP') this.send(reversed(p, NO_FLAGS));
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
      this.send(tcpReply(p, SYN_ACK, this.#now()));
    } else if (f.FIN === true) {
      this.send(tcpReply(p, ACK_FIN, this.#now()));
    } else if (p.payload?.kind === 'bytes') {
      // Plain data (nc streaming a file): acknowledged, nothing answered; asked first, as a stream
      // sends the most segments.
      this.send(tcpReply(p, ACK, this.#now()));
    } else if (p.payload?.kind === 'http-request' && (app.serve !== undefined || app.http !== undefined)) {
      this.#serveHttp(app, p, p.payload.request);
    } else if (p.payload?.kind === 'tls-client-hello' && app.tls !== undefined) {
      this.#serveTls(app.tls, p, p.payload);
    } else if (p.payload?.kind === 'tls-client-hello') {
      this.send(tcpReply(p, ACK_PSH, this.#now(), TLS_SERVER_HELLO));
    }
  }

  /*
   * The answers' closures are built here, apart from `#serveTcp`: there they would make V8
   * allocate a context holding the segment for every segment served, a SYN or an ACK as well.
   */
  #serveHttp(app: ServerApp, p: Packet, request: HttpRequest): void {
    if (app.serve !== undefined) {
      app.serve(
        request,
        { ip: p.srcIp, port: p.sport },
        (response) => this.send(tcpReply(p, ACK_PSH, this.#now(), responsePayload(request, response))),
        () => this.send(tcpReply(p, RST_ACK, this.#now())),
      );
      return;
    }
    const response = app.http!(request, { ip: p.srcIp, port: p.sport });
    this.#datapath.env.scheduler.afterCall(SERVER_TIME_NS, 'http-serve', answerHttp, new HttpAnswer(this, p, request, response));
  }

  #serveTls(tls: NonNullable<ServerApp['tls']>, p: Packet, hello: { readonly sni: string }): void {
    tls(hello, { ip: p.srcIp, port: p.sport }, (reply) =>
      this.send(reply === undefined ? tcpReply(p, RST_ACK, this.#now()) : tcpReply(p, ACK_PSH, this.#now(), reply)),
    );
  }

  #now(): number {
    return this.#datapath.env.scheduler.clock.nowNs;
  }

  /** The virtual time, for the answers this stack sends later. */
  get nowNs(): number {
    return this.#datapath.env.scheduler.clock.nowNs;
  }

  #serveUdp(p: Packet): void {
    const app = this.listening('UDP', p.dport);
    const answer: Payload | undefined = app?.udp?.(p.payload);
    if (answer !== undefined) this.send(reversed(p, NO_FLAGS, answer));
  }
}

/** A request the server answers once its think time has passed: what the `http-serve` timer calls with. */
class HttpAnswer {
  readonly stack: WorkloadStack;
  readonly request: Packet;
  readonly http: HttpRequest;
  readonly response: HttpResponse;

  constructor(stack: WorkloadStack, request: Packet, http: HttpRequest, response: HttpResponse) {
    this.stack = stack;
    this.request = request;
    this.http = http;
    this.response = response;
  }
}

function answerHttp(a: HttpAnswer): void {
  const { stack } = a;
  stack.send(tcpReply(a.request, ACK_PSH, stack.nowNs, responsePayload(a.http, a.response)));
}

/**
 * The response segment's payload. A shared request (a plain curl's) answered with a shared
 * response (a server that answers every request alike) is the same payload every time: payloads
 * are immutable, and its wire length is then measured once.
 */
function responsePayload(request: HttpRequest, response: HttpResponse): Payload {
  const known = RESPONSE_PAYLOADS.get(request);
  if (known !== undefined && known.response === response) return known;
  const payload = Object.freeze({ kind: 'http-response', request, response } as const);
  RESPONSE_PAYLOADS.set(request, payload);
  return payload;
}

const RESPONSE_PAYLOADS = new WeakMap<HttpRequest, Extract<Payload, { kind: 'http-response' }>>();
