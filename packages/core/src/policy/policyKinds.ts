/**
 * The API kinds that carry network policy, in the order errors list them. The control plane
 * feeds their objects to the policy engine, dry runs compare them, the parser accepts them.
 * Cilium's own kinds and Kubernetes NetworkPolicy form the NetworkPolicy tier; the
 * network-policy-api kinds (TIER_POLICY_KINDS) place their rules in the Admin or Baseline tier.
 */
export const POLICY_KINDS = [
  'CiliumNetworkPolicy',
  'CiliumClusterwideNetworkPolicy',
  'NetworkPolicy',
  'ClusterNetworkPolicy',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
] as const;

export type PolicyKind = (typeof POLICY_KINDS)[number];

/** ClusterNetworkPolicy (v1alpha2) and its v1alpha1 forerunners: the kinds of the Admin and Baseline tiers. */
export const TIER_POLICY_KINDS = ['ClusterNetworkPolicy', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy'] as const;

export type TierPolicyKind = (typeof TIER_POLICY_KINDS)[number];

export function isPolicyKind(kind: string | undefined): kind is PolicyKind {
  return (POLICY_KINDS as readonly (string | undefined)[]).includes(kind);
}

export function isTierPolicyKind(kind: string | undefined): kind is TierPolicyKind {
  return (TIER_POLICY_KINDS as readonly (string | undefined)[]).includes(kind);
}
