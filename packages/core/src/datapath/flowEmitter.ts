import type { CtEntry } from './conntrack.ts';
import type { Direction } from '../policy/direction.ts';
import type { PolicyDecision } from '../policy/policyDecision.ts';
import type { Packet } from './packet.ts';
import type { DropReason } from './dropReason.ts';

/** An L7 record as Hubble's flow `l7` field holds it. */
export interface L7Record {
  readonly type: 'REQUEST' | 'RESPONSE';
  readonly latency_ns?: number;
  readonly http?: {
    readonly code?: number;
    readonly method: string;
    readonly url: string;
    readonly protocol: string;
    readonly headers?: readonly { key: string; value: string }[];
  };
  readonly dns?: {
    readonly query: string;
    readonly ips?: readonly string[];
    readonly ttl?: number;
    readonly rcode?: number;
    readonly qtypes: readonly string[];
    readonly rrtypes?: readonly string[];
    readonly observation_source: string;
  };
}

/** The datapath's and proxy's monitor events, turned into Hubble flows by whoever implements this. */
export interface FlowEmitter {
  /** A trace event; `sourceXlated` is the address an SNAT gave the packet (Hubble's `IP.source_xlated`). */
  trace(
    p: Packet,
    point: 'TO_ENDPOINT' | 'TO_STACK' | 'TO_PROXY' | 'TO_OVERLAY' | 'TO_NETWORK',
    isReply: boolean,
    ct: CtEntry,
    nodeName: string | undefined,
    sourceXlated?: string,
  ): void;
  policyVerdict(p: Packet, dir: Direction, decision: PolicyDecision, verdict: 'FORWARDED' | 'DROPPED' | 'AUDIT', nodeName: string): void;
  drop(p: Packet, dir: Direction, reason: DropReason, nodeName: string, decision: PolicyDecision): void;
  /** An access-log record of the L7 proxy; `p` is the packet carrying the request or response. */
  l7(p: Packet, dir: Direction, verdict: 'FORWARDED' | 'DROPPED', nodeName: string, record: L7Record, isReply: boolean, ct: CtEntry): void;
}
