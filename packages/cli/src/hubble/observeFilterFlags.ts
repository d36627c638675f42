import { dropReasonByDesc, hubble, isSimError, ReservedIdentity } from '@cilium-sim/core';
import type { FilterTracker } from './observeFilterTracker.ts';

type FlowFilter = hubble.FlowFilter;
type EventTypeFilter = hubble.EventTypeFilter;
type TcpFlags = hubble.TcpFlags;
type Verdict = hubble.Verdict;
const { EventType, TRACE_POINTS, VERDICTS } = hubble;

/** Returns an error message for a value it cannot use, undefined when the value was added. */
type Apply = (t: FilterTracker, value: string) => string | undefined;

export interface FilterFlag {
  readonly short?: string;
  /** Flags with a default for a bare `--flag` (pflag's NoOptDefVal) never take the next argument. */
  readonly noValue?: boolean;
  readonly apply: Apply;
}

/** Adds a value after checking it with the same builder the server-side filter uses. */
function field(side: 'left' | 'right' | 'both', name: keyof FlowFilter, convert: (v: string) => unknown = (v) => v): Apply {
  return (t, value) => {
    const converted = convert(value);
    try {
      hubble.compileFlowFilter({ [name]: [converted] } as FlowFilter);
    } catch (e) {
      if (isSimError(e)) return e.issues[0]!.message;
      throw e;
    }
    t.add(side, name, converted);
    return undefined;
  };
}

/** `--pod`-style flags: source on the left filter, destination on the right one. */
function either(source: keyof FlowFilter, destination: keyof FlowFilter, convert?: (v: string) => unknown): Apply {
  const left = field('left', source, convert);
  const right = field('right', destination, convert);
  return (t, v) => left(t, v) ?? right(t, v);
}

function parseIdentity(v: string): number | undefined {
  if (/^\d+$/.test(v)) return Number(v);
  return (ReservedIdentity as Record<string, number>)[v];
}

function identity(build: (id: number) => Apply): Apply {
  return (t, v) => {
    const id = parseIdentity(v);
    if (id === undefined)
      return `invalid security identity, expected one of [${Object.keys(ReservedIdentity).join(' ')}] or a numeric value`;
    return build(id)(t, v);
  };
}

function workload(v: string): { kind?: string; name: string } {
  const slash = v.indexOf('/');
  return slash === -1 ? { name: v } : { kind: v.slice(0, slash), name: v.slice(slash + 1) };
}

function eventType(v: string): EventTypeFilter | string {
  const [typeText = '', sub] = v.split(/:(.*)/s, 2);
  let type: number | undefined = (EventType as Record<string, number>)[typeText];
  if (type === undefined) {
    if (!/^\d+$/.test(typeText)) return `unable to parse type '${typeText}', not a known type name and unable to parse as numeric value`;
    type = Number(typeText);
  }
  if (sub === undefined) return { type };
  const point = type === EventType.trace ? TRACE_POINTS.find((p) => p.name === sub) : undefined;
  if (point !== undefined) return { type, subType: point.subType };
  if (!/^\d+$/.test(sub)) return `unable to parse event sub-type '${sub}', not a known sub-type name and unable to parse as numeric value`;
  return { type, subType: Number(sub) };
}

function tcpFlags(v: string): TcpFlags | string {
  const flags: Record<string, true> = {};
  for (const f of v.split(',')) {
    const name = f.toUpperCase();
    if (!['SYN', 'FIN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'NS'].includes(name)) return `unknown tcp flag: ${f}`;
    flags[name] = true;
  }
  return flags as TcpFlags;
}

/** Wraps a parser that returns either a value or an error message. */
function parsed<T>(parse: (v: string) => T | string, add: (t: FilterTracker, value: T) => void): Apply {
  return (t, v) => {
    const x = parse(v);
    if (typeof x === 'string') return x;
    add(t, x);
    return undefined;
  };
}

/** Every filter flag of `hubble observe`, by long name (hubble/cmd/observe/flows.go). */
export const FILTER_FLAGS: Readonly<Record<string, FilterFlag>> = {
  uuid: { apply: field('both', 'uuid') },
  'node-name': { apply: field('both', 'nodeName') },
  'from-cluster': { apply: field('both', 'sourceClusterName') },
  cluster: { apply: either('sourceClusterName', 'destinationClusterName') },
  'to-cluster': { apply: field('both', 'destinationClusterName') },
  protocol: { apply: field('both', 'protocol') },
  'tcp-flags': { apply: parsed(tcpFlags, (t, f) => t.add('both', 'tcpFlags', f)) },
  type: { short: 't', apply: parsed(eventType, (t, e) => t.add('both', 'eventType', e)) },
  verdict: {
    apply: (t, v) => {
      if (!VERDICTS.includes(v as Verdict)) return `invalid --verdict value: ${v}`;
      t.add('both', 'verdict', v);
      return undefined;
    },
  },
  'drop-reason-desc': {
    apply: (t, v) => {
      if (v === '') return 'empty --drop-reason-desc value';
      if (dropReasonByDesc(v) === undefined) return `invalid --drop-reason-desc value: ${v}`;
      t.add('both', 'dropReasonDesc', v);
      return undefined;
    },
  },
  'http-status': { apply: field('both', 'httpStatusCode') },
  'http-method': { apply: field('both', 'httpMethod') },
  'http-path': { apply: field('both', 'httpPath') },
  'http-url': { apply: field('both', 'httpUrl') },
  'http-header': {
    apply: (t, v) => {
      const colon = v.indexOf(':');
      if (colon === -1) return `invalid http-header value "${v}", expected name:value`;
      t.add('both', 'httpHeader', { key: v.slice(0, colon), value: v.slice(colon + 1) });
      return undefined;
    },
  },
  'from-fqdn': { apply: field('both', 'sourceFqdn') },
  fqdn: { apply: either('sourceFqdn', 'destinationFqdn') },
  'to-fqdn': { apply: field('both', 'destinationFqdn') },
  'from-ip': { apply: field('both', 'sourceIp') },
  ip: { apply: either('sourceIp', 'destinationIp') },
  'to-ip': { apply: field('both', 'destinationIp') },
  ipv4: { short: '4', noValue: true, apply: (t) => void t.add('both', 'ipVersion', 'IPv4') },
  ipv6: { short: '6', noValue: true, apply: (t) => void t.add('both', 'ipVersion', 'IPv6') },
  'ip-version': {
    apply: (t, v) => {
      const version = (
        { '4': 'IPv4', v4: 'IPv4', ipv4: 'IPv4', ip4: 'IPv4', '6': 'IPv6', v6: 'IPv6', ipv6: 'IPv6', ip6: 'IPv6' } as Record<string, string>
      )[v.toLowerCase()];
      if (version === undefined) return `invalid --ip-version value: ${v}: expected v4 or v6`;
      t.add('both', 'ipVersion', version);
      return undefined;
    },
  },
  'from-pod': { apply: field('both', 'sourcePod') },
  pod: { apply: either('sourcePod', 'destinationPod') },
  'to-pod': { apply: field('both', 'destinationPod') },
  'from-namespace': { apply: (t, v) => void t.namespace('from', v) },
  namespace: { short: 'n', apply: (t, v) => void t.namespace('either', v) },
  'to-namespace': { apply: (t, v) => void t.namespace('to', v) },
  'from-all-namespaces': { noValue: true, apply: (t) => void t.namespace('from', '') },
  'all-namespaces': { short: 'A', noValue: true, apply: (t) => void t.namespace('either', '') },
  'to-all-namespaces': { noValue: true, apply: (t) => void t.namespace('to', '') },
  'from-label': { apply: field('both', 'sourceLabel') },
  label: { short: 'l', apply: either('sourceLabel', 'destinationLabel') },
  'to-label': { apply: field('both', 'destinationLabel') },
  'from-service': { apply: field('both', 'sourceService') },
  service: { apply: either('sourceService', 'destinationService') },
  'to-service': { apply: field('both', 'destinationService') },
  'from-port': { apply: field('both', 'sourcePort') },
  port: { apply: either('sourcePort', 'destinationPort') },
  'to-port': { apply: field('both', 'destinationPort') },
  'from-workload': { apply: field('both', 'sourceWorkload', workload) },
  workload: { apply: either('sourceWorkload', 'destinationWorkload', workload) },
  'to-workload': { apply: field('both', 'destinationWorkload', workload) },
  'from-identity': { apply: identity((id) => field('both', 'sourceIdentity', () => id)) },
  identity: { apply: identity((id) => either('sourceIdentity', 'destinationIdentity', () => id)) },
  'to-identity': { apply: identity((id) => field('both', 'destinationIdentity', () => id)) },
  'traffic-direction': {
    apply: (t, v) => {
      const td = v.toLowerCase();
      if (td !== 'ingress' && td !== 'egress') return `${td}: invalid traffic direction, expected ingress or egress`;
      t.add('both', 'trafficDirection', td.toUpperCase());
      return undefined;
    },
  },
  encrypted: { noValue: true, apply: (t) => void t.add('both', 'encrypted', true) },
  unencrypted: { noValue: true, apply: (t) => void t.add('both', 'encrypted', false) },
};

/** Flags that cannot be combined in one list (hubble's filter conflict groups). */
export const FILTER_CONFLICTS: readonly (readonly string[])[] = [
  ['from-fqdn', 'from-ip', 'ip', 'fqdn', 'from-namespace', 'namespace', 'from-all-namespaces', 'all-namespaces'],
  ['from-fqdn', 'from-ip', 'ip', 'fqdn', 'from-pod', 'pod'],
  ['to-fqdn', 'to-ip', 'ip', 'fqdn', 'to-namespace', 'namespace', 'to-all-namespaces', 'all-namespaces'],
  ['to-fqdn', 'to-ip', 'ip', 'fqdn', 'to-pod', 'pod'],
  ['to-pod', 'namespace', 'all-namespaces'],
  ['from-pod', 'namespace', 'all-namespaces'],
  ['to-service', 'namespace', 'all-namespaces'],
  ['from-service', 'namespace', 'all-namespaces'],
  ['label', 'from-label'],
  ['label', 'to-label'],
  ['service', 'from-service'],
  ['service', 'to-service'],
  ['port', 'to-port'],
  ['port', 'from-port'],
  ['identity', 'to-identity'],
  ['identity', 'from-identity'],
  ['workload', 'to-workload'],
  ['workload', 'from-workload'],
  ['encrypted', 'unencrypted'],
];

/** `filters --label and --from-label cannot be combined`, or undefined. */
export function filterConflict(changed: readonly string[]): string | undefined {
  for (const group of FILTER_CONFLICTS) {
    for (const flag of group) {
      if (!changed.includes(flag)) continue;
      const other = group.find((g) => g !== flag && changed.includes(g));
      if (other !== undefined) return `filters --${flag} and --${other} cannot be combined`;
    }
  }
  return undefined;
}
