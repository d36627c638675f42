import type { VersionedBehaviourName } from './ciliumVersion.ts';

/**
 * Where each version-dependent behaviour shows in cilium-sim, for the docs' version table
 * (docs/reference/versions.md): what a user sees change, or that the simulator leaves it out.
 * Every row of VERSIONED_BEHAVIOURS has its entry, so a new row cannot go undocumented.
 */
export const SIMULATED_BEHAVIOURS: Readonly<Record<VersionedBehaviourName, string>> = {
  'enable-default-deny-field': 'Before 1.16 the API server refuses the field (unknown field).',
  'port-ranges':
    "Before 1.16 a CNP's `endPort` is an unknown field and a NetworkPolicy's `endPort` is kept but not enforced (the rule allows `port` only).",
  'empty-peer-list-selects-nothing': '`cilium-sim lint --cilium-version` applies it; the running cluster does not vary it by version.',
  'operator-policy-validation':
    "`cilium-sim lint --cilium-version` words its refusals with the operator's `Valid` condition; the cluster's own status: see `cnp-status-conditions`.",
  'to-services-with-ports': '`cilium-sim lint --cilium-version` applies it; the running cluster does not vary it by version.',
  'sanitize-messages-lowercase': "`cilium-sim lint --cilium-version` quotes the sanitizer's messages in that version's case.",
  'rule-needs-section': '`cilium-sim lint --cilium-version` applies it; the running cluster does not vary it by version.',
  'dns-rules-no-port-ranges': '`cilium-sim lint --cilium-version` applies it; the running cluster does not vary it by version.',
  'operator-validates-every-spec': '`cilium-sim lint --cilium-version` applies it; the running cluster does not vary it by version.',
  'cnp-node-selector-refused': '`cilium-sim lint --cilium-version` applies it; the running cluster does not vary it by version.',
  'requires-deprecated': 'The refusal of `fromRequires`/`toRequires` (which cilium-sim does not model) says they are deprecated.',
  'requires-removed': 'The API server refuses any item: `Too many: N: must have at most 0 items`.',
  'cnp-valid-column': '`kubectl get cnp` prints `NAME AGE VALID` (CCNP `NAME VALID`); before, `NAME AGE`.',
  'sni-wildcards': 'The L7 proxy matches `serverNames` as patterns; before, each name compares exactly.',
  'policy-default-local-cluster': '`cilium config view` lists the key (one cluster: selection is unchanged).',
  'policy-default-local-cluster-on': '`cilium config view` shows it true.',
  'fqdn-double-star-multilevel': 'The DNS proxy and toFQDNs read `**.` at any depth; before, as `*.`.',
  'mesh-auth-default-off':
    'Without mutual authentication installed, `mesh-auth-enabled` reads false and policies requiring authentication report `Valid: False`.',
  'kafka-deprecated': 'Not modelled (Kafka rules are refused as not modelled before 1.20).',
  'kafka-removed': 'The API server refuses `kafka`, `l7proto` and `l7` as unknown fields.',
  'mutual-auth-deprecated': 'Not modelled: mutual authentication works as before.',
  'cluster-network-policy':
    'From 1.20 `enable-k8s-cluster-network-policy true` enforces the Admin and Baseline tiers; before, ClusterNetworkPolicies are stored and kubectl warns they are not enforced.',
  'envoy-daemonset':
    '`kubectl get ds -A` lists `cilium-envoy`, `cilium status` reports it, `cilium-config` has `external-envoy-proxy: true` and `cilium-dbg status` says `Envoy: external`.',
  'cilium-dbg-binary': 'Before 1.15, `kubectl exec ... -- cilium-dbg` fails with executable file not found; `cilium` works.',
  'cnp-status-conditions': 'Before 1.16, `kubectl get cnp -o yaml` shows no status.',
  'agent-log-slog': "`kubectl logs` of an agent pod prints each line in the version's format.",
  'status-lists-absent-containers':
    '`cilium status` lists `clustermesh-apiserver` (and `hubble-relay` when it does not run) without a count.',
  'egress-named-ports-by-peer':
    "Before 1.20 an egress named port that endpoints (system pods too) number differently allows no port; from 1.20 every number of the name counts, not only the peers'.",
  'l7-wildcard-default-allow':
    'The proxy lets every request of such a rule through (Hubble still shows them); before, it answers 403 to what the rule does not list.',
};
