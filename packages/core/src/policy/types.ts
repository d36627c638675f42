import type { LabelSet } from '../identity/labels.ts';
import type { AuthType } from './authType.ts';
import type { PolicyKind } from './policyKinds.ts';
import type { PeerSelector } from './peerSelector.ts';
import type { Selector } from '../k8s/labelSelector.ts';

/**
 * The parsed, validated form of CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy and
 * Kubernetes NetworkPolicy objects: what the repository stores and resolution reads. Every
 * selector is already namespace-scoped (cilium-facts §2.5), every protocol normalised, every
 * `ANY` expanded, so nothing downstream looks at the raw YAML again.
 */

export interface PolicySource {
  readonly kind: PolicyKind;
  /** Absent for CiliumClusterwideNetworkPolicy. */
  readonly namespace?: string;
  readonly name: string;
}

export type RuleSection = 'ingress' | 'ingressDeny' | 'egress' | 'egressDeny';

/** Protocols a policy can name after `ANY` is expanded; ICMP carries the ICMP type as port. */
export type PolicyProtocol = 'TCP' | 'UDP' | 'SCTP' | 'ICMP' | 'ICMPv6';

export interface PortSpec {
  readonly protocol: PolicyProtocol;
  /** 0 = every port of the protocol; a string is a named port, resolved per endpoint. */
  readonly port: number | string;
  /** Inclusive end of a range; absent for a single port. */
  readonly endPort?: number;
}

export interface HeaderMatch {
  readonly name: string;
  /** Absent: the header must only be present. */
  readonly value?: string;
  readonly mismatch?: 'LOG' | 'ADD' | 'DELETE' | 'REPLACE';
  readonly secret?: SecretRef;
}

/** One `rules.http` entry: all fields AND, entries OR; `{}` allows every request. */
export interface HttpRule {
  /** Regex sources, matched against the whole value (Envoy's anchored safe_regex). */
  readonly method?: string;
  readonly path?: string;
  readonly host?: string;
  readonly headers?: readonly HeaderMatch[];
}

/** One `rules.dns` entry: exactly one of the two. */
export interface DnsRule {
  readonly matchName?: string;
  readonly matchPattern?: string;
}

export interface SecretRef {
  readonly name: string;
  readonly namespace?: string;
}

export interface TlsContext {
  readonly secret?: SecretRef;
  readonly certificate?: string;
  readonly privateKey?: string;
  readonly trustedCA?: string;
  /**
   * `spiffe.peerIDs` (AccuKnox's fork, the spiffeTlsUpgrade extension): the SPIFFE IDs the proxy
   * accepts from the peer's SVID. Omitted: no SPIFFE check; empty: any SVID of the trust domain.
   */
  readonly spiffePeerIds?: readonly string[];
  /**
   * `dstPort` (same fork): the port the proxy re-targets, the TLS port when originating
   * (`443`), the application's port when terminating (`80`). Omitted: the port is kept.
   */
  readonly dstPort?: number;
}

export interface Listener {
  readonly name: string;
  readonly envoyConfig: { readonly kind: string; readonly name: string };
  readonly priority?: number;
}

/** What the L7 proxy enforces on a redirected port. An absent field does not restrict. */
export interface L7Rules {
  readonly http?: readonly HttpRule[];
  readonly dns?: readonly DnsRule[];
  /** TLS SNI patterns (matchPattern syntax). */
  readonly serverNames?: readonly string[];
  readonly terminatingTLS?: TlsContext;
  readonly originatingTLS?: TlsContext;
  readonly listener?: Listener;
}

export interface PortRule {
  /** Empty: every port of every protocol. */
  readonly ports: readonly PortSpec[];
  readonly l7?: L7Rules;
}

/** One element of `ingress`, `ingressDeny`, `egress` or `egressDeny` (or of a NetworkPolicy's). */
export interface PeerRule {
  readonly section: RuleSection;
  readonly index: number;
  readonly deny: boolean;
  /**
   * The peers the rule admits. A rule without any L3 field has one wildcard peer when it has
   * `toPorts` or `icmps` (an L4-only rule) and none otherwise (`ingress: [{}]` allows nothing).
   */
  readonly peers: readonly PeerSelector[];
  /** The L3 field the peers came from (`fromEndpoints`, `ipBlock`, ...), for explanations. */
  readonly peerField?: string;
  /** Absent: every port and protocol (an L3-only rule). */
  readonly portRules?: readonly PortRule[];
  /** Present when the rule sets `authentication.mode` (explicit auth, even `disabled`). */
  readonly authType?: AuthType;
}

export type Subject =
  | { readonly kind: 'endpoints'; readonly selector: Selector }
  /** CCNP host policy: selects the host endpoint of nodes whose labels match. */
  | { readonly kind: 'nodes'; readonly selector: Selector };

/** One `api.Rule`: a CNP's `spec`, one of its `specs[]`, or a whole NetworkPolicy. */
export interface PolicyRule {
  readonly source: PolicySource;
  /** 0 for `spec`, i for `specs[i]` (after `spec` when both are present). */
  readonly specIndex: number;
  /** `spec` or `specs[1]`, to name the rule in explanations. */
  readonly specPath: string;
  readonly subject: Subject;
  readonly ingress: readonly PeerRule[];
  readonly egress: readonly PeerRule[];
  /** True when the rule has an ingress(-deny) / egress(-deny) section (it is "enforced"). */
  readonly hasIngress: boolean;
  readonly hasEgress: boolean;
  /** Whether selecting an endpoint turns on default deny in that direction (§2.3). */
  readonly defaultDeny: { readonly ingress: boolean; readonly egress: boolean };
  readonly description?: string;
  readonly labels: LabelSet;
}

/** A parsed policy object: its identity and its rules. */
export interface PolicyRules {
  readonly source: PolicySource;
  readonly rules: readonly PolicyRule[];
}

/** How a policy object is named in errors and explanations: `CiliumNetworkPolicy default/rule1`. */
export function formatPolicySource(s: PolicySource): string {
  return s.namespace === undefined ? `${s.kind} ${s.name}` : `${s.kind} ${s.namespace}/${s.name}`;
}

/** The repository key of a policy object. */
export function policySourceKey(s: PolicySource): string {
  return `${s.kind}/${s.namespace ?? ''}/${s.name}`;
}
