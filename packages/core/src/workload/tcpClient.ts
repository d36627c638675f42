import { type Packet, type Payload, TCP_FLAGS, type TcpFlags } from '../datapath/packet.ts';
import { flagsLength, initialSequence, segmentLength, TcpDataSegment, TcpSegment, tcpTimestamp } from '../datapath/tcpSegment.ts';
import { payloadLength } from '../datapath/wirePayload.ts';
import { NS_PER_S } from '../sim/duration.ts';
import type { ScheduledEvent, Scheduler } from '../sim/scheduler.ts';
import { BoundSocket, type WorkloadStack } from './workloadStack.ts';

/** Linux's SYN retransmissions: first after 1 s, then doubling; tcp_syn_retries = 6. */
export const SYN_RTO_INITIAL_NS = NS_PER_S;
export const SYN_RETRIES = 6;

const { ACK_PSH, ACK, ACK_FIN, SYN } = TCP_FLAGS;
const BACKGROUND = Object.freeze({ background: true });

export type TcpConnectResult = 'connected' | 'refused' | 'timeout';

export interface TcpClientHandlers {
  onConnect(result: TcpConnectResult): void;
  onData?(payload: Payload | undefined): void;
  /** The peer acknowledged data without sending any. */
  onAck?(): void;
  onReset?(): void;
}

/**
 * The client half of a TCP connection: SYN with Linux's retransmission timing, the handshake,
 * data segments and an orderly close. A dropped SYN is simply retransmitted, which is how a
 * connection blocked until mutual authentication completes gets through about 1 s later.
 */
export class TcpClient extends BoundSocket {
  readonly #stack: WorkloadStack;
  readonly #scheduler: Scheduler;
  readonly sport: number;
  readonly dstIp: string;
  readonly dport: number;
  #state: 'syn-sent' | 'established' | 'fin-wait' | 'closed' = 'syn-sent';
  #retransmit: ScheduledEvent | undefined;
  #retries = 0;
  readonly #handlers: TcpClientHandlers;
  /** The next sequence number to send, and the next one expected from the peer. */
  // Starts as a number (not undefined), so V8 keeps the field unboxed as each segment moves it.
  #sndNxt = 0;
  #rcvNxt = 0;
  /** The timestamps clock's offset towards the peer (tcpTimestamp at time 0), looked up once per connection. */
  readonly #tsOffset: number;
  /** The peer's last timestamp, echoed in the next segment. */
  #peerTs = 0;

  constructor(stack: WorkloadStack, scheduler: Scheduler, sport: number, dstIp: string, dport: number, handlers: TcpClientHandlers) {
    super();
    this.#stack = stack;
    this.#scheduler = scheduler;
    this.sport = sport;
    this.dstIp = dstIp;
    this.dport = dport;
    this.#handlers = handlers;
    stack.bind('TCP', sport, dstIp, dport, this);
    this.#sndNxt = initialSequence(stack.ip, sport, dstIp, dport, scheduler.clock.nowNs);
    this.#tsOffset = tcpTimestamp(stack.ip, dstIp, 0);
  }

  get state(): string {
    return this.#state;
  }

  connect(): void {
    this.#sendSyn();
  }

  send(payload: Payload): void {
    if (this.#state === 'established') this.#segment(ACK_PSH, payload);
  }

  /** Closes: FIN, and the peer's FIN-ACK is acknowledged on arrival. */
  close(): void {
    if (this.#state !== 'established') {
      this.abort();
      return;
    }
    this.#segment(ACK_FIN);
    this.#state = 'fin-wait';
    this.#timeWait();
  }

  /** Stops all timers and releases the socket without sending anything (curl gave up). */
  abort(): void {
    if (this.#retransmit !== undefined) this.#scheduler.cancel(this.#retransmit);
    this.#state = 'closed';
    // Keep the socket bound briefly so the peer's FIN-ACK is absorbed rather than answered with RST.
    this.#timeWait();
  }

  /** The socket stays bound a second (TIME_WAIT, shortened), then is released. */
  #timeWait(): void {
    this.#scheduler.afterCall(NS_PER_S, 'tcp-time-wait', unbind, this as BoundSocket, BACKGROUND);
  }

  #sendSyn(): void {
    // A retransmitted SYN repeats the first one's sequence number.
    if (this.#retries > 0) this.#sndNxt = (this.#sndNxt - 1) >>> 0;
    this.#segment(SYN);
    // The timers call statics with the client, not closures: nearly every SYN is answered in time.
    const delay = SYN_RTO_INITIAL_NS * 2 ** this.#retries;
    this.#retransmit =
      this.#retries < SYN_RETRIES
        ? this.#scheduler.afterCall(delay, 'tcp-syn-retransmit', TcpClient.#retransmitSyn, this)
        : this.#scheduler.afterCall(delay, 'tcp-syn-timeout', TcpClient.#giveUp, this);
  }

  static #retransmitSyn(client: TcpClient): void {
    client.#retries++;
    client.#sendSyn();
  }

  static #giveUp(client: TcpClient): void {
    client.#state = 'closed';
    client.#handlers.onConnect('timeout');
  }

  #segment(flags: TcpFlags, payload?: Payload): void {
    const { ip } = this.#stack;
    const tsval = (this.#tsOffset + Math.floor(this.#scheduler.clock.nowNs / 1_000_000)) >>> 0;
    const ack = flags.ACK === true ? this.#rcvNxt : 0;
    const p =
      payload === undefined
        ? new TcpSegment('TCP', ip, this.dstIp, this.sport, this.dport, flags, this.#sndNxt, ack, tsval, this.#peerTs)
        : new TcpDataSegment('TCP', ip, this.dstIp, this.sport, this.dport, flags, payload, this.#sndNxt, ack, tsval, this.#peerTs);
    this.#sndNxt = (this.#sndNxt + (payload === undefined ? 0 : payloadLength(payload)) + flagsLength(flags)) >>> 0;
    this.#stack.send(p);
  }

  /** A segment addressed to this socket. */
  override onPacket(p: Packet): void {
    const f = p.flags;
    if (this.#state === 'closed') return;
    if (f.RST !== true) {
      this.#rcvNxt = ((p.seq ?? 0) + segmentLength(p)) >>> 0;
      this.#peerTs = p.tsval ?? 0;
    }
    if (f.RST === true) {
      if (this.#retransmit !== undefined) this.#scheduler.cancel(this.#retransmit);
      const wasConnecting = this.#state === 'syn-sent';
      this.#state = 'closed';
      if (wasConnecting) this.#handlers.onConnect('refused');
      else this.#handlers.onReset?.();
      return;
    }
    if (this.#state === 'syn-sent' && f.SYN === true && f.ACK === true) {
      if (this.#retransmit !== undefined) this.#scheduler.cancel(this.#retransmit);
      this.#state = 'established';
      this.#segment(ACK);
      this.#handlers.onConnect('connected');
      return;
    }
    if ((this.#state === 'established' || this.#state === 'fin-wait') && f.FIN === true) {
      this.#segment(ACK);
      this.#state = 'closed';
      return;
    }
    if (this.#state !== 'established') return;
    if (p.payload !== undefined) this.#handlers.onData?.(p.payload);
    else if (f.ACK === true) this.#handlers.onAck?.();
  }
}

function unbind(socket: BoundSocket): void {
  socket.unbind();
}
