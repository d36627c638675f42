import { isRecord } from '../../k8s/manifest.ts';
import type { LintRule } from '../lintRule.ts';
import { nonEmpty, rawPortRules, rawRules, rawSpecs, SECTIONS } from '../rawPolicy.ts';
import { refusedSentence } from './refusal.ts';

/** The sanitizer's checks of a rule's subject and sections (pkg/policy/api/rule_validation.go). */
export const SANITIZE_SUBJECT_RULES: readonly LintRule[] = [
  {
    code: 'selector-missing',
    severity: 'error',
    title: 'A rule needs exactly one of endpointSelector and nodeSelector',
    *check(ctx) {
      for (const spec of ctx.policies.flatMap(rawSpecs)) {
        const ep = spec.raw['endpointSelector'] !== undefined && spec.raw['endpointSelector'] !== null;
        const node = spec.raw['nodeSelector'] !== undefined && spec.raw['nodeSelector'] !== null;
        if (ep === node)
          yield {
            policy: spec.policy,
            path: spec.path,
            cilium: ep
              ? 'rule cannot have both EndpointSelector and NodeSelector'
              : 'rule must have one of EndpointSelector or NodeSelector',
            message: refusedSentence(ctx),
            fix: ep
              ? 'Keep endpointSelector for pods, or nodeSelector (in a CiliumClusterwideNetworkPolicy) for nodes, not both.'
              : 'Add endpointSelector: {} to select every pod the policy may select, or a narrower selector.',
          };
      }
    },
  },
  {
    code: 'cnp-node-selector',
    severity: 'error',
    title: 'A CiliumNetworkPolicy may not select nodes',
    *check(ctx) {
      for (const spec of ctx.policies.filter((p) => p.kind === 'CiliumNetworkPolicy').flatMap(rawSpecs)) {
        if (!isRecord(spec.raw['nodeSelector'])) continue;
        yield {
          policy: spec.policy,
          path: `${spec.path}.nodeSelector`,
          cilium: ctx.inForce('cnp-node-selector-refused')
            ? 'CiliumNetworkPolicy rule cannot have NodeSelector, use CiliumClusterwideNetworkPolicy instead'
            : 'Invalid CiliumNetworkPolicy spec: rule cannot have NodeSelector',
          message: refusedSentence(ctx),
          fix: 'Host policies are cluster-wide: move the rule into a CiliumClusterwideNetworkPolicy.',
        };
      }
    },
  },
  {
    code: 'host-policy-l7',
    severity: 'error',
    title: 'Host policies (nodeSelector) take no HTTP rules',
    *check(ctx) {
      for (const spec of ctx.policies.flatMap(rawSpecs)) {
        if (!isRecord(spec.raw['nodeSelector'])) continue;
        for (const pr of rawRules(spec).flatMap(rawPortRules)) {
          if (pr.l7 === undefined || !nonEmpty(pr.l7['http'])) continue;
          const cilium = !ctx.inForce('rule-needs-section')
            ? 'host policies do not support L7 rules yet'
            : pr.rule.egress
              ? 'L7 protocol HTTP is not supported on host egress yet'
              : 'L7 policy is not supported on host ingress yet';
          yield {
            policy: spec.policy,
            path: `${pr.path}.rules.http`,
            cilium,
            message: refusedSentence(ctx),
            fix: 'Enforce HTTP rules on the pods (an endpointSelector policy); keep host policies at L3/L4 (and DNS).',
          };
        }
      }
    },
  },
  {
    code: 'rule-without-sections',
    severity: 'error',
    title: 'A rule needs at least one of ingress, ingressDeny, egress, egressDeny',
    gate: [{ behaviour: 'rule-needs-section', inForce: true }],
    *check(ctx) {
      for (const spec of ctx.policies.flatMap(rawSpecs)) {
        // A rule that only sets enableDefaultDeny is the empty-default-deny trap, reported there.
        if (SECTIONS.some((s) => nonEmpty(spec.raw[s])) || spec.raw['enableDefaultDeny'] !== undefined) continue;
        yield {
          policy: spec.policy,
          path: spec.path,
          cilium: 'rule must have at least one of Ingress, IngressDeny, Egress, EgressDeny',
          message: refusedSentence(ctx),
          fix: 'Add the rules the policy is for; to deny everything, write ingress: [{}] (an empty rule turns on default deny and allows nothing).',
        };
      }
    },
  },
];
