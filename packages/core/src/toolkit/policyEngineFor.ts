import type { PolicyObject } from '../k8s/objects.ts';
import { getObject, type K8sState, listObjects } from '../k8s/state.ts';
import type { NamedPorts } from '../policy/l4Filter.ts';
import { PolicyEngine } from '../policy/policyEngine.ts';
import { POLICY_KINDS } from '../policy/policyKinds.ts';
import type { Runtime } from '../runtime/runtime.ts';

/**
 * A private PolicyEngine holding the policy objects of `state` and the cluster's current
 * identities, endpoints' named ports and enforcement mode (`enable-policy`, read as the agents
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
      serviceSelector: (ns, name) => getObject(state, { kind: 'Service', namespace: ns, name })?.spec.selector,
    },
    mode: rt.config.get('enable-policy'),
    namedPorts: (subject) => namedPortsOf(rt, subject.id),
  });
  for (const info of rt.policy.cache.identities()) engine.upsertIdentity(info);
  for (const kind of POLICY_KINDS) {
    for (const obj of listObjects(state, kind)) engine.apply(rt.admission.rulesOf(obj as PolicyObject));
  }
  return engine;
}

/** As the cluster resolves named ports: the subject's own for ingress, everyone's for egress. */
function namedPortsOf(rt: Runtime, identity: number): { ingress: NamedPorts; egress: NamedPorts } {
  const ingress = new Map<string, { port: number; protocol: 'TCP' | 'UDP' | 'SCTP' }[]>();
  const egress = new Map<string, { port: number; protocol: 'TCP' | 'UDP' | 'SCTP' }[]>();
  const add = (m: typeof ingress, np: { name: string; port: number; protocol: 'TCP' | 'UDP' | 'SCTP' }): void => {
    const list = m.get(np.name) ?? [];
    if (!list.some((x) => x.port === np.port && x.protocol === np.protocol)) list.push({ port: np.port, protocol: np.protocol });
    m.set(np.name, list);
  };
  for (const ep of rt.endpoints.list()) {
    for (const np of ep.namedPorts) {
      add(egress, np);
      if (ep.identity === identity) add(ingress, np);
    }
  }
  return { ingress, egress };
}
