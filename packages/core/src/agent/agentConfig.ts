import { SimError } from '../errors.ts';
import { MONITOR_AGGREGATION_LEVELS } from '../datapath/monitorAggregation.ts';
import { formatDuration, NS_PER_MS, NS_PER_S, parseDuration } from '../sim/duration.ts';
import { behaviourIn, DEFAULT_CILIUM_VERSION, parseCiliumVersion, type CiliumVersion } from '../version/ciliumVersion.ts';

/** How a key's string value reads: its kind, what it defaults to when the ConfigMap lacks it. */
type KeySpec = (
  | { readonly kind: 'boolean'; readonly default: string }
  | { readonly kind: 'duration'; readonly default: string; readonly minNs: number }
  | { readonly kind: 'integer'; readonly default: string; readonly min: number; readonly max: number }
  | { readonly kind: 'enum'; readonly values: readonly string[]; readonly default: string }
  | { readonly kind: 'string'; readonly default: string; readonly pattern?: RegExp; readonly expected?: string }
) & {
  /** False for a key Helm writes only when its feature is turned on: known, defaulted, absent. */
  readonly installed?: false;
};

const bool = (d: 'true' | 'false') => ({ kind: 'boolean', default: d }) as const;
/** A key the installation leaves out of the ConfigMap; the agent reads its default. */
const absent = <S extends KeySpec>(spec: S) => ({ ...spec, installed: false }) as const;
const duration = (d: string) => ({ kind: 'duration', default: d, minNs: 0 }) as const;
/**
 * A period a timer repeats on (a GC run, a monitor report): a value of zero or a few nanoseconds
 * would make the timer fire without end on the virtual clock, so it has a floor (MIN_INTERVAL_NS,
 * MIN_MONITOR_INTERVAL_NS, in docs/reference/limits.md).
 */
const interval = (d: string, minNs = MIN_INTERVAL_NS) => ({ kind: 'duration', default: d, minNs }) as const;

/** The shortest GC or refresh period a key takes: one second. */
export const MIN_INTERVAL_NS = NS_PER_S;
/** The shortest `monitor-aggregation-interval`: one millisecond. */
export const MIN_MONITOR_INTERVAL_NS = NS_PER_MS;
/** A whole number; negative counts, sizes and ports mean nothing to the agent, and each key has its own range. */
const int = (d: string, min = 0, max = Number.MAX_SAFE_INTEGER) => ({ kind: 'integer', default: d, min, max }) as const;
const text = (d: string) => ({ kind: 'string', default: d }) as const;

/**
 * Cilium's cluster name (clustermesh's ValidateClusterName): at most 32 lowercase letters, digits
 * and dashes, starting and ending with a letter or digit. The agent refuses to start with another.
 */
export const CLUSTER_NAME_PATTERN = /^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/;
export const CLUSTER_NAME_RULE = 'at most 32 lowercase letters, digits and dashes, starting and ending with a letter or digit';
const oneOf = <const V extends readonly string[]>(values: V, d: V[number]) => ({ kind: 'enum', values, default: d }) as const;

/**
 * The keys of the `cilium-config` ConfigMap the simulator knows, in the order a kind cluster
 * installed with mutual authentication lists them (`cilium config view` sorts them), with their
 * kinds and the installed values. The `mesh-auth-*` keys are installed only with mutual auth;
 * keys marked `absent` (the egress gateway's, Gateway API's and the ingress
 * controller's switches) are known but left out, as Helm writes them only when the feature is
 * turned on. Keys the model acts on are read through `AgentConfig.get` (typed), the others are
 * shown as stored. Unknown keys may still be set: the ConfigMap takes any key.
 */
const KEYS = {
  'agent-not-ready-taint-key': text('node.cilium.io/agent-not-ready'),
  'arping-refresh-period': interval('30s'),
  'auto-direct-node-routes': bool('false'),
  'bpf-lb-sock': bool('false'),
  'bpf-map-dynamic-size-ratio': text('0.0025'),
  // The agent refuses a policy map size outside 2^8..2^16 entries, and a cluster ID past 255.
  'bpf-policy-map-max': int('16384', 256, 65536),
  'cgroup-root': text('/run/cilium/cgroupv2'),
  'cilium-endpoint-gc-interval': interval('5m0s'),
  'cluster-id': int('0', 0, 255),
  'cluster-name': { kind: 'string', default: 'default', pattern: CLUSTER_NAME_PATTERN, expected: CLUSTER_NAME_RULE },
  'cluster-pool-ipv4-cidr': text('10.244.0.0/16'),
  'cluster-pool-ipv4-mask-size': int('24', 1, 32),
  'cni-exclusive': bool('true'),
  'cni-log-file': text('/var/run/cilium/cilium-cni.log'),
  debug: bool('false'),
  'enable-auto-protect-node-port-range': bool('true'),
  'enable-bpf-masquerade': bool('false'),
  'enable-egress-gateway': absent(bool('false')),
  'enable-endpoint-health-checking': bool('true'),
  'enable-health-checking': bool('true'),
  'enable-gateway-api': absent(bool('false')),
  'enable-hubble': bool('true'),
  'enable-ingress-controller': absent(bool('false')),
  'enable-ipv4': bool('true'),
  'enable-ipv4-egress-gateway': absent(bool('false')),
  'enable-ipv4-masquerade': bool('true'),
  'enable-ipv6': bool('false'),
  'enable-l7-proxy': bool('true'),
  'enable-node-port': absent(bool('false')),
  'enable-policy': oneOf(['default', 'always', 'never'], 'default'),
  'enable-wireguard': bool('false'),
  'external-envoy-proxy': bool('false'),
  // Not a Cilium key: the switch of the spiffeTlsUpgrade extension (AccuKnox's fork), in the
  // ConfigMap only when the extension is on or set, so upstream installs show none.
  'enable-spiffe-tls-upgrade': bool('false'),
  'enable-ipsec': bool('false'),
  'enable-k8s-cluster-network-policy': bool('false'),
  'hubble-disable-tls': bool('false'),
  'hubble-event-buffer-capacity': int('4095', 1, 65535),
  'hubble-listen-address': text(':4244'),
  'identity-allocation-mode': text('crd'),
  'identity-gc-interval': interval('15m0s'),
  'identity-heartbeat-timeout': duration('30m0s'),
  'ingress-default-lb-mode': absent(oneOf(['dedicated', 'shared'], 'dedicated')),
  ipam: text('cluster-pool'),
  'kube-proxy-replacement': text('true'),
  'monitor-aggregation': oneOf(MONITOR_AGGREGATION_LEVELS, 'medium'),
  'monitor-aggregation-flags': text('all'),
  'monitor-aggregation-interval': interval('5s', MIN_MONITOR_INTERVAL_NS),
  'policy-audit-mode': bool('false'),
  'policy-default-local-cluster': bool('false'),
  'routing-mode': text('tunnel'),
  'tofqdns-dns-reject-response-code': oneOf(['refused', 'nameError'], 'refused'),
  'tofqdns-enable-dns-compression': bool('true'),
  'tofqdns-endpoint-max-ip-per-hostname': int('1000'),
  'tofqdns-min-ttl': int('0'),
  'tofqdns-proxy-response-max-delay': duration('100ms'),
  'tunnel-protocol': text('vxlan'),
  'mesh-auth-enabled': bool('true'),
  'mesh-auth-gc-interval': interval('5m0s'),
  'mesh-auth-mutual-connect-timeout': duration('5s'),
  'mesh-auth-mutual-enabled': bool('true'),
  'mesh-auth-mutual-listener-port': int('4250', 1, 65535),
  'mesh-auth-queue-size': int('1024'),
  'mesh-auth-rotated-identities-queue-size': int('1024'),
  'mesh-auth-spiffe-trust-domain': text('spiffe.cilium'),
  'mesh-auth-spire-admin-socket': text('/run/spire/sockets/admin.sock'),
  'mesh-auth-spire-agent-socket': text('/run/spire/sockets/agent/agent.sock'),
  'mesh-auth-spire-server-address': text('spire-server.cilium-spire.svc:8081'),
  'mesh-auth-spire-server-connection-timeout': duration('30s'),
} as const satisfies Readonly<Record<string, KeySpec>>;

export type AgentConfigKey = keyof typeof KEYS;

/** A key's effective value as the agent reads it: booleans, durations in ns, whole numbers, enum members. */
export type AgentConfigValue<K extends AgentConfigKey> = (typeof KEYS)[K] extends { kind: 'boolean' }
  ? boolean
  : (typeof KEYS)[K] extends { kind: 'duration' | 'integer' }
    ? number
    : (typeof KEYS)[K] extends { kind: 'enum'; values: readonly (infer V)[] }
      ? V
      : string;

/** What the installation chose: the values Helm writes for this cluster. */
export interface AgentInstall {
  readonly mutualAuth: boolean;
  readonly clusterName: string;
  readonly encryption: 'disabled' | 'wireguard' | 'ipsec';
  readonly extensions?: readonly string[];
  /** Default the labs' 1.16.0. */
  readonly ciliumVersion?: CiliumVersion;
}

/**
 * The keys a version's Helm chart writes or leaves out, and the agent defaults that moved
 * between versions (version/ciliumVersion.ts): `external-envoy-proxy` with the Envoy DaemonSet,
 * `policy-default-local-cluster` from 1.18 (true from 1.19), `mesh-auth-enabled` off by default
 * from 1.19 (an install with mutual authentication still writes it true).
 */
function versionedKeys(v: CiliumVersion): {
  installed: ReadonlyMap<string, string>;
  absent: readonly string[];
  defaults: ReadonlyMap<string, string>;
} {
  const installed = new Map<string, string>();
  const absent: string[] = [];
  if (behaviourIn(v, 'envoy-daemonset')) installed.set('external-envoy-proxy', 'true');
  else absent.push('external-envoy-proxy');
  if (behaviourIn(v, 'policy-default-local-cluster'))
    installed.set('policy-default-local-cluster', String(behaviourIn(v, 'policy-default-local-cluster-on')));
  else absent.push('policy-default-local-cluster');
  const defaults = new Map<string, string>();
  if (behaviourIn(v, 'mesh-auth-default-off')) defaults.set('mesh-auth-enabled', 'false');
  return { installed, absent, defaults };
}

/**
 * The agents' configuration: the `cilium-config` ConfigMap every node's agent reads. `set` and
 * `delete` go through one path: validated against the key's kind, stored, and announced to the
 * listeners that apply the effect (a deleted key takes its default again, as an agent restarted
 * without the key would). `get` is the typed effective value the model and dry runs read.
 */
export class AgentConfig {
  readonly #data = new Map<string, string>();
  readonly #installed: ReadonlyMap<string, string>;
  /** The agent's own defaults where this version's differ from KEYS. */
  readonly #defaults: ReadonlyMap<string, string>;
  readonly #effective = new Map<string, unknown>();
  readonly #listeners = new Set<(key: string) => void>();
  #view: Readonly<Record<string, string>> | undefined;

  constructor(install: AgentInstall) {
    for (const [key, spec] of Object.entries(KEYS) as [AgentConfigKey, KeySpec][]) {
      if (key.startsWith('mesh-auth-') && !install.mutualAuth) continue;
      if (key === 'enable-spiffe-tls-upgrade') continue;
      // Helm writes the ClusterNetworkPolicy switch only when `k8sClusterNetworkPolicy.enabled` is set.
      if (key === 'enable-k8s-cluster-network-policy') continue;
      if (spec.installed === false) continue;
      this.#data.set(key, spec.default);
    }
    if (install.extensions?.includes('spiffeTlsUpgrade') === true) this.#data.set('enable-spiffe-tls-upgrade', 'true');
    this.#data.set('cluster-name', install.clusterName);
    this.#data.set('enable-wireguard', String(install.encryption === 'wireguard'));
    this.#data.set('enable-ipsec', String(install.encryption === 'ipsec'));
    const versioned = versionedKeys(install.ciliumVersion ?? parseCiliumVersion(DEFAULT_CILIUM_VERSION));
    for (const key of versioned.absent) this.#data.delete(key);
    for (const [key, value] of versioned.installed) this.#data.set(key, value);
    this.#defaults = versioned.defaults;
    this.#installed = new Map(this.#data);
  }

  /** The ConfigMap's data, as `cilium config view` and `kubectl get cm cilium-config` show it. */
  view(): Readonly<Record<string, string>> {
    this.#view ??= Object.freeze(Object.fromEntries(this.#data));
    return this.#view;
  }

  /** The effective value of a known key: the stored one, else the installed one, else the agent's default. */
  get<K extends AgentConfigKey>(key: K): AgentConfigValue<K> {
    if (!this.#effective.has(key)) {
      const spec: KeySpec = KEYS[key];
      const raw = this.#data.get(key) ?? this.#installed.get(key) ?? this.#defaults.get(key) ?? spec.default;
      this.#effective.set(key, read(spec, raw, key));
    }
    return this.#effective.get(key) as AgentConfigValue<K>;
  }

  /** `cilium config set KEY VALUE`: a known key's value must read as its kind. */
  set(key: string, value: string): void {
    if (isKnownKey(key)) check(KEYS[key], key, value);
    this.#data.set(key, value);
    this.#changed(key);
  }

  /** `cilium config delete KEY`: the key leaves the ConfigMap and its default applies again. */
  delete(key: string): void {
    if (!this.#data.delete(key)) return;
    this.#changed(key);
  }

  /** Calls `fn` with the key after every set or delete; returns the unsubscribe. */
  onChange(fn: (key: string) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  #changed(key: string): void {
    this.#view = undefined;
    this.#effective.delete(key);
    for (const fn of this.#listeners) fn(key);
  }
}

export function isKnownKey(key: string): key is AgentConfigKey {
  return Object.hasOwn(KEYS, key);
}

function read(spec: KeySpec, raw: string, key: string): unknown {
  switch (spec.kind) {
    case 'boolean':
      return raw === 'true';
    case 'duration':
      return parseDuration(raw, key);
    case 'integer':
      return Number(raw);
    default:
      return raw;
  }
}

/** Refuses a value the key's kind cannot read, in `cilium config set`'s words. */
function check(spec: KeySpec, key: string, value: string): void {
  const invalid = (expected: string): never => {
    throw new SimError({
      code: 'INVALID_FLAG',
      object: 'cilium config set',
      path: key,
      message: `invalid value "${value}" for ${key}: expected ${expected}`,
    });
  };
  switch (spec.kind) {
    case 'boolean':
      if (value !== 'true' && value !== 'false') invalid('true or false');
      return;
    case 'duration':
      if (parseDuration(value, key) < spec.minNs)
        invalid(spec.minNs === 0 ? 'a duration of 0s or more' : `a duration of at least ${formatDuration(spec.minNs)}`);
      return;
    case 'integer': {
      const n = Number(value);
      const range =
        spec.max === Number.MAX_SAFE_INTEGER ? `a whole number of ${spec.min} or more` : `a whole number from ${spec.min} to ${spec.max}`;
      if (!/^-?\d+$/.test(value)) invalid(spec.min === 0 && spec.max === Number.MAX_SAFE_INTEGER ? 'a whole number' : range);
      if (!Number.isSafeInteger(n) || n < spec.min || n > spec.max) invalid(range);
      return;
    }
    case 'enum':
      if (!spec.values.includes(value)) invalid(alternatives(spec.values));
      return;
    case 'string':
      if (spec.pattern !== undefined && !spec.pattern.test(value)) invalid(spec.expected ?? `a value matching ${spec.pattern.source}`);
      return;
  }
}

/** `default, always or never`; `one of none, lowest, ...` past three. */
function alternatives(values: readonly string[]): string {
  return values.length > 3 ? `one of ${values.join(', ')}` : `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;
}
