import type { PolicyRule, PolicyRules } from './types.ts';

/**
 * Every prefix the policies name in CIDR peers, excepts included, canonical and sorted. The
 * identity allocator gives each one a local CIDR identity (16777217+) so CIDR selectors have
 * identities to select, as the agent does when a policy is imported.
 *
 * @example referencedCidrs(parsePolicy(cidrRule)) // ['10.0.0.0/8', '10.96.0.0/12', '20.1.1.1/32']
 */
export function referencedCidrs(policies: PolicyRules | readonly PolicyRules[]): string[] {
  const list = Array.isArray(policies) ? (policies as readonly PolicyRules[]) : [policies as PolicyRules];
  const out = new Set<string>();
  const visit = (rule: PolicyRule): void => {
    for (const pr of [...rule.ingress, ...rule.egress]) {
      for (const peer of pr.peers) {
        if (peer.kind !== 'cidr') continue;
        out.add(peer.cidr.text);
        for (const e of peer.except) out.add(e.text);
      }
    }
  };
  for (const p of list) p.rules.forEach(visit);
  return [...out].sort();
}
