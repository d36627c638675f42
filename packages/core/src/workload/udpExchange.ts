import { NO_FLAGS, type Packet, type Payload } from '../datapath/packet.ts';
import type { Rng } from '../sim/rng.ts';
import type { ScheduledEvent, Scheduler } from '../sim/scheduler.ts';
import type { BoundSocket, SocketHandler, WorkloadStack } from './workloadStack.ts';

/** Told the first answer to a datagram, or undefined when none came in time; exactly once. */
export interface UdpAnswerHandler {
  onAnswer(answer: Payload | undefined): void;
}

/**
 * Sends one UDP datagram from a connected socket and waits for the first answer or the
 * timeout: DNS queries and `nc -u` probes. A service address is translated to one backend at
 * connect, as Cilium's socket LB does. `done` is called exactly once.
 */
export function udpExchange(
  stack: WorkloadStack,
  scheduler: Scheduler,
  rng: Rng,
  sport: number,
  addrIp: string,
  addrPort: number,
  payload: Payload,
  timeoutNs: number,
  done: UdpAnswerHandler,
): void {
  const target = stack.connectTarget(sport, addrIp, addrPort, 'UDP', (n) => rng.int(0, n - 1));
  if (target === undefined) {
    scheduler.after(0, 'udp-unreachable', () => done.onAnswer(undefined));
    return;
  }
  new UdpExchange(stack, scheduler, sport, target.ip, target.port, timeoutNs, done).send(payload);
}

/** One datagram's socket, waiting for the answer or the timeout: an object, not a scope of closures. */
class UdpExchange implements SocketHandler {
  readonly #stack: WorkloadStack;
  readonly #scheduler: Scheduler;
  readonly #sport: number;
  readonly #dstIp: string;
  readonly #dport: number;
  readonly #done: UdpAnswerHandler;
  readonly #socket: BoundSocket;
  readonly #timer: ScheduledEvent;
  #finished = false;

  constructor(
    stack: WorkloadStack,
    scheduler: Scheduler,
    sport: number,
    dstIp: string,
    dport: number,
    timeoutNs: number,
    done: UdpAnswerHandler,
  ) {
    this.#stack = stack;
    this.#scheduler = scheduler;
    this.#sport = sport;
    this.#dstIp = dstIp;
    this.#dport = dport;
    this.#done = done;
    this.#socket = stack.bind('UDP', sport, dstIp, dport, this);
    this.#timer = scheduler.after(timeoutNs, 'udp-timeout', () => this.#finish(undefined));
  }

  send(payload: Payload): void {
    const stack = this.#stack;
    stack.send({ proto: 'UDP', srcIp: stack.ip, dstIp: this.#dstIp, sport: this.#sport, dport: this.#dport, flags: NO_FLAGS, payload });
  }

  onPacket(p: Packet): void {
    this.#finish(p.payload ?? { kind: 'bytes', data: '' });
  }

  #finish(answer: Payload | undefined): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#socket.unbind();
    this.#scheduler.cancel(this.#timer);
    this.#done.onAnswer(answer);
  }
}
