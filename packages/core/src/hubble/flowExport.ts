import { VERDICTS, type Flow, type Policy } from './flow.ts';

/**
 * Reads what `hubble observe -o json` (and `-o jsonpb`) prints, or a Hubble exporter file: one
 * JSON object per line, each a GetFlowsResponse envelope `{"flow": {...}, "node_name": ..,
 * "time": ..}` (hubble 0.11+), or a bare flow (hubble 0.10 and `HUBBLE_COMPAT=legacy-json-output`).
 * Lines with `node_status` or `lost_events` carry no flow and are skipped; a JSON array of either
 * shape is read too. The flows come back in Hubble's field names, as `Flow`. Pure.
 */
export interface FlowExportIssue {
  /** 1-based line of the export (the array element's index + 1 for an array). */
  readonly line: number;
  readonly message: string;
}

export function parseFlowExport(text: string): { flows: Flow[]; issues: FlowExportIssue[] } {
  const flows: Flow[] = [];
  const issues: FlowExportIssue[] = [];
  const read = (value: unknown, line: number): void => {
    const r = flowFromJson(value);
    if (typeof r === 'string') issues.push({ line, message: r });
    else if (r !== undefined) flows.push(r);
  };
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) {
    let all: unknown;
    try {
      all = JSON.parse(trimmed);
    } catch (e) {
      return { flows, issues: [{ line: 1, message: `not JSON: ${e instanceof Error ? e.message : String(e)}` }] };
    }
    if (Array.isArray(all)) for (const [i, v] of all.entries()) read(v, i + 1);
    return { flows, issues };
  }
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      issues.push({ line: i + 1, message: `not a JSON object: ${e instanceof Error ? e.message : String(e)}` });
      return;
    }
    read(value, i + 1);
  });
  return { flows, issues };
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * One export line (envelope or bare flow) as a Flow; undefined for a line without a flow
 * (`node_status`, `lost_events`); a sentence for a line that is not Hubble's shape.
 */
export function flowFromJson(value: unknown): Flow | undefined | string {
  if (!isObj(value)) return 'expected a JSON object per line';
  if (
    value['node_status'] !== undefined ||
    value['lost_events'] !== undefined ||
    value['agent_event'] !== undefined ||
    value['debug_event'] !== undefined
  )
    return undefined;
  const envelope = isObj(value['flow']);
  const f = envelope ? (value['flow'] as Obj) : value;
  const verdict = f['verdict'];
  if (typeof verdict !== 'string' || !(VERDICTS as readonly string[]).includes(verdict))
    return `no flow here: expected {"flow": {...}} or a flow with a verdict (got ${verdict === undefined ? 'no verdict' : JSON.stringify(verdict)})`;
  const nodeName = typeof f['node_name'] === 'string' ? f['node_name'] : typeof value['node_name'] === 'string' ? value['node_name'] : '';
  const eventType = isObj(f['event_type']) ? (f['event_type'] as Obj) : {};
  // The JSON is Flow's own shape (proto field names); only 64-bit integers arrive as strings.
  const flow = {
    ...f,
    time: typeof f['time'] === 'string' ? f['time'] : typeof value['time'] === 'string' ? value['time'] : '',
    node_name: nodeName,
    event_type: {
      type: Number(eventType['type'] ?? 0),
      ...(eventType['sub_type'] === undefined ? {} : { sub_type: Number(eventType['sub_type']) }),
    },
    ...(isObj(f['l7']) ? { l7: { ...(f['l7'] as Obj), ...latency(f['l7'] as Obj) } } : {}),
    ...policyLists(f),
  } as unknown as Flow;
  return flow;
}

function latency(l7: Obj): Obj {
  return l7['latency_ns'] === undefined ? {} : { latency_ns: Number(l7['latency_ns']) };
}

function policyLists(f: Obj): Partial<Record<string, Policy[]>> {
  const out: Partial<Record<string, Policy[]>> = {};
  for (const key of ['egress_allowed_by', 'ingress_allowed_by', 'egress_denied_by', 'ingress_denied_by']) {
    const list = f[key];
    if (!Array.isArray(list)) continue;
    out[key] = list.filter(isObj).map((p) => ({
      ...(p as unknown as Policy),
      // `kind` arrived in Cilium 1.17; before, the policy's labels say where it came from.
      kind: typeof p['kind'] === 'string' ? p['kind'] : derivedFrom(p['labels']),
      ...(p['revision'] === undefined ? {} : { revision: Number(p['revision']) }),
    }));
  }
  return out;
}

const DERIVED_FROM = 'k8s:io.cilium.k8s.policy.derived-from=';

function derivedFrom(labels: unknown): string {
  const label = Array.isArray(labels) ? labels.find((l): l is string => typeof l === 'string' && l.startsWith(DERIVED_FROM)) : undefined;
  return label === undefined ? 'CiliumNetworkPolicy' : label.slice(DERIVED_FROM.length);
}
