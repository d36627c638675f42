import type { Ingress } from '../k8s/schemas/ingress.ts';
import { getObject, listObjects, type K8sState } from '../k8s/state.ts';
import type { BackendTarget, FrontendModel, ListenerModel, RouteAction } from './frontendModel.ts';
import { tlsSecret } from './listenerTls.ts';
import { hostnameScore, type PathMatch, type Routed } from './routeMatch.ts';

/** The shared load balancer's Service, in the namespace Cilium runs in. */
export const SHARED_INGRESS = { namespace: 'kube-system', service: 'cilium-ingress' } as const;

export type IngressLbMode = 'dedicated' | 'shared';

type ServiceBackend = NonNullable<Ingress['spec']['defaultBackend']>;

/** Is the Ingress Cilium's: `ingressClassName: cilium` or the older class annotation. */
export function isCiliumIngress(ing: Ingress): boolean {
  return (ing.spec.ingressClassName ?? ing.metadata.annotations?.['kubernetes.io/ingress.class']) === 'cilium';
}

/** The Ingress's load balancer mode: its annotation, else the agents' `ingress-default-lb-mode`. */
export function lbModeOf(ing: Ingress, defaultMode: IngressLbMode): IngressLbMode {
  const mode = ing.metadata.annotations?.['ingress.cilium.io/loadbalancer-mode'];
  return mode === 'shared' || mode === 'dedicated' ? mode : defaultMode;
}

/**
 * Cilium's ingress controller (operator/pkg/ingress): each `cilium` Ingress translated into
 * routes on its load balancer: its own (`cilium-ingress-NAME`) in dedicated mode, the one shared
 * `kube-system/cilium-ingress` in shared mode; port 80, and 443 with TLS. Path types as Cilium
 * maps them: Exact, Prefix (whole segments), ImplementationSpecific as a regular expression.
 */
export function reconcileIngresses(
  state: K8sState,
  defaultMode: IngressLbMode,
  address: (ns: string, name: string) => string,
): { frontends: FrontendModel[]; statuses: { obj: Ingress; status: unknown }[] } {
  const ingresses = listObjects(state, 'Ingress').filter(isCiliumIngress);
  const frontends: FrontendModel[] = [];
  const statuses: { obj: Ingress; status: unknown }[] = [];
  const shared: Routed<RouteAction>[] = [];
  const sharedHttps: ListenerModel[] = [];
  for (const ing of ingresses) {
    const routes = routesOf(state, ing);
    const https = httpsListeners(state, ing, routes);
    let ip: string;
    if (lbModeOf(ing, defaultMode) === 'shared') {
      shared.push(...routes);
      sharedHttps.push(...https);
      ip = address(SHARED_INGRESS.namespace, SHARED_INGRESS.service);
    } else {
      const ns = ing.metadata.namespace ?? 'default';
      ip = address(ns, `cilium-ingress-${ing.metadata.name}`);
      frontends.push({
        namespace: ns,
        service: `cilium-ingress-${ing.metadata.name}`,
        address: ip,
        listeners: [httpListener(routes), ...https],
      });
    }
    statuses.push({ obj: ing, status: { loadBalancer: { ingress: [{ ip }] } } });
  }
  if (shared.length > 0) {
    const ip = address(SHARED_INGRESS.namespace, SHARED_INGRESS.service);
    frontends.push({ ...SHARED_INGRESS, address: ip, listeners: [httpListener(shared), ...sharedHttps] });
  }
  return { frontends, statuses };
}

function httpListener(routes: readonly Routed<RouteAction>[]): ListenerModel {
  return { name: 'http', port: 80, protocol: 'HTTP', routes };
}

/**
 * The Ingress's `spec.tls` as Envoy serves it on 443: per host, the certificate of its
 * `secretName` (in the Ingress's namespace; none when the Secret is missing or not PEM, so the
 * handshake fails) and the rules for that host. An entry without hosts serves any name.
 */
function httpsListeners(state: K8sState, ing: Ingress, routes: readonly Routed<RouteAction>[]): ListenerModel[] {
  const ns = ing.metadata.namespace ?? 'default';
  return (ing.spec.tls ?? []).flatMap((entry) => {
    const certificate = entry.secretName === undefined ? undefined : tlsSecret(state, ns, entry.secretName);
    const hosts: (string | undefined)[] = (entry.hosts ?? []).length === 0 ? [undefined] : entry.hosts!;
    return hosts.map((host) => ({
      name: 'https',
      port: 443,
      protocol: 'HTTPS' as const,
      ...(host === undefined ? {} : { hostname: host }),
      routes: host === undefined ? routes : routes.filter((r) => r.hostnames.length === 0 || hostnameScore(r.hostnames, host) >= 0),
      ...(certificate === undefined ? {} : { certificate }),
    }));
  });
}

function routesOf(state: K8sState, ing: Ingress): Routed<RouteAction>[] {
  const ns = ing.metadata.namespace ?? 'default';
  const origin = { createdAt: ing.metadata.creationTimestamp, key: `${ns}/${ing.metadata.name}` };
  const out: Routed<RouteAction>[] = [];
  (ing.spec.rules ?? []).forEach((rule, i) => {
    const hostnames = rule.host === undefined || rule.host === '' ? [] : [rule.host];
    (rule.http?.paths ?? []).forEach((p, j) => {
      const path: PathMatch =
        p.pathType === 'Exact'
          ? { type: 'Exact', value: p.path ?? '/' }
          : p.pathType === 'Prefix'
            ? { type: 'PathPrefix', value: p.path ?? '/' }
            : { type: 'RegularExpression', value: p.path ?? '/' };
      out.push({
        hostnames,
        match: { path, headers: [], queryParams: [] },
        origin: { ...origin, rule: i, match: j },
        to: action(state, ns, p.backend),
      });
    });
  });
  if (ing.spec.defaultBackend !== undefined) {
    const match = { path: { type: 'PathPrefix', value: '/' } as const, headers: [], queryParams: [] };
    out.push({
      hostnames: [],
      match,
      origin: { ...origin, rule: Number.MAX_SAFE_INTEGER, match: 0 },
      to: action(state, ns, ing.spec.defaultBackend),
    });
  }
  return out;
}

/** A Service backend, its port resolved by number or by the Service port's name. */
function action(state: K8sState, ns: string, b: ServiceBackend): RouteAction {
  const svc = getObject(state, { kind: 'Service', namespace: ns, name: b.service.name });
  const port = b.service.port.number ?? svc?.spec.ports.find((p) => p.name === b.service.port.name)?.port;
  const backends: BackendTarget[] =
    svc === undefined || port === undefined ? [] : [{ namespace: ns, service: b.service.name, port, weight: 1 }];
  return { filters: [], backends, unresolved: backends.length === 0 ? 1 : 0 };
}
