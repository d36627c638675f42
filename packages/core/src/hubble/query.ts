import { SimError } from '../errors.ts';
import type { Flow } from './flow.ts';
import { compileFilterLists } from './filters/compileFilters.ts';
import type { FlowFilter } from './filters/flowFilter.ts';
import { compareInstants, flowInstant, type FlowInstant } from './flowTime.ts';
import type { HubbleObserver } from './observer.ts';

/**
 * What a GetFlows request asks for. With neither `first` nor `last`, every matching flow in the
 * time range is returned; `first: n` keeps the oldest n, `last: n` the newest n. The result is
 * always oldest first, as `hubble observe` prints.
 */
export interface FlowQuery {
  readonly whitelist?: readonly FlowFilter[];
  readonly blacklist?: readonly FlowFilter[];
  readonly first?: number;
  readonly last?: number;
  /** Inclusive bounds, as instants or RFC 3339 strings. */
  readonly since?: FlowInstant | string;
  readonly until?: FlowInstant | string;
}

const QUERY_FIELDS = ['whitelist', 'blacklist', 'first', 'last', 'since', 'until'];

/** A query that is not an object of known fields, or a count that is not a whole number. */
function queryShapeProblem(query: unknown): { path?: string; message: string } | undefined {
  if (typeof query !== 'object' || query === null || Array.isArray(query))
    return {
      message: `expected an object such as { whitelist: [{ verdict: ['DROPPED'] }], last: 20 }, received ${JSON.stringify(query) ?? String(query)}`,
    };
  for (const [key, value] of Object.entries(query)) {
    if (!QUERY_FIELDS.includes(key))
      return {
        path: key,
        message: `unknown FlowQuery field "${key}"; supported fields: ${QUERY_FIELDS.join(', ')} (filters such as verdict go in whitelist: [{ ... }])`,
      };
    if ((key === 'first' || key === 'last') && value !== undefined && !(Number.isInteger(value) && (value as number) >= 0))
      return { path: key, message: `must be a whole number of 0 or more, received ${JSON.stringify(value) ?? String(value)}` };
  }
  return undefined;
}

function toInstant(t: FlowInstant | string | undefined): FlowInstant | undefined {
  return typeof t === 'string' ? flowInstant(t) : t;
}

/**
 * The flows of all nodes that match `query`, merged in time order (the Hubble Relay view).
 * Throws a SimError for filter values it cannot use. Pure with respect to the observer.
 *
 * @example queryFlows(observer, { whitelist: [{ verdict: ['DROPPED'] }], last: 20 })
 */
export function queryFlows(observer: HubbleObserver, query: FlowQuery = {}): Flow[] {
  const problem = queryShapeProblem(query);
  if (problem !== undefined) throw new SimError({ code: 'INVALID_FIELD', object: 'FlowQuery', ...problem });
  if (query.first !== undefined && query.last !== undefined) {
    throw new SimError({ code: 'INVALID_FIELD', object: 'FlowQuery', path: 'first', message: 'cannot set both first and last' });
  }
  const matches = compileFilterLists(query.whitelist, query.blacklist);
  const since = toInstant(query.since);
  const until = toInstant(query.until);
  const picked = observer
    .records()
    .filter((r) => (since === undefined || compareInstants(r.at, since) >= 0) && (until === undefined || compareInstants(r.at, until) <= 0))
    .filter((r) => matches(r.flow))
    .map((r) => r.flow);
  if (query.first !== undefined) return picked.slice(0, query.first);
  if (query.last !== undefined) return query.last === 0 ? [] : picked.slice(-query.last);
  return picked;
}
