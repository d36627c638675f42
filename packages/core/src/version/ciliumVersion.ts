import { SimError } from '../errors.ts';

/**
 * The Cilium minor versions the simulator models. A cluster runs one release of one of them
 * (`--cilium-version`, `ClusterOptions.ciliumVersion`); every behaviour that differs between
 * them is a row of VERSIONED_BEHAVIOURS, so the simulation, the lint of policies and the docs'
 * version table read the same facts.
 */
export const CILIUM_MINORS = ['1.14', '1.15', '1.16', '1.17', '1.18', '1.19', '1.20'] as const;
export type CiliumMinor = (typeof CILIUM_MINORS)[number];

/** The release each minor runs when only the minor is given: the labs' 1.16.0 for 1.16. */
export const CILIUM_RELEASES: Readonly<Record<CiliumMinor, string>> = {
  '1.14': '1.14.14',
  '1.15': '1.15.6',
  '1.16': '1.16.0',
  '1.17': '1.17.6',
  '1.18': '1.18.2',
  '1.19': '1.19.0',
  '1.20': '1.20.0',
};

/** The mutual-authentication lab runs Cilium 1.16.0. */
export const DEFAULT_CILIUM_VERSION = '1.16.0';

/** A parsed Cilium version: `1.16` or `1.16.0` (a leading `v` is accepted, as Helm takes it). */
export interface CiliumVersion {
  readonly minor: CiliumMinor;
  /** The full release, `1.16.0`. */
  readonly release: string;
}

/**
 * `1.16`, `1.16.0`, `v1.16.0` -> { minor: '1.16', release: '1.16.0' }. Refuses versions outside
 * 1.14 to 1.20 with the supported list.
 */
export function parseCiliumVersion(text: string, path = 'ciliumVersion'): CiliumVersion {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(text.trim());
  const minor = m === null ? undefined : `${m[1]}.${m[2]}`;
  if (m === null || !(CILIUM_MINORS as readonly string[]).includes(minor!)) {
    throw new SimError({
      code: 'INVALID_FLAG',
      object: 'cluster options',
      path,
      message: `unsupported Cilium version ${JSON.stringify(text)}; supported: ${CILIUM_MINORS.join(', ')} (a minor or a release such as 1.16.0)`,
    });
  }
  const release = m[3] === undefined ? CILIUM_RELEASES[minor as CiliumMinor] : `${m[1]}.${m[2]}.${m[3]}`;
  return Object.freeze({ minor: minor as CiliumMinor, release });
}

/** Whether `version` is `minor` or later. */
export function atLeast(version: CiliumVersion, minor: CiliumMinor): boolean {
  return CILIUM_MINORS.indexOf(version.minor) >= CILIUM_MINORS.indexOf(minor);
}

/**
 * A behaviour that differs between Cilium versions: in force from `since` (inclusive) until
 * `until` (exclusive; absent = still in force in the newest modelled version).
 */
export interface VersionedBehaviour {
  readonly since?: CiliumMinor;
  readonly until?: CiliumMinor;
  /** What a user sees, in one sentence, for the docs' version table. */
  readonly summary: string;
  /** The upstream change it follows (PR, release note). */
  readonly source: string;
}

/**
 * Every version-dependent behaviour the simulator models, by name. Code asks
 * `behaviourIn(version, name)`; docs/reference lists the table. Add a row here, then read it
 * where the behaviour is simulated or linted.
 */
export const VERSIONED_BEHAVIOURS = {
  'enable-default-deny-field': {
    since: '1.16',
    summary: 'CNP/CCNP `enableDefaultDeny` (ingress/egress) lets a policy select endpoints without putting them in default deny.',
    source: 'cilium/cilium#30572',
  },
  'port-ranges': {
    since: '1.16',
    summary: '`endPort` in CNP `toPorts.ports[]` and Kubernetes NetworkPolicy ports is honoured.',
    source: 'Cilium 1.16 release notes',
  },
  'empty-peer-list-selects-nothing': {
    since: '1.16',
    summary: 'An empty, non-nil peer list (`fromEndpoints: []`, `toCIDRSet: []`) selects nothing; before, it selected every peer.',
    source: 'Cilium 1.16 upgrade notes',
  },
  'operator-policy-validation': {
    since: '1.16',
    summary:
      'The operator validates every CNP/CCNP and writes a `Valid` condition (`status: "False"` with the agent\'s sanitizer message) into its status.',
    source: 'cilium/cilium#32727',
  },
  'to-services-with-ports': {
    since: '1.17',
    summary: '`toServices` may be combined with `toPorts` and selects in-cluster Services; before, the sanitizer refused the combination.',
    source: 'cilium/cilium#35506',
  },
  'sanitize-messages-lowercase': {
    since: '1.17',
    summary:
      "The sanitizer's messages start lower-case (`combining ToServices and ToPorts is not supported yet`); the exact release of the change is unconfirmed (1.17 or 1.18).",
    source: 'pkg/policy/api/rule_validation.go after 1.16',
  },
  'rule-needs-section': {
    since: '1.17',
    summary:
      'A rule without any of ingress, ingressDeny, egress or egressDeny is invalid (`rule must have at least one of Ingress, IngressDeny, Egress, EgressDeny`).',
    source: 'pkg/policy/api/rule_validation.go after 1.16; cilium/cilium#45716',
  },
  'dns-rules-no-port-ranges': {
    since: '1.17',
    summary:
      'A port with DNS rules may not have an `endPort` (`DNS rules do not support port ranges`); before, the range was ignored for DNS.',
    source: 'pkg/policy/api/rule_validation.go after 1.16',
  },
  'operator-validates-every-spec': {
    since: '1.18',
    summary:
      "The operator's `Valid` condition covers every entry of `specs`; before, only the last entry's result was written, so an invalid earlier entry showed `Valid: True`.",
    source: 'cilium/cilium#38801 (issue #38795)',
  },
  'requires-deprecated': {
    since: '1.17',
    summary: '`fromRequires`/`toRequires` are deprecated.',
    source: 'cilium/cilium#36649',
  },
  'requires-removed': {
    since: '1.19',
    summary: '`fromRequires`/`toRequires` are refused by the API server (at most 0 items).',
    source: 'cilium/cilium#42615, #43167',
  },
  'cnp-valid-column': {
    since: '1.17',
    summary: "`kubectl get cnp` shows a VALID column from the operator's validation condition.",
    source: 'Cilium 1.17 CRD printer columns',
  },
  'sni-wildcards': {
    since: '1.18',
    summary: '`serverNames` take `*.` (one label) and `**.` (any depth) prefixes; before, exact names only.',
    source: 'cilium/cilium#38615',
  },
  'policy-default-local-cluster': {
    since: '1.18',
    summary:
      '`policy-default-local-cluster` exists (default false in 1.18, true from 1.19): selectors without a cluster label match the local cluster only.',
    source: 'cilium/cilium#39338, #40609',
  },
  'policy-default-local-cluster-on': {
    since: '1.19',
    summary:
      '`policy-default-local-cluster` defaults to true: without the option set, peers without a cluster label match the local cluster only.',
    source: 'cilium/cilium#40609',
  },
  'fqdn-double-star-multilevel': {
    since: '1.19',
    summary: 'A `**.` prefix in toFQDNs/DNS matchPattern matches any number of subdomain levels; before, it matched one.',
    source: 'Cilium 1.19 release notes',
  },
  'mesh-auth-default-off': {
    since: '1.19',
    summary: '`mesh-auth-enabled` defaults to false; policies requiring authentication are invalid while it is off.',
    source: 'cilium/cilium#42665',
  },
  'kafka-deprecated': {
    since: '1.19',
    until: '1.20',
    summary: 'Kafka L7 rules are deprecated.',
    source: 'cilium/cilium#40967',
  },
  'kafka-removed': {
    since: '1.20',
    summary: 'Kafka L7 rules (`kafka`, `l7proto`, `l7`) are removed from the CRDs and refused as unknown fields.',
    source: 'cilium/cilium#43557, #44610',
  },
  'mutual-auth-deprecated': {
    since: '1.20',
    summary: 'Mutual authentication is deprecated.',
    source: 'cilium/cilium#47162',
  },
  'cnp-node-selector-refused': {
    since: '1.20',
    summary:
      'The operator marks a CiliumNetworkPolicy with a `nodeSelector` invalid (`CiliumNetworkPolicy rule cannot have NodeSelector, use CiliumClusterwideNetworkPolicy instead`).',
    source: 'Cilium 1.20 operator validation',
  },
  'envoy-daemonset': {
    since: '1.16',
    summary:
      'Envoy runs as its own DaemonSet, `cilium-envoy`, which `cilium status` reports; before, it is embedded in the agent (`Envoy DaemonSet: disabled (using embedded mode)`).',
    source: 'Cilium 1.16 upgrade notes (envoy.enabled defaults to true)',
  },
  'cilium-dbg-binary': {
    since: '1.15',
    summary: "The agent pod's debug CLI is `cilium-dbg`; before, it is `cilium`.",
    source: 'Cilium 1.15 upgrade notes',
  },
  'cnp-status-conditions': {
    since: '1.16',
    summary: 'The operator writes a `Valid` condition into the status of every CNP/CCNP; before, the status is empty.',
    source: 'cilium/cilium#32727',
  },
  'agent-log-slog': {
    since: '1.18',
    summary:
      'The agent logs through Go slog: `time=` unquoted RFC 3339 with nanoseconds, lower-case levels (`warn`), attributes in call order; before, logrus text with `time="..."` (RFC 3339 seconds), `warning`, and fields sorted.',
    source: 'cilium/cilium#39664',
  },
  'status-lists-absent-containers': {
    since: '1.17',
    summary:
      '`cilium status` (cilium-cli v0.18 and later) lists under Containers the components it knows that do not run (`clustermesh-apiserver`), with an empty count.',
    source: 'cilium-cli v0.18 status output',
  },
  'cluster-network-policy': {
    since: '1.20',
    summary: 'Kubernetes ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2) is enforced when enabled.',
    source: 'Cilium 1.20 release notes',
  },
  'egress-named-ports-by-peer': {
    since: '1.20',
    summary:
      "An egress rule's named port is resolved among the endpoints its peers select; before, among all endpoints, and a name they give different numbers meant no port (`duplicate named ports`).",
    source: 'cilium/cilium#44429',
  },
  'l7-wildcard-default-allow': {
    since: '1.18',
    summary:
      'L7 rules of a policy with `enableDefaultDeny: false` for their direction get an allow-all L7 rule added, so they deny nothing; before, they denied what they did not list.',
    source: 'cilium/cilium#38841',
  },
} as const satisfies Readonly<Record<string, VersionedBehaviour>>;

export type VersionedBehaviourName = keyof typeof VERSIONED_BEHAVIOURS;

/** Whether `name` is in force in `version`. */
export function behaviourIn(version: CiliumVersion, name: VersionedBehaviourName): boolean {
  const b: VersionedBehaviour = VERSIONED_BEHAVIOURS[name];
  return (b.since === undefined || atLeast(version, b.since)) && (b.until === undefined || !atLeast(version, b.until));
}
