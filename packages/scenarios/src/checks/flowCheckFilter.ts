import { dropReasonByDesc, hubble, ReservedIdentity, SimError, type Flow } from '@cilium-sim/core';

/**
 * The `filter` of a task's flowObserved check, as data: each key names one field of a Hubble
 * FlowFilter, in the spelling of the `hubble observe` flag a learner knows (`fromPod` for
 * `--from-pod`), and every key must match (one filter, fields ANDed). The task file is not a
 * command line, so it is not parsed as one: only the source/destination keys are offered, never
 * the either-side flags (`--pod`, `-n`) whose meaning is a pair of filters.
 *
 * `authType` (SPIRE, DISABLED) has no Hubble filter; it is matched on the flow itself.
 */
type Reader = (value: string) => hubble.FlowFilter | string;

const text =
  (field: keyof hubble.FlowFilter): Reader =>
  (v) =>
    ({ [field]: [v] }) as hubble.FlowFilter;

function identity(field: 'sourceIdentity' | 'destinationIdentity'): Reader {
  return (v) => {
    const id = /^\d+$/.test(v) ? Number(v) : (ReservedIdentity as Readonly<Record<string, number>>)[v];
    return id === undefined ? `expected a numeric identity or one of ${Object.keys(ReservedIdentity).join(', ')}` : { [field]: [id] };
  };
}

/** `drop`, `policy-verdict`, `trace:to-endpoint`: Hubble's event type names. */
function eventType(v: string): hubble.FlowFilter | string {
  const [name = '', sub] = v.split(':', 2);
  const type = (hubble.EventType as Readonly<Record<string, number>>)[name];
  if (type === undefined) return `expected an event type: ${Object.keys(hubble.EventType).join(', ')}`;
  if (sub === undefined) return { eventType: [{ type }] };
  const point = type === hubble.EventType.trace ? hubble.TRACE_POINTS.find((p) => p.name === sub) : undefined;
  return point === undefined
    ? `expected a trace point after "trace:", such as trace:to-endpoint`
    : { eventType: [{ type, subType: point.subType }] };
}

const READERS: Readonly<Record<string, Reader>> = {
  fromPod: text('sourcePod'),
  toPod: text('destinationPod'),
  fromLabel: text('sourceLabel'),
  toLabel: text('destinationLabel'),
  fromIp: text('sourceIp'),
  toIp: text('destinationIp'),
  fromFqdn: text('sourceFqdn'),
  toFqdn: text('destinationFqdn'),
  fromService: text('sourceService'),
  toService: text('destinationService'),
  fromPort: text('sourcePort'),
  toPort: text('destinationPort'),
  fromIdentity: identity('sourceIdentity'),
  toIdentity: identity('destinationIdentity'),
  verdict: (v) =>
    hubble.VERDICTS.includes(v as hubble.Verdict) ? { verdict: [v as hubble.Verdict] } : `expected one of ${hubble.VERDICTS.join(', ')}`,
  dropReasonDesc: (v) =>
    dropReasonByDesc(v) === undefined ? 'expected a drop reason such as POLICY_DENIED or AUTH_REQUIRED' : { dropReasonDesc: [v] },
  type: eventType,
  protocol: text('protocol'),
  httpStatus: text('httpStatusCode'),
  httpMethod: text('httpMethod'),
  httpPath: text('httpPath'),
  httpUrl: text('httpUrl'),
  trafficDirection: (v) =>
    v.toLowerCase() === 'ingress' || v.toLowerCase() === 'egress'
      ? { trafficDirection: [v.toUpperCase() as 'INGRESS' | 'EGRESS'] }
      : 'expected ingress or egress',
  nodeName: text('nodeName'),
};

/** Keys matched on the flow directly, with no Hubble filter of their own. */
const DIRECT_KEYS = ['authType'];

/** The keys a flowObserved filter may hold. */
const FLOW_CHECK_KEYS: readonly string[] = [...Object.keys(READERS), ...DIRECT_KEYS];

/**
 * The check's filter as one FlowFilter and a predicate for what Hubble cannot filter on. Throws
 * a SimError (INVALID_FIELD, path `filter.KEY`) for an unknown key or a value it cannot use.
 *
 * @example flowCheckFilter({ fromPod: 'default/pod-worker', verdict: 'DROPPED' }).filter
 *   // { sourcePod: ['default/pod-worker'], verdict: ['DROPPED'] }
 */
export function flowCheckFilter(keys: Readonly<Record<string, string>>): { filter: hubble.FlowFilter; matches: (f: Flow) => boolean } {
  let filter: hubble.FlowFilter = {};
  for (const [key, value] of Object.entries(keys)) {
    if (DIRECT_KEYS.includes(key)) continue;
    const read = READERS[key];
    const fields = read === undefined ? `unknown key; supported keys: ${FLOW_CHECK_KEYS.join(', ')}` : read(value);
    if (typeof fields === 'string') throw new SimError({ code: 'INVALID_FIELD', path: `filter.${key}`, message: fields });
    filter = { ...filter, ...fields };
  }
  // Values such as a bad CIDR or regular expression are refused by the filter's own compiler.
  hubble.compileFlowFilter(filter);
  const authType = keys['authType'];
  return { filter, matches: (f) => authType === undefined || f.auth_type === authType };
}
