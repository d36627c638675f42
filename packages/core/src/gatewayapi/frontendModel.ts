import type { HttpRouteFilter } from '../k8s/schemas/httpRoute.ts';
import type { ServedCertificate } from './listenerTls.ts';
import type { Routed } from './routeMatch.ts';

/** The controller name of Cilium's GatewayClasses. */
export const CILIUM_GATEWAY_CONTROLLER = 'io.cilium/gateway-controller';

/** A Service port a route sends traffic to, with its share of the rule's traffic. */
export interface BackendTarget {
  readonly namespace: string;
  readonly service: string;
  readonly port: number;
  readonly weight: number;
}

/** What a matched route does: its filters (in order), then one backend by weight. */
export interface RouteAction {
  readonly filters: readonly HttpRouteFilter[];
  readonly backends: readonly BackendTarget[];
  /** A backend the rule names that does not resolve: Envoy answers 500 for its share. */
  readonly unresolved: number;
}

/** One listener of the node's Envoy for a Gateway or an Ingress: a port and its route table. */
export interface ListenerModel {
  readonly name: string;
  readonly port: number;
  readonly protocol: 'HTTP' | 'HTTPS' | 'TLS';
  readonly hostname?: string;
  readonly routes: readonly Routed<RouteAction>[];
  /**
   * HTTPS: the certificate Envoy terminates TLS with; absent when the listener's references did
   * not resolve (Programmed False), so a handshake for it fails.
   */
  readonly certificate?: ServedCertificate;
  /** TLS in Passthrough mode: the TLSRoutes that take the stream, by SNI hostname. */
  readonly passthrough?: readonly PassthroughRoute[];
}

/** A TLSRoute on a passthrough listener: its SNI hostnames and weighted backends. */
export interface PassthroughRoute {
  readonly hostnames: readonly string[];
  /** `namespace/name` and creation time, for ties between routes of one hostname. */
  readonly key: string;
  readonly createdAt: string;
  readonly to: RouteAction;
}

/** The TLSRoutes attached to each listener (`namespace/gateway/listener`), and how many. */
export interface PassthroughAttachment {
  readonly routes: ReadonlyMap<string, readonly PassthroughRoute[]>;
}

/**
 * A Gateway or an Ingress load balancer as Cilium's operator translates it for Envoy (its
 * CiliumEnvoyConfig): the address its LoadBalancer Service got, its listeners, and the Service
 * named in Hubble for the first leg (`cilium-gateway-NAME`, `cilium-ingress-NAME`, the shared
 * `cilium-ingress`).
 */
export interface FrontendModel {
  readonly namespace: string;
  readonly service: string;
  readonly address: string;
  readonly listeners: readonly ListenerModel[];
}
