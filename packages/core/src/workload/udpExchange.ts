import { NO_FLAGS, type Packet, type Payload } from '../datapath/packet.ts';
import type { Rng } from '../sim/rng.ts';
import type { ScheduledEvent, Scheduler } from '../sim/scheduler.ts';
import { BoundSocket, type WorkloadStack } from './workloadStack.ts';

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
  new OneExchange(stack, scheduler, rng, done).send(sport, addrIp, addrPort, payload, timeoutNs);
}

/**
 * A datagram's socket, waiting for the answer or the timeout: an object, not a scope of
 * closures. It may send again once `onAnswer` has been told (a resolver's next query); a
 * subclass is told, so a resolver's lookup is its own exchange rather than the owner of one.
 */
export abstract class UdpExchange extends BoundSocket {
  readonly #stack: WorkloadStack;
  readonly #scheduler: Scheduler;
  readonly #rng: Rng;
  #timer: ScheduledEvent | undefined = undefined;
  #finished = true;

  constructor(stack: WorkloadStack, scheduler: Scheduler, rng: Rng) {
    super();
    this.#stack = stack;
    this.#scheduler = scheduler;
    this.#rng = rng;
  }

  /** Told the first answer to the datagram sent last, or undefined when none came in time; once per send. */
  abstract onAnswer(answer: Payload | undefined): void;

  /** Sends `payload` from `sport` to `addrIp:addrPort` (translated by socket LB); `onAnswer` hears of it once. */
  send(sport: number, addrIp: string, addrPort: number, payload: Payload, timeoutNs: number): void {
    const stack = this.#stack;
    const target = stack.connectTarget(sport, addrIp, addrPort, 'UDP', this.#rng.below);
    if (target === undefined) {
      this.#scheduler.after(0, 'udp-unreachable', () => this.onAnswer(undefined));
      return;
    }
    this.#finished = false;
    stack.bind('UDP', sport, target.ip, target.port, this);
    this.#timer = this.#scheduler.afterCall(timeoutNs, 'udp-timeout', UdpExchange.#timeout, this);
    stack.send({ proto: 'UDP', srcIp: stack.ip, dstIp: target.ip, sport, dport: target.port, flags: NO_FLAGS, payload });
  }

  override onPacket(p: Packet): void {
    this.#finish(p.payload ?? { kind: 'bytes', data: '' });
  }

  static #timeout(exchange: UdpExchange): void {
    exchange.#finish(undefined);
  }

  #finish(answer: Payload | undefined): void {
    if (this.#finished) return;
    this.#finished = true;
    this.unbind();
    this.#scheduler.cancel(this.#timer!);
    this.onAnswer(answer);
  }
}

/** One datagram and its answer, for a caller with a handler of its own (`nc -u`). */
class OneExchange extends UdpExchange {
  readonly #done: UdpAnswerHandler;

  constructor(stack: WorkloadStack, scheduler: Scheduler, rng: Rng, done: UdpAnswerHandler) {
    super(stack, scheduler, rng);
    this.#done = done;
  }

  onAnswer(answer: Payload | undefined): void {
    this.#done.onAnswer(answer);
  }
}
