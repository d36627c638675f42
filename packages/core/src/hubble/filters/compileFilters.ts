import type { Flow } from '../flow.ts';
import { clusterFilters } from './cluster.ts';
import { dropReasonDescFilters } from './dropReasonDesc.ts';
import { encryptedFilters } from './encrypted.ts';
import { eventTypeFilters } from './eventType.ts';
import { filterError, filterShapeError, type FilterBuilder, type FilterFunc, type FlowFilter } from './flowFilter.ts';
import { fqdnFilters } from './fqdn.ts';
import { httpFilters } from './http.ts';
import { identityFilters } from './identity.ts';
import { ipFilters } from './ip.ts';
import { ipVersionFilters } from './ipVersion.ts';
import { labelFilters } from './label.ts';
import { nodeNameFilters } from './nodeName.ts';
import { podFilters } from './pod.ts';
import { portFilters } from './port.ts';
import { protocolFilters } from './protocol.ts';
import { replyFilters } from './reply.ts';
import { serviceFilters } from './service.ts';
import { tcpFlagsFilters } from './tcpFlags.ts';
import { trafficDirectionFilters } from './trafficDirection.ts';
import { uuidFilters } from './uuid.ts';
import { verdictFilters } from './verdict.ts';
import { workloadFilters } from './workload.ts';

/** Every filter dimension Hubble's server applies, one builder per file. */
const BUILDERS: readonly FilterBuilder[] = [
  uuidFilters,
  ipFilters,
  podFilters,
  fqdnFilters,
  labelFilters,
  serviceFilters,
  workloadFilters,
  identityFilters,
  portFilters,
  clusterFilters,
  verdictFilters,
  dropReasonDescFilters,
  eventTypeFilters,
  httpFilters,
  protocolFilters,
  tcpFlagsFilters,
  nodeNameFilters,
  ipVersionFilters,
  trafficDirectionFilters,
  replyFilters,
  encryptedFilters,
];

/**
 * One FlowFilter as a predicate: every set field must match. Validates the values once, up
 * front, and throws a SimError (code INVALID_FIELD) naming the field of a value it cannot use.
 */
export function compileFlowFilter(ff: FlowFilter): FilterFunc {
  const shape = filterShapeError(ff);
  if (shape !== undefined) throw shape;
  const fs = BUILDERS.flatMap((build) => build(ff));
  return (flow) => fs.every((f) => f(flow));
}

/**
 * A whitelist and a blacklist as one predicate, as Hubble's GetFlows applies them: a flow passes
 * when the whitelist is empty or one of its filters matches, and no blacklist filter matches.
 *
 * @example compileFilterLists([{ verdict: ['DROPPED'] }], [{ sourcePod: ['kube-system/'] }])
 */
export function compileFilterLists(whitelist: readonly FlowFilter[] = [], blacklist: readonly FlowFilter[] = []): (flow: Flow) => boolean {
  if (!Array.isArray(whitelist)) throw filterError('whitelist', 'must be a list of FlowFilters');
  if (!Array.isArray(blacklist)) throw filterError('blacklist', 'must be a list of FlowFilters');
  const allow = whitelist.map(compileFlowFilter);
  const deny = blacklist.map(compileFlowFilter);
  return (flow) => (allow.length === 0 || allow.some((f) => f(flow))) && !deny.some((f) => f(flow));
}
