import { subjectSelects } from '../../policy/enforcement.ts';
import { NAMESPACE_LABELS_PREFIX } from '../../identity/endpointLabels.ts';
import { selectorMatches, type Selector } from '../../k8s/labelSelector.ts';
import type { PolicyRule } from '../../policy/types.ts';
import type { LintContext, LintPolicy } from '../lintContext.ts';
import type { LintRule } from '../lintRule.ts';

/** Selectors that meet nothing: no pod of the manifests, no namespace with the label. */
export const SELECTION_TRAP_RULES: readonly LintRule[] = [
  {
    code: 'selects-nothing',
    severity: 'warning',
    title: 'A policy or rule that selects no pod of the given manifests',
    *check(ctx) {
      // Without workloads in the manifests there is nothing to judge a selector against.
      if (ctx.workloads.length === 0) return;
      const pods = [...ctx.workloads, ...ctx.systemWorkloads];
      for (const { policy, rule } of parsedRules(ctx)) {
        if (rule.subject.kind !== 'endpoints') continue;
        if (!pods.some((w) => subjectSelects(rule.subject, { id: 0, labels: w.labels }))) {
          yield {
            policy,
            path: `${rule.specPath}.${policy.kind === 'NetworkPolicy' ? 'podSelector' : 'endpointSelector'}`,
            message: `No pod of the given manifests matches this selector (${rule.subject.selector.key || 'every pod'}), so the ${rule.specPath === 'spec' ? 'policy' : 'rule'} applies to nothing.`,
            fix: 'Check the labels and the namespace against the workloads: a namespaced policy only selects pods of its own namespace.',
          };
          continue;
        }
        for (const pr of [...rule.ingress, ...rule.egress]) {
          for (const [i, peer] of pr.peers.entries()) {
            if (peer.kind !== 'endpoints' || pods.some((w) => selectorMatches(peer.selector, w.labels))) continue;
            yield {
              policy,
              path: `${rule.specPath}.${pr.section}[${pr.index}].${pr.peerField ?? 'peers'}[${i}]`,
              message: `No pod of the given manifests matches this peer (${peer.selector.key}), so the rule ${pr.deny ? 'denies' : 'allows'} nothing from it.`,
              fix: "Check the labels and the namespace: a peer selector without a namespace only matches pods of the policy's own namespace.",
            };
          }
        }
      }
    },
  },
  {
    code: 'namespace-label-unknown',
    severity: 'warning',
    title: 'A namespace label selector naming a label no namespace has',
    *check(ctx) {
      for (const { policy, rule } of parsedRules(ctx)) {
        const selectors: [string, Selector][] = [];
        if (rule.subject.kind === 'endpoints')
          selectors.push([
            `${rule.specPath}.${policy.kind === 'NetworkPolicy' ? 'podSelector' : 'endpointSelector'}`,
            rule.subject.selector,
          ]);
        for (const pr of [...rule.ingress, ...rule.egress])
          pr.peers.forEach((peer, i) => {
            if (peer.kind === 'endpoints')
              selectors.push([`${rule.specPath}.${pr.section}[${pr.index}].${pr.peerField ?? 'peers'}[${i}]`, peer.selector]);
          });
        for (const [path, sel] of selectors) {
          for (const r of sel.requirements) {
            if (!r.key.startsWith(NAMESPACE_LABELS_PREFIX) || (r.operator !== 'In' && r.operator !== 'Exists')) continue;
            const key = r.key.slice(NAMESPACE_LABELS_PREFIX.length);
            const known = [...ctx.namespaces.values()].some(
              (labels) => key in labels && (r.operator === 'Exists' || r.values.includes(labels[key]!)),
            );
            if (known) continue;
            const label = r.operator === 'In' ? `${key}=${r.values.join('|')}` : key;
            yield {
              policy,
              path,
              message: `No namespace of the given manifests (nor ${[...ctx.namespaces.keys()].filter((n) => n.startsWith('kube-') || n === 'default').join(', ')}) has the label ${label}, so this selector matches no pod of any namespace.`,
              fix: `Label the namespace (kubectl label namespace NAME ${r.operator === 'In' ? `${key}=${r.values[0]}` : `${key}=...`}) in the manifests, or select it by kubernetes.io/metadata.name.`,
            };
          }
        }
      }
    },
  },
];

function parsedRules(ctx: LintContext): { policy: LintPolicy; rule: PolicyRule }[] {
  return ctx.policies.flatMap((policy) => (policy.rules?.rules ?? []).map((rule) => ({ policy, rule })));
}
