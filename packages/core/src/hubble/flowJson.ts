import type { Endpoint, Flow, Layer4, Layer7, Policy } from './flow.ts';

/** A JSON value, as protojson writes it. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type Field = readonly [string, Json | undefined];

/** A protojson message: fields in proto declaration order, zero values left out. */
function message(fields: readonly Field[]): { [key: string]: Json } | undefined {
  const out: { [key: string]: Json } = {};
  for (const [key, value] of fields) {
    if (value === undefined || value === 0 || value === '' || value === false) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = value;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

/** protojson prints 64-bit integers as strings. */
const uint64 = (n: number | undefined): string | undefined => (n === undefined || n === 0 ? undefined : String(n));
const list = <T>(xs: readonly T[] | undefined, f: (x: T) => Json | undefined): Json[] | undefined => xs?.map((x) => f(x) ?? {});

function endpoint(ep: Endpoint | undefined): Json | undefined {
  if (ep === undefined) return undefined;
  return (
    message([
      ['ID', ep.ID],
      ['identity', ep.identity],
      ['cluster_name', ep.cluster_name],
      ['namespace', ep.namespace],
      ['labels', ep.labels === undefined ? undefined : [...ep.labels]],
      ['pod_name', ep.pod_name],
      [
        'workloads',
        list(ep.workloads, (w) =>
          message([
            ['name', w.name],
            ['kind', w.kind],
          ]),
        ),
      ],
    ]) ?? {}
  );
}

function layer4(l4: Layer4 | undefined): Json | undefined {
  if (l4 === undefined) return undefined;
  const ports = (p: { source_port?: number; destination_port?: number }): Field[] => [
    ['source_port', p.source_port],
    ['destination_port', p.destination_port],
  ];
  if ('TCP' in l4) {
    const f = l4.TCP.flags ?? {};
    const flags = message((['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'NS'] as const).map((k) => [k, f[k]]));
    return { TCP: message([...ports(l4.TCP), ['flags', flags]]) ?? {} };
  }
  if ('UDP' in l4) return { UDP: message(ports(l4.UDP)) ?? {} };
  if ('SCTP' in l4) return { SCTP: message(ports(l4.SCTP)) ?? {} };
  const icmp = 'ICMPv4' in l4 ? l4.ICMPv4 : l4.ICMPv6;
  return {
    ['ICMPv4' in l4 ? 'ICMPv4' : 'ICMPv6']:
      message([
        ['type', icmp.type],
        ['code', icmp.code],
      ]) ?? {},
  };
}

function layer7(l7: Layer7 | undefined): Json | undefined {
  if (l7 === undefined) return undefined;
  const dns = l7.dns;
  const http = l7.http;
  return message([
    ['type', l7.type],
    ['latency_ns', uint64(l7.latency_ns)],
    [
      'dns',
      dns === undefined
        ? undefined
        : (message([
            ['query', dns.query],
            ['ips', dns.ips && [...dns.ips]],
            ['ttl', dns.ttl],
            ['cnames', dns.cnames && [...dns.cnames]],
            ['observation_source', dns.observation_source],
            ['rcode', dns.rcode],
            ['qtypes', dns.qtypes && [...dns.qtypes]],
            ['rrtypes', dns.rrtypes && [...dns.rrtypes]],
          ]) ?? {}),
    ],
    [
      'http',
      http === undefined
        ? undefined
        : (message([
            ['code', http.code],
            ['method', http.method],
            ['url', http.url],
            ['protocol', http.protocol],
            [
              'headers',
              list(http.headers, (h) =>
                message([
                  ['key', h.key],
                  ['value', h.value],
                ]),
              ),
            ],
          ]) ?? {}),
    ],
  ]);
}

function policies(ps: readonly Policy[] | undefined): Json[] | undefined {
  return list(ps, (p) =>
    message([
      ['name', p.name],
      ['namespace', p.namespace],
      ['labels', p.labels && [...p.labels]],
      ['revision', uint64(p.revision)],
      ['kind', p.kind],
    ]),
  );
}

/**
 * The flow as Hubble's protojson: proto field names, enums by name, zero values left out,
 * 64-bit integers as strings. It is Hubble's own data format (what `hubble observe -o json`
 * prints inside each line and what an exported flow log holds), so it belongs with the flow.
 * Pure.
 */
export function flowToJson(flow: Flow): { [key: string]: Json } {
  const svc = (s: Flow['source_service']): Json | undefined =>
    s === undefined
      ? undefined
      : message([
          ['name', s.name],
          ['namespace', s.namespace],
        ]);
  const fields: Field[] = [
    ['time', flow.time],
    ['uuid', flow.uuid],
    ['verdict', flow.verdict],
    ['drop_reason', flow.drop_reason],
    ['auth_type', flow.auth_type === 'DISABLED' ? undefined : flow.auth_type],
    [
      'IP',
      flow.IP &&
        message([
          ['source', flow.IP.source],
          ['source_xlated', flow.IP.source_xlated],
          ['destination', flow.IP.destination],
          ['ipVersion', flow.IP.ipVersion],
          ['encrypted', flow.IP.encrypted],
        ]),
    ],
    ['l4', layer4(flow.l4)],
    ['source', endpoint(flow.source)],
    ['destination', endpoint(flow.destination)],
    ['Type', flow.Type],
    ['node_name', flow.node_name],
    ['source_names', flow.source_names && [...flow.source_names]],
    ['destination_names', flow.destination_names && [...flow.destination_names]],
    ['l7', layer7(flow.l7)],
    // The deprecated `reply` bool is still filled from is_reply by Hubble's parsers.
    ['reply', flow.is_reply === true],
    [
      'event_type',
      message([
        ['type', flow.event_type.type],
        ['sub_type', flow.event_type.sub_type],
      ]) ?? {},
    ],
    ['source_service', svc(flow.source_service)],
    ['destination_service', svc(flow.destination_service)],
    ['traffic_direction', flow.traffic_direction],
    ['policy_match_type', flow.policy_match_type],
    ['trace_observation_point', flow.trace_observation_point],
    ['trace_reason', flow.trace_reason],
    ['drop_reason_desc', flow.drop_reason_desc],
  ];
  const out = message(fields) ?? {};
  // is_reply is a BoolValue wrapper: present-and-false is printed, absent means unknown.
  const rest = message([
    ['proxy_port', flow.proxy_port],
    ['Summary', flow.Summary],
    ['egress_allowed_by', policies(flow.egress_allowed_by)],
    ['ingress_allowed_by', policies(flow.ingress_allowed_by)],
    ['egress_denied_by', policies(flow.egress_denied_by)],
    ['ingress_denied_by', policies(flow.ingress_denied_by)],
  ]);
  return { ...out, ...(flow.is_reply === undefined ? {} : { is_reply: flow.is_reply }), ...rest };
}
