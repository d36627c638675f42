import type { CtEntry } from './conntrack.ts';
import { FLAG_BITS, tcpFlagBits, type TcpFlags } from './packet.ts';

/** The agent's `monitor-aggregation` levels, from reporting every packet to reporting the least. */
export const MONITOR_AGGREGATION_LEVELS = ['none', 'lowest', 'low', 'medium', 'maximum'] as const;
export type MonitorAggregationLevel = (typeof MONITOR_AGGREGATION_LEVELS)[number];

/** The agent's settings for it: `monitor-aggregation` and `monitor-aggregation-interval`. */
export interface MonitorAggregation {
  level: MonitorAggregationLevel;
  intervalNs: number;
}

export const DEFAULT_MONITOR_AGGREGATION: Readonly<MonitorAggregation> = { level: 'medium', intervalNs: 5_000_000_000 };

/**
 * Whether a packet delivered to an endpoint yields a trace event, updating the connection's
 * report state when it does. From `medium` on (the default), Cilium reports a connection's
 * packets in one direction only when they carry a TCP flag not yet reported in that direction,
 * or once `monitor-aggregation-interval` has passed since the last report (bpf/lib/conntrack.h):
 * a handshake, the first data each way and the close show in Hubble, the thousandth ACK of a
 * transfer does not. A FIN or RST is always reported (the connection is closing). Below
 * `medium`, every packet is reported. Drops and policy verdicts are never aggregated.
 */
export function reportTrace(ct: CtEntry, flags: TcpFlags, isReply: boolean, nowNs: number, settings: MonitorAggregation): boolean {
  if (settings.level !== 'medium' && settings.level !== 'maximum') return true;
  const last = isReply ? ct.lastRxReportNs : ct.lastTxReportNs;
  const recent = last >= 0 && nowNs - last < settings.intervalNs;
  // The flags object of the direction's last packet that was not closing: its flags are all
  // reported already, so the same object again (a stack's constant) needs no bits worked out.
  if (recent && flags === (isReply ? ct.rxFlags : ct.txFlags)) return false;
  const bits = tcpFlagBits(flags);
  const seen = isReply ? ct.rxFlagsSeen : ct.txFlagsSeen;
  const closing = (bits & (FLAG_BITS.FIN | FLAG_BITS.RST)) !== 0;
  if (isReply) {
    if (!closing) ct.rxFlags = flags;
  } else if (!closing) ct.txFlags = flags;
  if (!closing && (bits & ~seen) === 0 && recent) return false;
  if (isReply) {
    ct.rxFlagsSeen = seen | bits;
    ct.lastRxReportNs = nowNs;
  } else {
    ct.txFlagsSeen = seen | bits;
    ct.lastTxReportNs = nowNs;
  }
  return true;
}
