import { CLUSTER_NAME_PATTERN, CLUSTER_NAME_RULE } from '../agent/agentConfig.ts';
import { describeValue, SimError } from '../errors.ts';
import { cidrContains, parseIpv4 } from '../ipv4.ts';
import { NODE_NETWORK, POD_CIDR, SERVICE_CIDR } from '../k8s/ipam.ts';
import { DEFAULT_START_MS } from '../sim/clock.ts';
import { DEFAULT_CILIUM_VERSION, parseCiliumVersion, type CiliumVersion } from '../version/ciliumVersion.ts';

export type Encryption = 'disabled' | 'wireguard' | 'ipsec';

/**
 * Features outside upstream Cilium a cluster may switch on explicitly:
 * - `spiffeTlsUpgrade`: AccuKnox's 2021 fork (the sock-shop TLS lab): `spiffe.peerIDs` and
 *   `dstPort` in `originatingTLS` / `terminatingTLS`, and a `spiffe:` label on every endpoint
 *   SPIRE issues a SPIFFE ID to. Upstream Cilium rejects those fields.
 */
export const CLUSTER_EXTENSIONS = ['spiffeTlsUpgrade'] as const;
export type ClusterExtension = (typeof CLUSTER_EXTENSIONS)[number];

/** SPIRE, with or without Cilium's mutual authentication on top. */
export interface SpireOptions {
  /** Runs the SPIRE server and agents (namespace `cilium-spire`). Default: as `mutualAuth`. */
  readonly enabled?: boolean;
  /**
   * Cilium's Helm init entries (agent node alias, cilium-agent, cilium-operator) and the
   * operator's one entry per identity. Default true; false leaves registration to the user,
   * as in labs that run SPIRE without Cilium's mutual auth.
   */
  readonly operatorEntries?: boolean;
}

export interface ClusterOptions {
  /** Seeds every random choice: names, identities, IPs, ports, certificates. Default 1. */
  readonly seed?: number;
  /** Nodes of the kind cluster, control plane included. Default 3. */
  readonly nodes?: number;
  /** SPIRE and Cilium mutual authentication, as in the mutual-authentication lab. Default true. */
  readonly mutualAuth?: boolean;
  /** Virtual start time: epoch milliseconds or an RFC 3339 string. */
  readonly startTime?: number | string;
  /**
   * Cilium's cluster name (`cluster-name`, the `io.cilium.k8s.policy.cluster` label, SPIRE's
   * k8s_psat cluster). Default `kind-kind`, the name cilium-cli detects on the labs' kind cluster.
   */
  readonly clusterName?: string;
  /**
   * The Cilium version installed: a minor (`1.18`) or a release (`1.18.2`), 1.14 to 1.20. It sets
   * the components, what `cilium version` and `cilium status` print, and every behaviour that
   * differs between versions (docs/reference/versions.md). Default the labs' 1.16.0.
   */
  readonly ciliumVersion?: string;
  /** Outside hosts CoreDNS resolves, in addition to the labs' defaults: `{ 'api.example.org': '203.0.113.7' }`. */
  readonly externalHosts?: Readonly<Record<string, string>>;
  /** Transparent encryption between nodes. Default disabled. */
  readonly encryption?: Encryption;
  /** SPIRE trust domain. Default spiffe.cilium. */
  readonly trustDomain?: string;
  /** SPIRE without (or with) mutual auth: `{ enabled: true, operatorEntries: false }`. */
  readonly spire?: SpireOptions;
  /** Non-upstream features, e.g. `['spiffeTlsUpgrade']`. Default none. */
  readonly extensions?: readonly ClusterExtension[];
  /**
   * The most events of the virtual clock one step (an apply, an advance, a curl) may run; a step
   * that reaches it is undone and refused with LIMIT_EXCEEDED. Default DEFAULT_EVENT_LIMIT.
   */
  readonly eventLimit?: number;
  /**
   * Tetragon on every node (DaemonSet `tetragon` in kube-system): process exec and exit events,
   * and TCP connects, for `tetra getevents` and `cluster.inspect.runtimeEvents()`. Default false,
   * as in the labs, which do not install it.
   */
  readonly tetragon?: boolean;
}

/** The events one step may run by default: far beyond any walkthrough, short of a hang. */
export const DEFAULT_EVENT_LIMIT = 10_000_000;

export interface ResolvedOptions {
  readonly seed: number;
  readonly nodes: number;
  readonly mutualAuth: boolean;
  readonly startMs: number;
  readonly clusterName: string;
  readonly ciliumVersion: CiliumVersion;
  readonly externalHosts: Readonly<Record<string, string>>;
  readonly encryption: Encryption;
  readonly trustDomain: string;
  readonly spire: { readonly enabled: boolean; readonly operatorEntries: boolean };
  readonly extensions: readonly ClusterExtension[];
  readonly eventLimit: number;
  readonly tetragon: boolean;
}

/** What `cilium install` names a kind cluster's Cilium: the kubectl context `kind-kind`. */
export const DEFAULT_CLUSTER_NAME = 'kind-kind';

/** Fills defaults and rejects bad options with an error naming the option. */
/** 9999-12-31T00:00:00Z. */
const MAX_START_MS = 253_402_214_400_000;

export function resolveOptions(o: ClusterOptions): ResolvedOptions {
  const bad = (path: string, message: string): never => {
    throw new SimError({ code: 'INVALID_FLAG', object: 'cluster options', path, message });
  };
  if (typeof o !== 'object' || o === null || Array.isArray(o)) bad('', `expected an object of options, received ${describeValue(o)}`);
  for (const key of ['mutualAuth'] as const)
    if (o[key] !== undefined && typeof o[key] !== 'boolean') bad(key, `${key} must be true or false, received ${describeValue(o[key])}`);
  for (const [key, value] of Object.entries(o)) if (value === null) bad(key, `${key} must not be null; leave it out for its default`);
  // Cilium's cluster-name: at most 32 lowercase alphanumerics and dashes; a trust domain as SPIFFE's.
  if (o.clusterName !== undefined && (typeof o.clusterName !== 'string' || !CLUSTER_NAME_PATTERN.test(o.clusterName)))
    bad('clusterName', `clusterName must be ${CLUSTER_NAME_RULE}, received ${describeValue(o.clusterName)}`);
  if (o.trustDomain !== undefined && (typeof o.trustDomain !== 'string' || !/^[a-z0-9._-]{1,255}$/.test(o.trustDomain)))
    bad(
      'trustDomain',
      `trustDomain must be lowercase letters, digits, dots, dashes and underscores, received ${describeValue(o.trustDomain)}`,
    );
  if (o.spire !== undefined) {
    if (typeof o.spire !== 'object' || o.spire === null)
      bad('spire', `expected { enabled, operatorEntries }, received ${describeValue(o.spire)}`);
    for (const key of ['enabled', 'operatorEntries'] as const)
      if (o.spire[key] !== undefined && typeof o.spire[key] !== 'boolean')
        bad(`spire.${key}`, `spire.${key} must be true or false, received ${describeValue(o.spire[key])}`);
  }
  if (o.externalHosts !== undefined && (typeof o.externalHosts !== 'object' || o.externalHosts === null || Array.isArray(o.externalHosts)))
    bad('externalHosts', `expected an object of NAME: IP, received ${describeValue(o.externalHosts)}`);
  if (o.extensions !== undefined && !Array.isArray(o.extensions))
    bad('extensions', `expected a list, received ${describeValue(o.extensions)}`);
  const seed = o.seed ?? 1;
  if (!Number.isSafeInteger(seed)) bad('seed', `seed must be a whole number, received ${describeValue(seed)}`);
  const nodes = o.nodes ?? 3;
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 1000)
    bad('nodes', `nodes must be a whole number from 1 to 1000, received ${describeValue(nodes)}`);
  let startMs = DEFAULT_START_MS;
  if (typeof o.startTime === 'number') startMs = o.startTime;
  else if (typeof o.startTime === 'string') {
    startMs = Date.parse(o.startTime);
    if (Number.isNaN(startMs)) bad('startTime', `startTime "${o.startTime}" is not an RFC 3339 time such as 2024-07-04T17:58:00Z`);
  } else if (o.startTime !== undefined)
    bad('startTime', `startTime must be an RFC 3339 time or ms since the epoch, received ${describeValue(o.startTime)}`);
  // Years 1970 to 9999: what an X.509 validity and an RFC 3339 timestamp can carry.
  if (!Number.isSafeInteger(startMs) || startMs < 0 || startMs > MAX_START_MS)
    bad(
      'startTime',
      `startTime must be a whole number of ms from 0 to ${MAX_START_MS} (1970 to 9999), received ${describeValue(o.startTime)}`,
    );
  for (const [name, ip] of Object.entries(o.externalHosts ?? {}) as [string, unknown][]) {
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/i.test(name)) bad(`externalHosts.${name}`, `"${name}" is not a DNS name`);
    if (typeof ip !== 'string' || parseIpv4(ip) === undefined) bad(`externalHosts.${name}`, `${describeValue(ip)} is not an IPv4 address`);
    const taken = NOT_EXTERNAL.find(([cidr]) => cidrContains(cidr, ip as string));
    if (taken !== undefined)
      bad(
        `externalHosts.${name}`,
        `${ip} is ${taken[1]} (${taken[0]}), not an address outside the cluster; pick a public address such as 203.0.113.10`,
      );
  }
  const encryption = o.encryption ?? 'disabled';
  if (!['disabled', 'wireguard', 'ipsec'].includes(encryption))
    bad('encryption', `encryption must be disabled, wireguard or ipsec, received ${describeValue(encryption)}`);
  if (o.ciliumVersion !== undefined && typeof o.ciliumVersion !== 'string')
    bad('ciliumVersion', `expected a version such as 1.16 or 1.16.0, received ${describeValue(o.ciliumVersion)}`);
  const mutualAuth = o.mutualAuth ?? true;
  const spireEnabled = o.spire?.enabled ?? mutualAuth;
  if (mutualAuth && !spireEnabled)
    bad('spire.enabled', 'mutual authentication needs SPIRE; set spire.enabled to true or mutualAuth to false');
  const eventLimit = o.eventLimit ?? DEFAULT_EVENT_LIMIT;
  if (!Number.isInteger(eventLimit) || eventLimit < 1 || eventLimit > DEFAULT_EVENT_LIMIT)
    bad('eventLimit', `eventLimit must be a whole number from 1 to ${DEFAULT_EVENT_LIMIT}, received ${describeValue(eventLimit)}`);
  const extensions = o.extensions ?? [];
  for (const [i, e] of extensions.entries()) {
    if (!(CLUSTER_EXTENSIONS as readonly string[]).includes(e))
      bad(`extensions[${i}]`, `unknown extension ${describeValue(e)}; supported: ${CLUSTER_EXTENSIONS.join(', ')}`);
  }
  if (o.tetragon !== undefined && typeof o.tetragon !== 'boolean')
    bad('tetragon', `tetragon must be true or false, received ${describeValue(o.tetragon)}`);
  return Object.freeze({
    seed,
    nodes,
    startMs,
    encryption,
    mutualAuth,
    spire: Object.freeze({ enabled: spireEnabled, operatorEntries: o.spire?.operatorEntries ?? true }),
    extensions: Object.freeze([...new Set(extensions)].sort()),
    clusterName: o.clusterName ?? DEFAULT_CLUSTER_NAME,
    ciliumVersion: parseCiliumVersion(o.ciliumVersion ?? DEFAULT_CILIUM_VERSION),
    // DNS names are case-insensitive: `X.COM` answers a lookup of x.com.
    externalHosts: Object.freeze(Object.fromEntries(Object.entries(o.externalHosts ?? {}).map(([name, ip]) => [name.toLowerCase(), ip]))),
    trustDomain: o.trustDomain ?? 'spiffe.cilium',
    eventLimit,
    tetragon: o.tetragon ?? false,
  });
}

/**
 * Addresses an outside host cannot have: the cluster's own ranges (a host there would shadow a
 * pod, a Service or a node) and addresses no host answers from (this network, loopback,
 * multicast, the broadcast and reserved block).
 */
const NOT_EXTERNAL: readonly (readonly [string, string])[] = [
  [POD_CIDR, "in the cluster's pod CIDR"],
  [SERVICE_CIDR, "in the cluster's Service CIDR"],
  [NODE_NETWORK, "in the nodes' network"],
  ['0.0.0.0/8', 'in "this network"'],
  ['127.0.0.0/8', 'a loopback address'],
  ['224.0.0.0/4', 'a multicast address'],
  ['240.0.0.0/4', 'reserved (with the broadcast address)'],
];
