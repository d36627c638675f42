import { isSimError } from '../../errors.ts';
import { validateDocument } from '../../k8s/validate.ts';
import { admitPolicyObject } from '../../policy/parsePolicy.ts';
import type { LintPolicy } from '../lintContext.ts';
import type { LintHit, LintRule } from '../lintRule.ts';

/**
 * ClusterNetworkPolicy (and the v1alpha1 AdminNetworkPolicy and BaselineAdminNetworkPolicy): what
 * the API server's CRD and CEL rules refuse, what Cilium's translation refuses, and the versions
 * whose agents do not enforce them at all. The other rules read CNP, CCNP and NetworkPolicy only.
 */
export const TIER_POLICY_RULES: readonly LintRule[] = [
  {
    code: 'tier-policy-refused',
    severity: 'error',
    title: 'A ClusterNetworkPolicy the API server or Cilium refuses',
    *check(ctx) {
      for (const policy of ctx.tierPolicies) yield* refusals(policy);
    },
  },
  {
    code: 'tier-policy-not-enforced',
    severity: 'warning',
    title: 'ClusterNetworkPolicy in a Cilium version that does not enforce it',
    gate: [{ behaviour: 'cluster-network-policy', inForce: false }],
    versionGated: true,
    *check(ctx) {
      for (const policy of ctx.tierPolicies)
        yield {
          policy,
          path: '',
          message: `Cilium ${ctx.version.release} does not implement ${policy.kind}: with its CRD installed the API server stores the object, and no agent enforces any of its rules.`,
          fix: 'Run Cilium 1.20 or later with enable-k8s-cluster-network-policy=true, or write the guardrail as a CiliumClusterwideNetworkPolicy.',
        };
    },
  },
];

function* refusals(policy: LintPolicy): Iterable<LintHit> {
  try {
    validateDocument({ index: policy.document + 1, line: 1, itemPath: '', value: policy.raw });
  } catch (e) {
    if (!isSimError(e)) throw e;
    for (const issue of e.issues)
      yield {
        policy,
        path: issue.path ?? '',
        message: `${issue.message}: kubectl apply refuses the object.`,
        fix: 'Correct the field as the message says.',
      };
    return;
  }
  for (const issue of admitPolicyObject(policy.raw).issues)
    yield {
      policy,
      path: issue.path ?? '',
      message: `${issue.message}: Cilium refuses to translate the policy, so none of its rules apply.`,
      fix: 'Correct the field as the message says.',
    };
}
