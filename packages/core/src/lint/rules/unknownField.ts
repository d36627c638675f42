import { admitPolicyObject } from '../../policy/parsePolicy.ts';
import type { LintRule } from '../lintRule.ts';

/**
 * Fields the CRD (or the NetworkPolicy API) does not have, usually a typo (`fromEndpoint`): with
 * kubectl's strict field validation the API server refuses the object; without it the field is
 * dropped, and the rule it belonged to means something else.
 */
export const UNKNOWN_FIELD_RULES: readonly LintRule[] = [
  {
    code: 'unknown-field',
    severity: 'error',
    title: 'A field the policy kind does not have',
    *check(ctx) {
      for (const policy of ctx.policies) {
        for (const issue of admitPolicyObject(policy.raw).issues) {
          if (issue.code !== 'UNKNOWN_FIELD' || issue.path === undefined) continue;
          yield {
            policy,
            path: issue.path,
            cilium: `strict decoding error: unknown field "${issue.path}"`,
            message: `${issue.message.replace(/^unknown field "[^"]*"; /, 'The field is not part of the API')}: kubectl apply refuses the object, and with --validate=false the API server drops the field, so the rule means something else than written.`,
            fix: 'Correct the field name or its indentation.',
          };
        }
      }
    },
  },
];
