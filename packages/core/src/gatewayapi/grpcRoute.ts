import type { GrpcRoute, GrpcRouteMatch } from '../k8s/schemas/grpcRoute.ts';
import type { RouteAction } from './frontendModel.ts';
import type { PathMatch, RouteMatch, Routed } from './routeMatch.ts';

/**
 * The path a gRPC method match becomes in Envoy's route table (a gRPC call is an HTTP/2 POST to
 * `/package.Service/Method`), as Cilium's Gateway API translation writes it: service and method
 * Exact is that exact path; a service alone is the prefix `/package.Service/`; a method alone
 * matches it under any service; RegularExpression puts the expressions in the path's place
 * (`.+` for the part left out). No method match matches every call.
 */
export function grpcPathMatch(m: GrpcRouteMatch['method']): PathMatch {
  if (m === undefined) return { type: 'PathPrefix', value: '/' };
  const { service, method } = m;
  if ((m.type ?? 'Exact') === 'RegularExpression') return { type: 'RegularExpression', value: `/${service ?? '[^/]+'}/${method ?? '.+'}` };
  if (method === undefined) return { type: 'PathPrefix', value: `/${service}/` };
  if (service === undefined) return { type: 'RegularExpression', value: `/[^/]+/${escapeRegExp(method)}` };
  return { type: 'Exact', value: `/${service}/${method}` };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Each match of each rule, as the listener's route table holds it (a rule without matches matches every call). */
export function grpcRoutedOf(route: GrpcRoute, actions: readonly RouteAction[], hostnames: readonly string[]): Routed<RouteAction>[] {
  const origin = { createdAt: route.metadata.creationTimestamp, key: `${route.metadata.namespace ?? 'default'}/${route.metadata.name}` };
  return (route.spec.rules ?? [{}]).flatMap((rule, i) =>
    (rule.matches ?? [{}]).map((m, j) => {
      const match: RouteMatch = {
        path: grpcPathMatch(m.method),
        headers: (m.headers ?? []).map((h) => ({ type: h.type ?? 'Exact', name: h.name, value: h.value })),
        queryParams: [],
      };
      return { hostnames, match, origin: { ...origin, rule: i, match: j }, to: actions[i]! };
    }),
  );
}
