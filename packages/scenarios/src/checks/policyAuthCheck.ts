import { policy, type Cluster, type Endpoint } from '@cilium-sim/core';
import type { PolicyRequiresAuthCheck } from '../scenarioTask.ts';
import { endpointOf, failed, labelText, PASS, podsWithLabels, type CheckOutcome } from './checkTarget.ts';

/** Cilium's numeric auth type for `authentication.mode: required` (SPIRE). */
const AUTH_REQUIRED = policy.AUTH_TYPE.required;

/**
 * Whether a policy selecting the check's endpoints requires mutual authentication in its
 * direction, for the peer when one is named. It reads the agents' live policy (the subject's
 * resolved rules and the selector cache's selections), so an edited, replaced or added policy
 * counts alike; it sends no traffic. Cases, each with the reason a learner sees:
 * - no running pod carries the labels: nothing to protect yet;
 * - no policy selects those pods;
 * - policies select them, but none has a rule in that direction admitting the peer;
 * - a rule admits the peer, but none of those rules sets `authentication.mode: required`.
 */
export function checkPolicyRequiresAuth(cluster: Cluster, check: PolicyRequiresAuthCheck): CheckOutcome {
  const subjectPods = podsWithLabels(cluster, check.namespace, check.endpointSelector);
  const subject = subjectPods.map((p) => endpointOf(cluster, p)).find((ep) => ep !== undefined);
  const what = `${check.namespace}/${labelText(check.endpointSelector)}`;
  if (subject === undefined) return failed(`no running pod in ${check.namespace} has the labels ${labelText(check.endpointSelector)}`);
  const name = shortName(check.endpointSelector);
  const direction = check.direction === 'ingress' ? 'INGRESS' : 'EGRESS';
  const peer = check.peer === undefined ? undefined : peerEndpoint(cluster, check.namespace, check.peer);
  const live = cluster.inspect.allowRules(subject.identity, direction, peer?.identity);
  const rules = live.selecting;
  if (rules.length === 0) return failed(`no policy selects the pods labelled ${what}: nothing requires authentication for ${name}`);
  if (check.peer !== undefined && peer === undefined) return failed(`no running pod has the peer labels ${labelText(check.peer)}`);
  const candidates = live.admitting;
  if (candidates.length === 0) {
    const names = [...new Set(rules.map((r) => policy.formatPolicySource(r.source)))].join(', ');
    const peerText = `${check.direction === 'ingress' ? 'from' : 'to'} ${check.peer === undefined ? 'any peer' : shortName(check.peer)}`;
    return failed(`no ${check.direction} rule on ${name} admits traffic ${peerText} (policies selecting ${name}: ${names})`);
  }
  if (candidates.some(({ peerRule }) => peerRule.authType === AUTH_REQUIRED)) return PASS;
  const where = candidates
    .map(({ rule, peerRule }) => `${policy.formatPolicySource(rule.source)} ${rule.specPath}.${peerRule.section}[${peerRule.index}]`)
    .join(', ');
  return failed(
    `the ${check.direction} rule on ${name} has no authentication.mode: required (${where} admits ${check.peer === undefined ? 'its peers' : shortName(check.peer)} without it)`,
  );
}

function peerEndpoint(cluster: Cluster, namespace: string, labels: Readonly<Record<string, string>>): Endpoint | undefined {
  // The peer usually lives next to the subject; otherwise look in every namespace.
  const local = podsWithLabels(cluster, namespace, labels)
    .map((p) => endpointOf(cluster, p))
    .find((ep) => ep !== undefined);
  if (local !== undefined) return local;
  const namespaces = cluster.list('Namespace').map((n) => n.metadata.name);
  return namespaces
    .flatMap((ns) => podsWithLabels(cluster, ns, labels))
    .map((p) => endpointOf(cluster, p))
    .find((ep) => ep !== undefined);
}

/** `echo` for `{app: echo}`: how the learner names the workload. */
function shortName(labels: Readonly<Record<string, string>>): string {
  const values = Object.values(labels);
  return values.length === 1 ? values[0]! : labelText(labels);
}
