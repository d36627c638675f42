import { AUTH_TYPE, type AuthType } from './authType.ts';
import type { Direction } from './direction.ts';
import type { L7Rules, PolicyTier, TierAction } from './types.ts';

/**
 * What a policy map lookup decides for one packet (pkg/policy mapstate's verdict material). The
 * policy map produces it; the datapath turns it into a verdict, a drop reason and a Hubble
 * flow, and `cilium policy trace` reports it.
 */
export interface PolicyRef {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly revision?: number;
}

export interface PolicyDecision {
  readonly allowed: boolean;
  /** True when an explicit deny rule matched (drop reason 181 instead of 133). */
  readonly denied: boolean;
  /** Hubble's policy match type name: 'none', 'L3-Only', 'L3-L4', 'L4-Only', 'all', ... */
  readonly matchType: string;
  /** The authentication the packet needs first (AUTH_TYPE.disabled: none). */
  readonly authType: AuthType;
  /** Present when the port is redirected to the L7 proxy: what the proxy enforces for this peer. */
  readonly l7?: L7Rules;
  readonly policies: readonly PolicyRef[];
  /** Present when a rule of the Admin or Baseline tier decided (Accept or Deny): which, and how. */
  readonly tier?: TierVerdict;
}

/** An endpoint's policy for the datapath: enforcement per direction and O(1) lookups. */
export interface EndpointPolicyView {
  readonly ingressEnforced: boolean;
  readonly egressEnforced: boolean;
  lookup(remoteIdentity: number, direction: Direction, proto: number, port: number): PolicyDecision;
}

export const ALLOW_UNENFORCED: PolicyDecision = Object.freeze({
  allowed: true,
  denied: false,
  matchType: 'all',
  authType: AUTH_TYPE.disabled,
  policies: [],
});

/**
 * What a rule of the Admin or Baseline tier says about the traffic one policy map key covers,
 * as Cilium 1.20 keeps it beside the NetworkPolicy tier's verdict (pkg/policy/types policyentry's
 * Tier and Priority): the tier, the rule's place in it and its action. A ClusterNetworkPolicy
 * rule's place is its policy's priority plus its position in the ingress or egress list
 * (Cilium's `priority + ruleIndex/100`), so rules of one policy keep their list order and policies
 * of equal priority tie. Within a tier the lowest place decides; at a tie Deny goes before Accept
 * before Pass, as Cilium orders deny over allow.
 */
export interface TierVerdict {
  readonly tier: PolicyTier;
  /** priority * 1000 + rule index: lower is evaluated first. */
  readonly order: number;
  readonly action: TierAction;
  readonly ref: PolicyRef;
  /** The rule's `name`, when it has one. */
  readonly rule?: string;
  /** Present on the DNS allow Cilium adds for `domainNames`: what the DNS proxy enforces. */
  readonly l7?: L7Rules;
}

/** The place of a rule: its policy's priority, then its index in the policy's list. */
export function tierOrder(priority: number, index: number): number {
  return priority * 1000 + index;
}

const ACTION_STRENGTH: Readonly<Record<TierAction, number>> = { Deny: 2, Accept: 1, Pass: 0 };

/** The verdict evaluated first of two that match the same packet (either may be absent). */
export function firstVerdict(a: TierVerdict | undefined, b: TierVerdict | undefined): TierVerdict | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (a.order !== b.order) return a.order < b.order ? a : b;
  if (a.action !== b.action) return ACTION_STRENGTH[a.action] > ACTION_STRENGTH[b.action] ? a : b;
  return policyKey(a.ref) <= policyKey(b.ref) ? a : b;
}

function policyKey(r: PolicyRef): string {
  return `${r.kind}/${r.name}`;
}
