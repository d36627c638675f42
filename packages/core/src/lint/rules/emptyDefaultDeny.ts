import { isRecord } from '../../k8s/manifest.ts';
import type { LintRule } from '../lintRule.ts';
import { nonEmpty, rawSpecs, SECTIONS } from '../rawPolicy.ts';

/**
 * A rule with `enableDefaultDeny` and no rules (or only empty lists): from 1.17 the operator
 * marks it `Valid: False`, yet the agents enforce it, so a direction set to true drops all of the
 * selected endpoints' traffic, and one set to false makes the policy do nothing (cilium#45716).
 */
export const EMPTY_DEFAULT_DENY_RULES: readonly LintRule[] = [
  {
    code: 'empty-default-deny',
    severity: 'warning',
    title: 'A policy with enableDefaultDeny and no rules',
    *check(ctx) {
      for (const spec of ctx.policies.flatMap(rawSpecs)) {
        const dd = spec.raw['enableDefaultDeny'];
        if (!isRecord(dd) || SECTIONS.some((s) => nonEmpty(spec.raw[s]))) continue;
        const on = (['ingress', 'egress'] as const).filter((d) => dd[d] === true);
        const valid = ctx.inForce('rule-needs-section')
          ? 'The operator reports Valid: False (the rule has no sections) although the agents still import it. '
          : '';
        yield {
          policy: spec.policy,
          path: `${spec.path}.enableDefaultDeny`,
          ...(ctx.inForce('rule-needs-section')
            ? { cilium: 'rule must have at least one of Ingress, IngressDeny, Egress, EgressDeny' }
            : {}),
          message:
            on.length > 0
              ? `${valid}It has no rules, so enableDefaultDeny.${on.join(' and ')}: true puts the selected endpoints into default deny with nothing allowed: all their ${on.join(' and ')} traffic is dropped.`
              : `${valid}It has no rules and turns default deny off, so it does nothing at all.`,
          fix:
            on.length > 0
              ? `To deny all ${on.join(' and ')} traffic say so plainly: ${on.map((d) => `${d}: [{}]`).join(', ')} (an empty rule allows nothing); otherwise add the rules to allow.`
              : 'Add the rules the policy is for, or delete it.',
        };
      }
    },
  },
];
