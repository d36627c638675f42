import { SimError } from '../errors.ts';
import { ReservedIdentity, reservedLabels } from '../identity/reserved.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { splitPodRef } from './podExec.ts';
import { policyTrace, type PolicyTrace } from '../datapath/policyTrace.ts';
import type { IdentityInfo } from '../policy/peerSelector.ts';

/**
 * `cilium policy trace` between two pods (`default/xwing`) or numeric identities: resolves each
 * side to its identity (and, for a pod or the ingress identity, whose policy is enforced, its
 * policy is then traced), then traces the packet through the live policy engine.
 */
export function tracePolicy(
  rt: Runtime,
  src: string | number,
  dst: string | number,
  port: number,
  protocol: 'TCP' | 'UDP' | 'SCTP',
): PolicyTrace {
  const side = (s: string | number, flag: string): { info: IdentityInfo; endpoint: boolean } => {
    if (typeof s === 'number') {
      const labels = rt.identities.get(s)?.labels ?? reservedLabels(s);
      if (labels.length === 0)
        throw new SimError({ code: 'NOT_FOUND', object: 'cilium policy trace', path: flag, message: `identity ${s} not found` });
      // The ingress identity has policy of its own, which the node's Envoy enforces: its egress
      // towards the backends and its ingress from the clients (cilium/proxy#351).
      return { info: { id: s, labels }, endpoint: s === ReservedIdentity.ingress };
    }
    const { namespace, name } = splitPodRef(s);
    const ep = rt.endpoints.byPod(namespace, name);
    if (ep === undefined)
      throw new SimError({
        code: 'NOT_FOUND',
        object: 'cilium policy trace',
        path: flag,
        message: `pod ${namespace}/${name} has no Cilium endpoint`,
      });
    return { info: { id: ep.identity, labels: ep.identityLabels }, endpoint: true };
  };
  const a = side(src, '--src-k8s-pod');
  const b = side(dst, '--dst-k8s-pod');
  return policyTrace(rt.policy, { src: a.info, dst: b.info, port, protocol, srcIsEndpoint: a.endpoint, dstIsEndpoint: b.endpoint });
}
