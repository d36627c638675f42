import type { Datapath } from '../datapath/datapath.ts';
import { NS_PER_S } from '../sim/duration.ts';
import type { Rng } from '../sim/rng.ts';
import type { Scheduler } from '../sim/scheduler.ts';
import { resolveName, type ResolvConf } from './dnsResolver.ts';
import { TcpClient } from './tcpClient.ts';
import { udpExchange } from './udpExchange.ts';
import type { WorkloadStack } from './workloadStack.ts';

export interface NcOptions {
  readonly host: string;
  readonly port: number;
  readonly udp?: boolean;
  /** nc -w: seconds to wait for a connection (TCP) or the echo (UDP). */
  readonly timeoutS?: number;
}

export type NcResult =
  | { readonly ok: true; readonly ip: string }
  | { readonly ok: false; readonly reason: 'refused' | 'timeout' | 'resolve'; readonly ip?: string };

/**
 * `nc -z` as a reachability probe. TCP succeeds on a completed handshake. UDP succeeds only
 * when the server's echo comes back, so UDP reachability is observable in the sandbox (the
 * real `nc -zu` reports success without an answer).
 */
export function runNc(
  env: { datapath: Datapath; scheduler: Scheduler; rng: Rng; resolvConf: ResolvConf },
  stack: WorkloadStack, opts: NcOptions, done: (r: NcResult) => void,
): void {
  const { scheduler, rng } = env;
  const waitNs = (opts.timeoutS ?? (opts.udp === true ? 2 : 127)) * NS_PER_S;
  const probe = (ip: string): void => {
    const proto = opts.udp === true ? 'UDP' : 'TCP';
    const sport = rng.int(32768, 60999);
    if (proto === 'UDP') {
      udpExchange(stack, scheduler, rng, sport, ip, opts.port, { kind: 'bytes', data: 'X' }, waitNs, (answer) =>
        done(answer === undefined ? { ok: false, reason: 'timeout', ip } : { ok: true, ip }));
      return;
    }
    const target = stack.connectTarget(sport, ip, opts.port, proto, (n) => rng.int(0, n - 1));
    if (target === undefined) return done({ ok: false, reason: 'refused', ip });
    let finished = false;
    const client = new TcpClient(stack, scheduler, sport, target.ip, target.port, {
      onConnect(result) {
        if (finished) return;
        finished = true;
        scheduler.cancel(timer);
        if (result === 'connected') {
          client.close();
          done({ ok: true, ip });
        } else done({ ok: false, reason: result === 'refused' ? 'refused' : 'timeout', ip });
      },
    });
    const timer = scheduler.after(waitNs, 'nc-timeout', () => {
      if (finished) return;
      finished = true;
      client.abort();
      done({ ok: false, reason: 'timeout', ip });
    });
    client.connect();
  };
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(opts.host)) return probe(opts.host);
  resolveName(stack, scheduler, rng, opts.host, env.resolvConf, (o) => (o.ok ? probe(o.ips[0]!) : done({ ok: false, reason: 'resolve' })));
}
