import type { Payload } from '../datapath/packet.ts';
import { FULL_SEGMENT_BYTES } from '../datapath/wirePayload.ts';
import { parseIpv4 } from '../ipv4.ts';
import { NS_PER_S } from '../sim/duration.ts';
import type { ScheduledEvent } from '../sim/scheduler.ts';
import type { WorkloadToolEnv } from './curl.ts';
import { hostsFileAddress, resolveName } from './dnsResolver.ts';
import { TcpClient } from './tcpClient.ts';
import { udpExchange } from './udpExchange.ts';
import type { WorkloadStack } from './workloadStack.ts';

/** Segments in flight before nc waits for an ACK: Linux's initial congestion window (IW10). */
const SEND_WINDOW = 10;

/** One full-size segment of the file nc streams; its bytes mean nothing to the network. */
const DATA_SEGMENT: Payload = Object.freeze({ kind: 'bytes', data: '', size: FULL_SEGMENT_BYTES });

/**
 * The most segments one nc streams: each is a few events on the virtual clock, so a count of
 * billions would run for hours; a million full-size segments (about 1.4 GB) stays well inside
 * one step's event limit.
 */
export const MAX_NC_SEGMENTS = 1_000_000;

export interface NcOptions {
  readonly host: string;
  readonly port: number;
  readonly udp?: boolean;
  /** nc -w: seconds to wait for a connection (TCP) or the echo (UDP). */
  readonly timeoutS?: number;
  /**
   * TCP only: full-size data segments to stream once connected, as `nc HOST PORT < file` does;
   * nc closes when the server has acknowledged them all. Omitted or 0: the `-z` probe. At most
   * MAX_NC_SEGMENTS.
   */
  readonly segments?: number;
}

export type NcResult =
  | { readonly ok: true; readonly ip: string; readonly segments?: number }
  | { readonly ok: false; readonly reason: 'refused' | 'timeout' | 'resolve' | 'reset'; readonly ip?: string };

/**
 * `nc -z` as a reachability probe. TCP succeeds on a completed handshake. UDP succeeds only
 * when the server's echo comes back, so UDP reachability is observable in the sandbox (the
 * real `nc -zu` reports success without an answer).
 */
export function runNc(env: WorkloadToolEnv, stack: WorkloadStack, opts: NcOptions, done: (r: NcResult) => void): void {
  const { scheduler, rng } = env;
  const segments = opts.segments ?? 0;
  const waitNs = (opts.timeoutS ?? (opts.udp === true ? 2 : 127)) * NS_PER_S;
  const probe = (ip: string): void => {
    const proto = opts.udp === true ? 'UDP' : 'TCP';
    const sport = rng.int(32768, 60999);
    if (proto === 'UDP') {
      udpExchange(stack, scheduler, rng, sport, ip, opts.port, { kind: 'bytes', data: 'X' }, waitNs, {
        onAnswer: (answer) => done(answer === undefined ? { ok: false, reason: 'timeout', ip } : { ok: true, ip }),
      });
      return;
    }
    const target = stack.connectTarget(sport, ip, opts.port, proto, rng.below);
    if (target === undefined) return done({ ok: false, reason: 'refused', ip });
    let finished = false;
    const finish = (r: NcResult): void => {
      if (finished) return;
      finished = true;
      scheduler.cancel(timer);
      done(r);
    };
    let sent = 0;
    let acked = 0;
    const fill = (): void => {
      for (; sent < segments && sent - acked < SEND_WINDOW; sent++) client.send(DATA_SEGMENT);
    };
    const client = new TcpClient(stack, scheduler, sport, target.ip, target.port, {
      onConnect(result) {
        if (result !== 'connected') return finish({ ok: false, reason: result === 'refused' ? 'refused' : 'timeout', ip });
        if (segments > 0) return fill();
        client.close();
        finish({ ok: true, ip });
      },
      onAck() {
        acked++;
        if (acked < segments) return fill();
        client.close();
        finish({ ok: true, ip, segments });
      },
      onReset() {
        finish({ ok: false, reason: 'reset', ip });
      },
    });
    // The wait covers the handshake and, while streaming, each stretch without an acknowledgement
    // (a policy change may drop the rest of a transfer).
    let progress = -1;
    const watch = (): ScheduledEvent =>
      scheduler.after(waitNs, 'nc-timeout', () => {
        if (sent > 0 && acked > progress) {
          progress = acked;
          timer = watch();
          return;
        }
        client.abort();
        finish({ ok: false, reason: 'timeout', ip });
      });
    let timer = watch();
    env.onConnect?.(sport, target.ip, target.port);
    client.connect();
  };
  if (parseIpv4(opts.host) !== undefined) return probe(opts.host);
  const fromHosts = hostsFileAddress(opts.host);
  if (fromHosts !== undefined) return probe(fromHosts);
  resolveName(stack, scheduler, rng, opts.host, env.resolvConf, {
    onResolved: (_name, ips) => probe(ips[0]!),
    onUnresolved: () => done({ ok: false, reason: 'resolve' }),
  });
}
