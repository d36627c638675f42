import { dropReasonByCode, dropReasonByDesc } from '../datapath/dropReason.ts';
import { EventType, TRACE_POINTS, type Flow } from './flow.ts';
import { flowSummary } from './summary.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Applies the decoding rules of Hubble's parsers to a flow the datapath emitted, so what the
 * observer stores is what a real Hubble would have produced from the same event:
 *
 * - drop events: `is_reply` is unknown (the compact line shows `<>`); `drop_reason`,
 *   `drop_reason_desc` and `event_type.sub_type` all carry the reason, whichever was given;
 * - policy-verdict events: `is_reply` is false when allowed or audited, unknown when denied;
 * - `auth_type` survives only on policy-verdict events, the only ones it is decoded from,
 *   so `; Auth: SPIRE` never appears on a drop or trace line;
 * - L7 events: a request is not a reply, a response is;
 * - trace events: `event_type.sub_type` follows `trace_observation_point`;
 * - `Type` is L7 when an L7 record is present, else L3_L4; `Summary` is filled when absent.
 *
 * Pure: returns a new frozen flow.
 */
export function normalizeFlow(input: Flow): Flow {
  const flow: Mutable<Flow> = { ...input };
  const type = flow.event_type.type;
  if (type !== EventType['policy-verdict']) delete flow.auth_type;
  else if (flow.auth_type === 'DISABLED') delete flow.auth_type;
  if (type === EventType.drop) normalizeDrop(flow);
  if (type === EventType['policy-verdict']) {
    const denied = flow.verdict === 'DROPPED' || flow.verdict === 'ERROR';
    if (denied) delete flow.is_reply;
    else flow.is_reply = false;
  }
  if (type === EventType.trace && flow.trace_observation_point !== undefined) {
    const point = TRACE_POINTS.find((p) => p.enum === flow.trace_observation_point);
    if (point !== undefined) flow.event_type = { type, sub_type: point.subType };
  }
  if (type === EventType.l7 && flow.l7 !== undefined && flow.is_reply === undefined) {
    flow.is_reply = flow.l7.type === 'RESPONSE';
  }
  flow.Type ??= flow.l7 !== undefined ? 'L7' : 'L3_L4';
  flow.Summary ??= flowSummary(flow);
  return Object.freeze(flow);
}

function normalizeDrop(flow: Mutable<Flow>): void {
  delete flow.is_reply;
  const code =
    flow.drop_reason ??
    (flow.drop_reason_desc !== undefined ? dropReasonByDesc(flow.drop_reason_desc)?.code : undefined) ??
    flow.event_type.sub_type;
  if (code === undefined) return;
  flow.drop_reason = code;
  const desc = dropReasonByCode(code)?.desc;
  if (desc !== undefined) flow.drop_reason_desc ??= desc;
  flow.event_type = { type: flow.event_type.type, sub_type: code };
}
