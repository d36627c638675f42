import { SimError } from '../errors.ts';
import { RUNTIME_EVENT_TYPES, type RuntimeEvent, type RuntimeEventTypeName } from './runtimeEvent.ts';

/**
 * One of Tetragon's event filters (api/v1/tetragon/events.proto `Filter`): each field given must
 * match (AND), and within a field any value may (OR). Omitted or empty fields match everything.
 */
export interface RuntimeEventFilter {
  /** Kubernetes namespaces of the process's pod; `''` matches processes on the node itself (`tetra getevents --host`). */
  readonly namespace?: readonly string[];
  /** Regular expressions searched in the pod's name (`--pod`); never matches a process outside a pod. */
  readonly podRegex?: readonly string[];
  /** Regular expressions searched in the binary's path (`--process curl` matches `/usr/bin/curl`). */
  readonly binaryRegex?: readonly string[];
  /** Event types by Tetragon's names: `PROCESS_EXEC`, `PROCESS_EXIT`, `PROCESS_KPROBE`. */
  readonly eventSet?: readonly RuntimeEventTypeName[];
  /** Tracing policies that made a kprobe event (`connect`); other events never match. */
  readonly policyNames?: readonly string[];
}

/** Which events `cluster.inspect.runtimeEvents` returns. */
export interface RuntimeEventQuery {
  /** One node's events; every node's (merged in time order) when omitted. */
  readonly node?: string;
  /** An event is returned when any filter matches; every event when omitted or empty. */
  readonly allowList?: readonly RuntimeEventFilter[];
  /** An event is left out when any filter matches. */
  readonly denyList?: readonly RuntimeEventFilter[];
}

type Predicate = (e: RuntimeEvent) => boolean;

/** Compiles a filter, refusing a pattern that is not a regular expression (SimError INVALID_REGEX). */
export function compileRuntimeEventFilter(f: RuntimeEventFilter): Predicate {
  const checks: Predicate[] = [];
  if (f.namespace !== undefined && f.namespace.length > 0) {
    const namespaces = new Set(f.namespace);
    checks.push((e) => namespaces.has(e.process.pod?.namespace ?? ''));
  }
  if (f.podRegex !== undefined && f.podRegex.length > 0) {
    const res = f.podRegex.map((s) => regex(s, 'podRegex'));
    checks.push((e) => e.process.pod !== undefined && res.some((r) => r.test(e.process.pod!.name)));
  }
  if (f.binaryRegex !== undefined && f.binaryRegex.length > 0) {
    const res = f.binaryRegex.map((s) => regex(s, 'binaryRegex'));
    checks.push((e) => res.some((r) => r.test(e.process.binary)));
  }
  if (f.eventSet !== undefined && f.eventSet.length > 0) {
    const known: readonly string[] = Object.values(RUNTIME_EVENT_TYPES);
    for (const t of f.eventSet) {
      if (!known.includes(t))
        throw new SimError({
          code: 'INVALID_FIELD',
          object: 'runtime event filter',
          path: 'eventSet',
          message: `unknown event type "${t}"; the simulated agents record ${known.join(', ')}`,
        });
    }
    const types = new Set<string>(f.eventSet);
    checks.push((e) => types.has(RUNTIME_EVENT_TYPES[e.type]));
  }
  if (f.policyNames !== undefined && f.policyNames.length > 0) {
    const names = new Set(f.policyNames);
    checks.push((e) => e.type === 'process_kprobe' && names.has(e.policyName));
  }
  return (e) => checks.every((c) => c(e));
}

/** The events of `events` the query's allow and deny lists keep, in their order. */
export function filterRuntimeEvents(events: readonly RuntimeEvent[], query: RuntimeEventQuery): RuntimeEvent[] {
  const allow = (query.allowList ?? []).map(compileRuntimeEventFilter);
  const deny = (query.denyList ?? []).map(compileRuntimeEventFilter);
  return events.filter((e) => (allow.length === 0 || allow.some((f) => f(e))) && !deny.some((f) => f(e)));
}

function regex(source: string, path: string): RegExp {
  try {
    return new RegExp(source);
  } catch (e) {
    throw new SimError({
      code: 'INVALID_REGEX',
      object: 'runtime event filter',
      path,
      message: `"${source}" is not a valid regular expression (${e instanceof Error ? e.message : String(e)})`,
    });
  }
}
