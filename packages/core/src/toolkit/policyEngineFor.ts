import type { PolicyObject } from '../k8s/objects.ts';
import { servicePodSelector } from '../k8s/endpoints.ts';
import { type K8sState, listObjects } from '../k8s/state.ts';
import { PolicyEngine } from '../policy/policyEngine.ts';
import { POLICY_KINDS } from '../policy/policyKinds.ts';
import type { Runtime } from '../runtime/runtime.ts';

/**
 * A private PolicyEngine holding the policy objects of `state` and the cluster's current
 * identities, endpoints' named ports (the agents' index) and enforcement mode (`enable-policy`, read as the agents
 * read it): what the agents would compute if `state` were the API server's. Policies are the
 * revisions admission parsed, not parsed again. Reads the runtime, changes nothing in it, so a
 * dry run can build one for "before" and one for "after" and diff them like for like.
 *
 * Gotcha: CIDR prefixes that only `state`'s policies name get no CIDR identity here (the
 * cluster allocates those when the policy is really applied); traffic to them reads as `world`.
 */
export function policyEngineFor(rt: Runtime, state: K8sState): PolicyEngine {
  const engine = new PolicyEngine({
    ctx: {
      clusterName: rt.options.clusterName,
      serviceSelector: (ns, name) => servicePodSelector(state, ns, name),
    },
    mode: rt.config.get('enable-policy'),
    namedPorts: (subject) => rt.namedPorts.forSubject(subject.id),
  });
  for (const info of rt.policy.cache.identities()) engine.upsertIdentity(info);
  for (const kind of POLICY_KINDS) {
    for (const obj of listObjects(state, kind)) engine.apply(rt.admission.rulesOf(obj as PolicyObject));
  }
  return engine;
}
