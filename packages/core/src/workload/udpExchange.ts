import type { Payload } from '../datapath/packet.ts';
import type { Rng } from '../sim/rng.ts';
import type { Scheduler } from '../sim/scheduler.ts';
import type { WorkloadStack } from './workloadStack.ts';

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
  done: (answer: Payload | undefined) => void,
): void {
  const target = stack.connectTarget(sport, addrIp, addrPort, 'UDP', (n) => rng.int(0, n - 1));
  if (target === undefined) {
    scheduler.after(0, 'udp-unreachable', () => done(undefined));
    return;
  }
  const dstIp = target.ip;
  const dport = target.port;
  let finished = false;
  const finish = (answer: Payload | undefined): void => {
    if (finished) return;
    finished = true;
    unbind();
    scheduler.cancel(timer);
    done(answer);
  };
  const unbind = stack.bind('UDP', sport, dstIp, dport, { onPacket: (p) => finish(p.payload ?? { kind: 'bytes', data: '' }) });
  const timer = scheduler.after(timeoutNs, 'udp-timeout', () => finish(undefined));
  stack.send({ proto: 'UDP', srcIp: stack.ip, dstIp, sport, dport, flags: {}, payload });
}
