import { SimError } from '../errors.ts';
import { explainPolicy, explanationLines, type ExplainQuery, type LivePolicy, type PolicyExplanation } from '../policy/explain.ts';
import type { IdentityInfo } from '../policy/peerSelector.ts';
import { PROTOCOL_NUMBERS } from '../policy/u8proto.ts';
import { DropReasonCode, dropReasonText, policyDropReason } from './dropReason.ts';

/**
 * `cilium policy trace`: what the datapath's policy stage would do with one packet, without
 * sending it. The source endpoint's egress lookup, then the destination endpoint's ingress
 * lookup, as `Datapath` makes them, each explained from the live policy (policy/explain.ts),
 * and the drop reason the datapath would report for a drop.
 */
export interface PolicyTraceQuery {
  readonly src: IdentityInfo;
  readonly dst: IdentityInfo;
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
  /** The source is a local endpoint, so its egress policy applies (a reserved or outside source has none). */
  readonly srcIsEndpoint: boolean;
  readonly dstIsEndpoint: boolean;
}

/** One direction's explanation and, for a drop, Hubble's text for its drop reason. */
export interface DirectionTrace extends PolicyExplanation {
  /** `Policy denied` (133) or `Policy denied by denylist` (181). */
  readonly dropReason?: string;
}

export interface PolicyTrace {
  readonly egress?: DirectionTrace;
  readonly ingress?: DirectionTrace;
  readonly allowed: boolean;
  readonly text: string;
}

const RULE = '-'.repeat(64);

/** Traces a packet from `src` to `dst:port` through the live policy. Throws INVALID_PORT for a bad port or protocol. */
export function policyTrace(live: LivePolicy, q: PolicyTraceQuery): PolicyTrace {
  const proto = PROTOCOL_NUMBERS[q.protocol];
  if (proto === undefined || !Object.hasOwn(PROTOCOL_NUMBERS, q.protocol)) {
    throw new SimError({
      code: 'INVALID_PORT',
      object: 'cilium policy trace',
      path: '--dport',
      message: `unsupported protocol ${JSON.stringify(q.protocol)}; use one of ${Object.keys(PROTOCOL_NUMBERS).join(', ')}`,
    });
  }
  if (!Number.isInteger(q.port) || q.port < 1 || q.port > 65535) {
    throw new SimError({
      code: 'INVALID_PORT',
      object: 'cilium policy trace',
      path: '--dport',
      message: `port ${q.port} is out of range 1-65535`,
    });
  }
  const packet = { proto, port: q.port };
  const egress = q.srcIsEndpoint ? traceDirection(live, { subject: q.src, remote: q.dst, direction: 'EGRESS', ...packet }) : undefined;
  const ingress = q.dstIsEndpoint ? traceDirection(live, { subject: q.dst, remote: q.src, direction: 'INGRESS', ...packet }) : undefined;
  const allowed = (egress?.decision.allowed ?? true) && (ingress?.decision.allowed ?? true);
  const parts = [egress, ingress].filter((e) => e !== undefined).map(renderDirectionTrace);
  return {
    ...(egress === undefined ? {} : { egress }),
    ...(ingress === undefined ? {} : { ingress }),
    allowed,
    text: `${RULE}\n${parts.join(`\n${RULE}\n`)}\n`,
  };
}

/** One direction of a trace: the explanation, with the drop reason the datapath reports when it drops. */
export function traceDirection(live: LivePolicy, q: ExplainQuery): DirectionTrace {
  const e = explainPolicy(live, q);
  if (e.decision.allowed) return e;
  return { ...e, dropReason: dropReasonText(DropReasonCode[policyDropReason(e.decision)]) };
}

/** The direction as `cilium policy trace` prints it: the explanation, then the final verdict. Pure. */
export function renderDirectionTrace(t: DirectionTrace): string {
  const verdict = `Final verdict: ${t.decision.allowed ? 'ALLOWED' : 'DENIED'}${t.dropReason === undefined ? '' : ` (${t.dropReason})`}`;
  return [...explanationLines(t), '', verdict].join('\n');
}
