import type { LabelSelector } from '../k8s/builtinObjects.ts';
import { objectSelector, selectorMatches } from '../k8s/labelSelector.ts';
import type { Gateway, GatewayListener } from '../k8s/schemas/gateway.ts';
import type { GatewayClass } from '../k8s/schemas/gatewayClass.ts';
import type { GrpcRoute } from '../k8s/schemas/grpcRoute.ts';
import type { HttpRoute, HttpRouteRule } from '../k8s/schemas/httpRoute.ts';
import { listObjects, getObject, type K8sState } from '../k8s/state.ts';
import { type Condition, type ConditionInput, failed, ok, stamped } from './conditions.ts';
import {
  type BackendTarget,
  CILIUM_GATEWAY_CONTROLLER,
  type FrontendModel,
  type ListenerModel,
  type PassthroughAttachment,
  type RouteAction,
} from './frontendModel.ts';
import { grpcRoutedOf } from './grpcRoute.ts';
import { resolveCertificateRefs } from './listenerTls.ts';
import { referenceAllowed } from './referenceGrant.ts';
import { GATEWAY_API_GROUP as GROUP } from '../k8s/schemas/gatewayApiShared.ts';
import { routeParentStatus, type RouteParentStatus } from './routeParentStatus.ts';
import type { RouteMatch, Routed } from './routeMatch.ts';

/** The route kinds Cilium attaches to HTTP and HTTPS listeners. */
type Route = HttpRoute | GrpcRoute;

/** What the operator's Gateway API reconciliation decides: Envoy's frontends and every status. */
export interface GatewayApiResult {
  readonly frontends: FrontendModel[];
  /** The objects whose status is to be written, with it. */
  readonly statuses: { readonly obj: GatewayClass | Gateway | Route; readonly status: unknown }[];
}

const prev = (
  obj: { readonly status?: unknown },
  path: (s: never) => readonly Condition[] | undefined,
): readonly Condition[] | undefined => (obj.status === undefined ? undefined : path(obj.status as never));

/**
 * Cilium's Gateway API reconcilers (operator/pkg/gateway-api): GatewayClasses of its controller
 * accepted; each of their Gateways given `address(gateway)` and its listeners; each HTTPRoute
 * attached to the listeners its parentRefs, the listeners' allowedRoutes and hostnames admit, its
 * backends resolved to Services; the status each object gets, worded as Cilium words it.
 */
export function reconcileGatewayApi(
  state: K8sState,
  address: (ns: string, name: string) => string,
  now: string,
  passthrough: PassthroughAttachment = { routes: new Map() },
): GatewayApiResult {
  const statuses: GatewayApiResult['statuses'] = [];
  const classes = listObjects(state, 'GatewayClass').filter((c) => c.spec.controllerName === CILIUM_GATEWAY_CONTROLLER);
  for (const c of classes) {
    const conditions = stamped(
      [ok('Accepted', 'Accepted', 'Valid GatewayClass')],
      prev(c, (s: { conditions?: Condition[] }) => s.conditions),
      c.metadata.generation,
      now,
    );
    statuses.push({ obj: c, status: { conditions } });
  }
  const ours = new Set(classes.map((c) => c.metadata.name));
  const gateways = listObjects(state, 'Gateway').filter((g) => ours.has(g.spec.gatewayClassName));
  const routes: Route[] = [...listObjects(state, 'HTTPRoute'), ...listObjects(state, 'GRPCRoute')];
  const attached = new Map<string, Routed<RouteAction>[]>();
  const attachedCount = new Map<string, number>();
  for (const route of routes) {
    const parents: RouteParentStatus[] = [];
    for (const ref of route.spec.parentRefs ?? []) {
      if ((ref.group ?? GROUP) !== GROUP || (ref.kind ?? 'Gateway') !== 'Gateway') continue;
      const ns = ref.namespace ?? route.metadata.namespace ?? 'default';
      const gateway = getObject(state, { kind: 'Gateway', namespace: ns, name: ref.name });
      if (gateway !== undefined && !ours.has(gateway.spec.gatewayClassName)) continue;
      const listeners =
        gateway === undefined
          ? []
          : gateway.spec.listeners.filter(
              (l) => routeKindsOf(l).includes(route.kind) && admits(state, gateway, l, route, ref.sectionName, ref.port),
            );
      const { actions, refsProblem } = routeActions(state, route);
      for (const l of listeners) {
        const key = `${ns}/${ref.name}/${l.name}`;
        attachedCount.set(key, (attachedCount.get(key) ?? 0) + 1);
        const list = attached.get(key) ?? [];
        const hostnames = hostnamesOn(l, route);
        list.push(...(route.kind === 'GRPCRoute' ? grpcRoutedOf(route, actions, hostnames) : routedOf(route, actions, hostnames)));
        attached.set(key, list);
      }
      parents.push(routeParentStatus(route, ref, { gatewayFound: gateway !== undefined, listeners: listeners.length, refsProblem }, now));
    }
    if (parents.length > 0) statuses.push({ obj: route, status: { parents } });
  }
  const frontends: FrontendModel[] = [];
  for (const g of gateways) {
    const ns = g.metadata.namespace ?? 'default';
    const ip = address(ns, `cilium-gateway-${g.metadata.name}`);
    const listeners: ListenerModel[] = g.spec.listeners
      .filter((l) => l.protocol === 'HTTP' || l.protocol === 'HTTPS' || l.protocol === 'TLS')
      .map((l) => ({
        name: l.name,
        port: l.port,
        protocol: l.protocol as ListenerModel['protocol'],
        ...(l.hostname === undefined ? {} : { hostname: l.hostname }),
        routes: attached.get(`${ns}/${g.metadata.name}/${l.name}`) ?? [],
        ...listenerTls(state, ns, l, passthrough.routes.get(`${ns}/${g.metadata.name}/${l.name}`)),
      }));
    const owner = { apiVersion: `${GROUP}/v1`, kind: 'Gateway', name: g.metadata.name, uid: g.metadata.uid, controller: true };
    frontends.push({ namespace: ns, service: `cilium-gateway-${g.metadata.name}`, address: ip, listeners, owner });
    for (const [key, list] of passthrough.routes) if (key.startsWith(`${ns}/${g.metadata.name}/`)) attachedCount.set(key, list.length);
    statuses.push({ obj: g, status: gatewayStatus(state, g, ip, attachedCount, now) });
  }
  return { frontends, statuses };
}

function gatewayStatus(state: K8sState, g: Gateway, ip: string, attachedCount: ReadonlyMap<string, number>, now: string): unknown {
  const ns = g.metadata.namespace ?? 'default';
  const before = g.status as { conditions?: Condition[]; listeners?: { name: string; conditions?: Condition[] }[] } | undefined;
  const gen = g.metadata.generation;
  return {
    addresses: [{ type: 'IPAddress', value: ip }],
    conditions: stamped(
      [ok('Accepted', 'Accepted', 'Gateway successfully scheduled'), ok('Programmed', 'Programmed', 'Gateway successfully reconciled')],
      before?.conditions,
      gen,
      now,
    ),
    listeners: g.spec.listeners.map((l) => {
      const kind = l.protocol === 'HTTP' || l.protocol === 'HTTPS' ? 'HTTPRoute' : l.protocol === 'TLS' ? 'TLSRoute' : undefined;
      const conditions: ConditionInput[] =
        kind === undefined
          ? [failed('Accepted', 'UnsupportedProtocol', `Protocol ${l.protocol} is not supported`)]
          : listenerConditions(state, ns, l);
      return {
        attachedRoutes: attachedCount.get(`${ns}/${g.metadata.name}/${l.name}`) ?? 0,
        conditions: stamped(conditions, before?.listeners?.find((x) => x.name === l.name)?.conditions, gen, now),
        name: l.name,
        supportedKinds:
          kind === undefined || terminatesTlsRoute(l)
            ? []
            : kind === 'HTTPRoute'
              ? routeKindsOf(l).map((k) => ({ group: GROUP, kind: k }))
              : [{ group: GROUP, kind }],
      };
    }),
  };
}

/**
 * The route kinds a listener takes: those its allowedRoutes name (of the ones Cilium serves), or
 * by its protocol HTTPRoute and GRPCRoute on HTTP and HTTPS.
 */
function routeKindsOf(l: GatewayListener): Route['kind'][] {
  const served: readonly Route['kind'][] = ['HTTPRoute', 'GRPCRoute'];
  const named = l.allowedRoutes?.kinds;
  if (named !== undefined && named.length > 0) return served.filter((k) => named.some((n) => n.kind === k && (n.group ?? GROUP) === GROUP));
  return l.protocol === 'HTTP' || l.protocol === 'HTTPS' ? [...served] : [];
}

/** A route as a listener admits it: its namespace and hostnames. */
type AttachingRoute = Pick<HttpRoute, 'metadata'> & { readonly spec: { readonly hostnames?: readonly string[] | undefined } };

/** Does listener `l` of `g` take `route`: section and port, protocol, allowed namespaces, hostnames? */
export function admits(
  state: K8sState,
  g: Gateway,
  l: GatewayListener,
  route: AttachingRoute,
  section?: string,
  port?: number,
  protocols: readonly string[] = ['HTTP', 'HTTPS'],
): boolean {
  if (section !== undefined && section !== l.name) return false;
  if (port !== undefined && port !== l.port) return false;
  if (!protocols.includes(l.protocol)) return false;
  const from = l.allowedRoutes?.namespaces?.from ?? 'Same';
  const routeNs = route.metadata.namespace ?? 'default';
  if (from === 'Same' && routeNs !== (g.metadata.namespace ?? 'default')) return false;
  if (from === 'Selector') {
    const labels = getObject(state, { kind: 'Namespace', name: routeNs })?.metadata.labels ?? {};
    if (!selectorMatches(objectSelector((l.allowedRoutes?.namespaces?.selector ?? {}) as LabelSelector), labels)) return false;
  }
  return l.hostname === undefined || (route.spec.hostnames ?? []).length === 0 || hostnamesOn(l, route).length > 0;
}

/** The route's hostnames that the listener's hostname admits (the listener's own when the route names none). */
export function hostnamesOn(l: GatewayListener, route: AttachingRoute): string[] {
  const names = route.spec.hostnames ?? [];
  if (l.hostname === undefined) return [...names];
  if (names.length === 0) return [l.hostname];
  return names
    .filter((h) => intersects(h, l.hostname!))
    .map((h) => (h.startsWith('*.') && !l.hostname!.startsWith('*.') ? l.hostname! : h));
}

function intersects(a: string, b: string): boolean {
  const covers = (wild: string, name: string) => wild.startsWith('*.') && name.endsWith(wild.slice(1));
  return a === b || covers(a, b) || covers(b, a);
}

function routeActions(state: K8sState, route: Route): { actions: RouteAction[]; refsProblem: ConditionInput | undefined } {
  const ns = route.metadata.namespace ?? 'default';
  let refsProblem: ConditionInput | undefined;
  // A GRPCRoute's filters are a subset of an HTTPRoute's, with the same fields.
  const rules = (route.spec.rules ?? [{}]) as readonly HttpRouteRule[];
  // A Service in another namespace needs a ReferenceGrant there that admits this route.
  const permitted = (bns: string, name: string) =>
    referenceAllowed(state, { group: GROUP, kind: route.kind, namespace: ns }, { group: '', kind: 'Service', namespace: bns, name });
  const actions = rules.map((rule) => {
    const backends: BackendTarget[] = [];
    let unresolved = 0;
    for (const b of rule.backendRefs ?? []) {
      const weight = b.weight ?? 1;
      const bns = b.namespace ?? ns;
      const svc = (b.kind ?? 'Service') === 'Service' ? getObject(state, { kind: 'Service', namespace: bns, name: b.name }) : undefined;
      if ((b.kind ?? 'Service') !== 'Service') refsProblem ??= failed('ResolvedRefs', 'InvalidKind', `Unsupported backend kind ${b.kind}`);
      else if (!permitted(bns, b.name))
        refsProblem ??= failed('ResolvedRefs', 'RefNotPermitted', `Cross namespace references are not allowed`);
      else if (svc === undefined) refsProblem ??= failed('ResolvedRefs', 'BackendNotFound', `Service "${b.name}" not found`);
      if (svc === undefined || !permitted(bns, b.name) || b.port === undefined) unresolved += weight;
      else backends.push({ namespace: bns, service: b.name, port: b.port, weight });
    }
    return { filters: rule.filters ?? [], backends, unresolved };
  });
  return { actions, refsProblem };
}

/** Each match of each rule, as the listener's route table holds it (a rule without matches matches `/`). */
function routedOf(route: HttpRoute, actions: readonly RouteAction[], hostnames: readonly string[]): Routed<RouteAction>[] {
  const origin = { createdAt: route.metadata.creationTimestamp, key: `${route.metadata.namespace ?? 'default'}/${route.metadata.name}` };
  return (route.spec.rules ?? [{}]).flatMap((rule, i) =>
    (rule.matches ?? [{}]).map((m, j) => {
      const match: RouteMatch = {
        path: { type: m.path?.type ?? 'PathPrefix', value: m.path?.value ?? '/' },
        headers: (m.headers ?? []).map((h) => ({ type: h.type ?? 'Exact', name: h.name, value: h.value })),
        queryParams: (m.queryParams ?? []).map((q) => ({ type: q.type ?? 'Exact', name: q.name, value: q.value })),
        ...(m.method === undefined ? {} : { method: m.method }),
      };
      return { hostnames, match, origin: { ...origin, rule: i, match: j }, to: actions[i]! };
    }),
  );
}

/** A TLS listener that would terminate: Cilium does not support TLSRoutes on one. */
function terminatesTlsRoute(l: GatewayListener): boolean {
  return l.protocol === 'TLS' && (l.tls?.mode ?? 'Terminate') === 'Terminate';
}

/**
 * A supported listener's conditions as Cilium writes them: ready, accepted, references resolved;
 * a certificate reference that is not a Secret, not granted, missing or not PEM leaves it
 * accepted but not programmed (`Invalid CertificateRef`).
 */
function listenerConditions(state: K8sState, ns: string, l: GatewayListener): ConditionInput[] {
  if (terminatesTlsRoute(l))
    return [
      failed('Programmed', 'Invalid', 'Listener not valid'),
      failed('Accepted', 'UnsupportedValue', 'Using TLSRoute with TLS.mode Terminate is unsupported.'),
      ok('ResolvedRefs', 'ResolvedRefs', 'Resolved Refs'),
    ];
  const refs = resolveCertificateRefs(state, ns, l.tls?.certificateRefs ?? []);
  if (!refs.ok)
    return [failed('Programmed', 'Invalid', 'Invalid CertificateRef'), ok('Accepted', 'Accepted', 'Listener Accepted'), refs.resolvedRefs];
  return [
    ok('Programmed', 'Programmed', 'Listener Ready'),
    ok('Accepted', 'Accepted', 'Listener Accepted'),
    ok('ResolvedRefs', 'ResolvedRefs', 'Resolved Refs'),
  ];
}

/** What Envoy needs for a listener's TLS: the certificate an HTTPS listener presents, the routes of a passthrough one. */
function listenerTls(
  state: K8sState,
  ns: string,
  l: GatewayListener,
  passthrough: ListenerModel['passthrough'],
): Pick<ListenerModel, 'certificate' | 'passthrough'> {
  if (l.protocol === 'TLS') return terminatesTlsRoute(l) ? {} : { passthrough: passthrough ?? [] };
  if (l.protocol !== 'HTTPS') return {};
  const refs = resolveCertificateRefs(state, ns, l.tls?.certificateRefs ?? []);
  const certificate = refs.ok ? refs.certificates[0] : undefined;
  return certificate === undefined ? {} : { certificate };
}
