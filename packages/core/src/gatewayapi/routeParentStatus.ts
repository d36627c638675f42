import type { z } from 'zod';
import { GATEWAY_API_GROUP, type parentRefSchema } from '../k8s/schemas/gatewayApiShared.ts';
import { type Condition, type ConditionInput, failed, ok, stamped } from './conditions.ts';
import { CILIUM_GATEWAY_CONTROLLER } from './frontendModel.ts';

/** One parent's entry in a route's `status.parents`, as Cilium's route reconcilers write it. */
export interface RouteParentStatus {
  readonly parentRef: {
    readonly group: string;
    readonly kind: string;
    readonly namespace?: string;
    readonly name: string;
    readonly sectionName?: string;
  };
  readonly controllerName: string;
  readonly conditions: Condition[];
}

/** What a route reconciler found for one parentRef. */
export interface ParentVerdict {
  readonly gatewayFound: boolean;
  /** The listeners of that Gateway the route attached to. */
  readonly listeners: number;
  /** The first backend reference that does not resolve, as the ResolvedRefs condition says it. */
  readonly refsProblem: ConditionInput | undefined;
}

/**
 * The status entry of an HTTPRoute, GRPCRoute or TLSRoute for one parentRef: Accepted (the
 * Gateway missing, no listener admitting the route, or accepted) and ResolvedRefs, stamped
 * against the conditions the route held for that parent before.
 */
export function routeParentStatus(
  route: { readonly kind: string; readonly status?: unknown; readonly metadata: { readonly generation: number } },
  ref: z.output<typeof parentRefSchema>,
  verdict: ParentVerdict,
  now: string,
): RouteParentStatus {
  const accepted = !verdict.gatewayFound
    ? failed('Accepted', `Invalid${route.kind}`, `Gateway.gateway.networking.k8s.io "${ref.name}" not found`)
    : verdict.listeners === 0
      ? failed('Accepted', 'NotAllowedByListeners', 'No matching listener')
      : ok('Accepted', 'Accepted', `Accepted ${route.kind}`);
  const resolved = verdict.refsProblem ?? ok('ResolvedRefs', 'ResolvedRefs', 'Service reference is valid');
  const before = (route.status as { parents?: RouteParentStatus[] } | undefined)?.parents?.find(
    (p) => p.parentRef.name === ref.name,
  )?.conditions;
  return {
    parentRef: {
      group: GATEWAY_API_GROUP,
      kind: 'Gateway',
      ...(ref.namespace === undefined ? {} : { namespace: ref.namespace }),
      name: ref.name,
      ...(ref.sectionName === undefined ? {} : { sectionName: ref.sectionName }),
    },
    controllerName: CILIUM_GATEWAY_CONTROLLER,
    conditions: stamped([accepted, resolved], before, route.metadata.generation, now),
  };
}
