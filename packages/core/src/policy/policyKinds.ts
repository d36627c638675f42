/**
 * The API kinds that carry network policy, in the order errors list them. The control plane
 * feeds their objects to the policy engine, dry runs compare them, the parser accepts them.
 */
export const POLICY_KINDS = ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy', 'NetworkPolicy'] as const;

export type PolicyKind = (typeof POLICY_KINDS)[number];

export function isPolicyKind(kind: string | undefined): kind is PolicyKind {
  return (POLICY_KINDS as readonly (string | undefined)[]).includes(kind);
}
