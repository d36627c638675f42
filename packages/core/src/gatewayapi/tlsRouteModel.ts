import type { Gateway } from '../k8s/schemas/gateway.ts';
import type { TlsRoute } from '../k8s/schemas/tlsRoute.ts';
import { getObject, listObjects, type K8sState } from '../k8s/state.ts';
import { type ConditionInput, failed } from './conditions.ts';
import type { BackendTarget, PassthroughAttachment, PassthroughRoute } from './frontendModel.ts';
import { admits, hostnamesOn } from './gatewayModel.ts';
import { referenceAllowed } from './referenceGrant.ts';
import { GATEWAY_API_GROUP as GROUP } from '../k8s/schemas/gatewayApiShared.ts';
import { routeParentStatus } from './routeParentStatus.ts';

/** The TLSRoutes attached to Cilium's Gateways, and the status each route gets. */
export interface TlsRouteResult extends PassthroughAttachment {
  readonly statuses: { readonly obj: TlsRoute; readonly status: unknown }[];
}

/**
 * Cilium's TLSRoute reconciler: each TLSRoute attached to the TLS listeners (Passthrough) its
 * parentRefs, the listeners' allowed namespaces and hostnames admit; its backends resolved to
 * Services (across namespaces with a ReferenceGrant); its status worded as Cilium words it.
 */
export function reconcileTlsRoutes(state: K8sState, ourClasses: ReadonlySet<string>, now: string): TlsRouteResult {
  const routes = new Map<string, PassthroughRoute[]>();
  const statuses: TlsRouteResult['statuses'] = [];
  for (const route of listObjects(state, 'TLSRoute')) {
    const ns = route.metadata.namespace ?? 'default';
    const { to, refsProblem } = routeAction(state, route);
    const parents = [];
    for (const ref of route.spec.parentRefs ?? []) {
      if ((ref.group ?? GROUP) !== GROUP || (ref.kind ?? 'Gateway') !== 'Gateway') continue;
      const gns = ref.namespace ?? ns;
      const gateway: Gateway | undefined = getObject(state, { kind: 'Gateway', namespace: gns, name: ref.name });
      if (gateway !== undefined && !ourClasses.has(gateway.spec.gatewayClassName)) continue;
      const listeners = (gateway?.spec.listeners ?? []).filter(
        (l) => (l.tls?.mode ?? 'Terminate') === 'Passthrough' && admits(state, gateway!, l, route, ref.sectionName, ref.port, ['TLS']),
      );
      for (const l of listeners) {
        const key = `${gns}/${ref.name}/${l.name}`;
        const list = routes.get(key) ?? [];
        list.push({
          hostnames: hostnamesOn(l, route),
          key: `${ns}/${route.metadata.name}`,
          createdAt: route.metadata.creationTimestamp,
          to,
        });
        routes.set(key, list);
      }
      parents.push(routeParentStatus(route, ref, { gatewayFound: gateway !== undefined, listeners: listeners.length, refsProblem }, now));
    }
    if (parents.length > 0) statuses.push({ obj: route, status: { parents } });
  }
  return { routes, statuses };
}

/** The route's backends (its rules' backendRefs together), and the first reference that does not resolve. */
function routeAction(state: K8sState, route: TlsRoute): { to: PassthroughRoute['to']; refsProblem: ConditionInput | undefined } {
  const ns = route.metadata.namespace ?? 'default';
  const backends: BackendTarget[] = [];
  let unresolved = 0;
  let refsProblem: ConditionInput | undefined;
  for (const b of route.spec.rules.flatMap((r) => r.backendRefs)) {
    const weight = b.weight ?? 1;
    const bns = b.namespace ?? ns;
    const permitted = referenceAllowed(
      state,
      { group: GROUP, kind: 'TLSRoute', namespace: ns },
      { group: '', kind: 'Service', namespace: bns, name: b.name },
    );
    const svc = getObject(state, { kind: 'Service', namespace: bns, name: b.name });
    if ((b.kind ?? 'Service') !== 'Service') refsProblem ??= failed('ResolvedRefs', 'InvalidKind', `Unsupported backend kind ${b.kind}`);
    else if (!permitted) refsProblem ??= failed('ResolvedRefs', 'RefNotPermitted', 'Cross namespace references are not allowed');
    else if (svc === undefined) refsProblem ??= failed('ResolvedRefs', 'BackendNotFound', `Service "${b.name}" not found`);
    if ((b.kind ?? 'Service') !== 'Service' || !permitted || svc === undefined || b.port === undefined) unresolved += weight;
    else backends.push({ namespace: bns, service: b.name, port: b.port, weight });
  }
  return { to: { filters: [], backends, unresolved }, refsProblem };
}
