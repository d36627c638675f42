import type { LabelSet } from '../../identity/labels.ts';
import { fqdnSelectorMatches, fqdnSelectorString, type FqdnSelector } from '../../policy/fqdn.ts';
import { subjectSelects } from '../../policy/enforcement.ts';
import type { PolicyRule } from '../../policy/types.ts';
import { representative } from '../identityUniverse.ts';
import type { LintContext } from '../lintContext.ts';
import type { LintRule } from '../lintRule.ts';

/**
 * toFQDNs learns a name's addresses only from the DNS answers the agent's DNS proxy sees, and
 * the proxy sees a pod's lookups only when an egress rule of a policy selecting that pod puts
 * port 53 under `rules.dns` with a pattern that allows the name. Without one, the name's IPs are
 * never learned and every connection to it is dropped, though the policy reads as allowing it.
 */
export const FQDN_WITHOUT_DNS_RULES: readonly LintRule[] = [
  {
    code: 'fqdn-without-dns-proxy',
    severity: 'error',
    title: 'toFQDNs needs a DNS rule that lets the DNS proxy see the lookups',
    *check(ctx) {
      const rules = ctx.policies.flatMap((p) => (p.rules?.rules ?? []).map((rule) => ({ policy: p, rule })));
      for (const { policy, rule } of rules) {
        if (rule.subject.kind !== 'endpoints') continue;
        for (const pr of rule.egress) {
          for (const [i, peer] of pr.peers.entries()) {
            if (peer.kind !== 'fqdn') continue;
            const pods = podsOf(ctx, rule);
            const blind = pods.filter(
              (labels) => !rules.some(({ rule: r }) => subjectSelects(r.subject, { id: 0, labels }) && allowsLookup(r, peer.fqdn)),
            );
            if (pods.length === 0 || blind.length === 0) continue;
            const name = fqdnSelectorString(peer.fqdn);
            yield {
              policy,
              path: `${rule.specPath}.egress[${pr.index}].toFQDNs[${i}]`,
              message: `The agents learn the addresses behind ${name} only from DNS answers their DNS proxy sees, and no egress rule of the policies selecting these pods sends their lookups of it through the proxy (rules.dns on port 53); the addresses are never learned, so every connection to the name is dropped.`,
              fix: 'Add an egress rule to kube-dns (toEndpoints with k8s:io.kubernetes.pod.namespace: kube-system and k8s-app: kube-dns) on port 53, protocol ANY, with rules: { dns: [{ matchPattern: "*" }] } (or patterns covering this name).',
            };
          }
        }
      }
    },
  },
];

/** The pods a rule selects: the manifests' ones, else a representative of its selector. */
function podsOf(ctx: LintContext, rule: PolicyRule): LabelSet[] {
  const found = [...ctx.workloads, ...ctx.systemWorkloads]
    .map((w) => w.labels)
    .filter((labels) => subjectSelects(rule.subject, { id: 0, labels }));
  if (found.length > 0) return found;
  const rep = rule.subject.kind === 'endpoints' ? representative(rule.subject.selector, ctx) : undefined;
  return rep === undefined ? [] : [rep];
}

/** Whether some egress rule of `rule` redirects DNS to the proxy with a pattern allowing the name. */
function allowsLookup(rule: PolicyRule, fqdn: FqdnSelector): boolean {
  const sample = sampleName(fqdn);
  return rule.egress.some((pr) => (pr.portRules ?? []).some((p) => (p.l7?.dns ?? []).some((d) => fqdnSelectorMatches(d, sample))));
}

/** A name the selector matches: its matchName, or its pattern with each `*` as a label. */
function sampleName(fqdn: FqdnSelector): string {
  if (fqdn.matchName !== undefined) return fqdn.matchName;
  const pattern = fqdn.matchPattern ?? '*';
  return pattern === '*' ? 'example.com' : pattern.replace(/^\*\*\./, 'a.').replaceAll('*', 'a');
}
