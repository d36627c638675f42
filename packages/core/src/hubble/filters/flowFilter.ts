import { compiledRe2, type Re2 } from '../../re2.ts';
import { SimError } from '../../errors.ts';
import type { IpVersion, TcpFlags, TrafficDirection, Verdict, Workload } from '../flow.ts';
import type { Flow } from '../flow.ts';

/** Matches `event_type`; `subType` is compared only when given (0 is a valid sub-type). */
export interface EventTypeFilter {
  readonly type: number;
  readonly subType?: number;
}

/**
 * One Hubble FlowFilter (observer.proto). Every field is a list: a flow matches a field when it
 * matches any value in the list, and matches the filter when it matches every field that is set.
 * An omitted or empty field matches every flow. A request holds a whitelist (a flow must match
 * one of its filters, when there are any) and a blacklist (a flow must match none).
 *
 * Pod and service values are `[namespace/]<name-prefix>`: `xwing`, `kube-system/coredns-`,
 * `kube-system/` (every pod of the namespace). A bare name means namespace `default`.
 */
export interface FlowFilter {
  readonly uuid?: readonly string[];
  /** An address (`10.0.1.7`) or a CIDR (`10.0.0.0/16`). */
  readonly sourceIp?: readonly string[];
  readonly destinationIp?: readonly string[];
  readonly sourcePod?: readonly string[];
  readonly destinationPod?: readonly string[];
  /** A name with `*` wildcards: `*.github.com`. */
  readonly sourceFqdn?: readonly string[];
  readonly destinationFqdn?: readonly string[];
  /** A label selector: `app=web`, `k8s:org=empire,class!=xwing`, `reserved:world`. */
  readonly sourceLabel?: readonly string[];
  readonly destinationLabel?: readonly string[];
  readonly sourceService?: readonly string[];
  readonly destinationService?: readonly string[];
  /** A workload; an empty kind matches any kind. */
  readonly sourceWorkload?: readonly Partial<Workload>[];
  readonly destinationWorkload?: readonly Partial<Workload>[];
  readonly sourceIdentity?: readonly number[];
  readonly destinationIdentity?: readonly number[];
  /** Port numbers as strings, as Hubble takes them: `80`. */
  readonly sourcePort?: readonly string[];
  readonly destinationPort?: readonly string[];
  readonly sourceClusterName?: readonly string[];
  readonly destinationClusterName?: readonly string[];
  readonly verdict?: readonly Verdict[];
  /** DropReason names: `POLICY_DENIED`, `AUTH_REQUIRED`. */
  readonly dropReasonDesc?: readonly string[];
  readonly eventType?: readonly EventTypeFilter[];
  /** `404`, or a prefix such as `5+` / `40+`. */
  readonly httpStatusCode?: readonly string[];
  readonly httpMethod?: readonly string[];
  /** Regular expressions matched against the URL path. */
  readonly httpPath?: readonly string[];
  /** Regular expressions matched against the whole URL. */
  readonly httpUrl?: readonly string[];
  readonly httpHeader?: readonly { readonly key: string; readonly value: string }[];
  /** `tcp`, `udp`, `icmp`, `icmpv4`, `icmpv6`, `sctp`, `dns`, `http`, `kafka`. */
  readonly protocol?: readonly string[];
  /** A flow matches when it has every flag of one entry. */
  readonly tcpFlags?: readonly TcpFlags[];
  /** A node name with `*` wildcards, optionally `cluster/node`. */
  readonly nodeName?: readonly string[];
  readonly ipVersion?: readonly IpVersion[];
  readonly trafficDirection?: readonly TrafficDirection[];
  readonly reply?: readonly boolean[];
  readonly encrypted?: readonly boolean[];
}

/** Every field of a FlowFilter, for checking a filter built by hand (`cluster.flows(...)`). */
export const FLOW_FILTER_FIELDS = Object.keys({
  uuid: true,
  sourceIp: true,
  destinationIp: true,
  sourcePod: true,
  destinationPod: true,
  sourceFqdn: true,
  destinationFqdn: true,
  sourceLabel: true,
  destinationLabel: true,
  sourceService: true,
  destinationService: true,
  sourceWorkload: true,
  destinationWorkload: true,
  sourceIdentity: true,
  destinationIdentity: true,
  sourcePort: true,
  destinationPort: true,
  sourceClusterName: true,
  destinationClusterName: true,
  verdict: true,
  dropReasonDesc: true,
  eventType: true,
  httpStatusCode: true,
  httpMethod: true,
  httpPath: true,
  httpUrl: true,
  httpHeader: true,
  protocol: true,
  tcpFlags: true,
  nodeName: true,
  ipVersion: true,
  trafficDirection: true,
  reply: true,
  encrypted: true,
} satisfies Record<keyof FlowFilter, true>) as readonly (keyof FlowFilter)[];

/** A filter that is not a mapping of known fields to lists: the fields' own builders never see it. */
export function filterShapeError(ff: unknown): SimError | undefined {
  if (typeof ff !== 'object' || ff === null || Array.isArray(ff))
    return filterError(
      '',
      `a FlowFilter must be an object of fields such as { verdict: ['DROPPED'] }, received ${JSON.stringify(ff) ?? String(ff)}`,
    );
  for (const [key, value] of Object.entries(ff)) {
    if (!(FLOW_FILTER_FIELDS as readonly string[]).includes(key))
      return filterError(key, `unknown FlowFilter field "${key}"; supported fields: ${FLOW_FILTER_FIELDS.join(', ')}`);
    if (value !== undefined && !Array.isArray(value))
      return filterError(
        key,
        `must be a list, as every FlowFilter field is (e.g. ${key}: [...]), received ${JSON.stringify(value) ?? String(value)}`,
      );
  }
  return undefined;
}

export type FilterFunc = (flow: Flow) => boolean;

/** Builds the predicates of one dimension; throws a SimError for a value it cannot use. */
export type FilterBuilder = (ff: FlowFilter) => FilterFunc[];

/** The error a filter value that cannot be used gets, e.g. an unknown protocol. */
export function filterError(path: string, message: string): SimError {
  return new SimError({ code: 'INVALID_FIELD', object: 'FlowFilter', path, message });
}

/** True when a list field is set: Hubble treats an empty list as unset. */
export function isSet<T>(values: readonly T[] | undefined): values is readonly T[] {
  return values !== undefined && values.length > 0;
}

/**
 * Turns a `*` wildcard pattern into an anchored regular expression over `[-a-zA-Z0-9_.]`-style
 * names, case-insensitive, as Hubble's FQDN and node-name patterns are.
 */
export function wildcardRegExp(pattern: string, star = '[-a-zA-Z0-9_.]*'): Re2 {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join(star);
  return compiledRe2(`^${body}$`, true);
}
