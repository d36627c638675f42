import type { LintContext } from '../lintContext.ts';

/**
 * What happens to a policy Cilium's sanitizer refuses, in the version linted: the API server
 * stores it, the operator (1.16+) marks it `Valid: False`, and every agent refuses to import it,
 * so none of its rules apply, not even the ones that are fine.
 */
export function refusedSentence(ctx: LintContext): string {
  const operator = ctx.inForce('operator-policy-validation') ? ', the operator sets its Valid condition to False,' : '';
  return `The API server stores the policy${operator} and every agent refuses to import it: none of its rules apply, so the endpoints it selects are not restricted by it at all.`;
}
