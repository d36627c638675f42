import type { AgentConfig } from '../agent/agentConfig.ts';
import { intToIp, ipToInt } from '../ipv4.ts';
import { listObjects, type K8sState } from '../k8s/state.ts';
import type { K8sObject } from '../k8s/objects.ts';
import type { Rng } from '../sim/rng.ts';
import { CILIUM_GATEWAY_CONTROLLER, type FrontendModel } from './frontendModel.ts';
import { reconcileGatewayApi } from './gatewayModel.ts';
import { reconcileIngresses } from './ingressModel.ts';
import { reconcileTlsRoutes } from './tlsRouteModel.ts';

/** The first address LB IPAM hands out (a pool in kind's docker network, as Cilium's docs use). */
const FIRST_LB_IP = ipToInt('172.18.255.200');

/** What one reconciliation decided: the frontends Envoy serves and the statuses to write. */
export interface GatewayReconciliation {
  readonly frontends: readonly FrontendModel[];
  readonly statuses: readonly { readonly obj: K8sObject; readonly status: unknown }[];
}

/**
 * The part of cilium-operator that runs Gateway API and Ingress (enabled by `enable-gateway-api`
 * and `enable-ingress-controller`): it translates Gateways with their HTTPRoutes, and `cilium`
 * Ingresses, into Envoy frontends, gives each load balancer an address (kept while its Gateway
 * or Ingress exists), and says which status each object gets. Without the options nothing
 * reacts: a Gateway keeps the status the API server defaulted.
 */
export class GatewayOperator {
  readonly #config: Pick<AgentConfig, 'get'>;
  readonly #addresses = new Map<string, string>();
  /** Envoy's own draws (weighted backends, source ports of the second leg). */
  readonly envoyRng: Rng;

  constructor(config: Pick<AgentConfig, 'get'>, envoyRng: Rng) {
    this.#config = config;
    this.envoyRng = envoyRng;
  }

  reconcile(state: K8sState, now: string): GatewayReconciliation {
    const wanted = new Set<string>();
    const address = (ns: string, name: string): string => {
      const key = `${ns}/${name}`;
      wanted.add(key);
      return this.#addressOf(key);
    };
    const frontends: FrontendModel[] = [];
    const statuses: { obj: K8sObject; status: unknown }[] = [];
    if (this.#config.get('enable-gateway-api')) {
      const ours = listObjects(state, 'GatewayClass').filter((c) => c.spec.controllerName === CILIUM_GATEWAY_CONTROLLER);
      const tls = reconcileTlsRoutes(state, new Set(ours.map((c) => c.metadata.name)), now);
      const r = reconcileGatewayApi(state, address, now, tls);
      frontends.push(...r.frontends);
      statuses.push(...(r.statuses as { obj: K8sObject; status: unknown }[]), ...tls.statuses);
    }
    if (this.#config.get('enable-ingress-controller')) {
      const r = reconcileIngresses(state, this.#config.get('ingress-default-lb-mode'), address);
      frontends.push(...r.frontends);
      statuses.push(...(r.statuses as { obj: K8sObject; status: unknown }[]));
    }
    for (const key of [...this.#addresses.keys()]) if (!wanted.has(key)) this.#addresses.delete(key);
    return { frontends, statuses };
  }

  /** The key's address, or the lowest free one of the pool. */
  #addressOf(key: string): string {
    const had = this.#addresses.get(key);
    if (had !== undefined) return had;
    const used = new Set(this.#addresses.values());
    let n = FIRST_LB_IP;
    while (used.has(intToIp(n))) n++;
    const ip = intToIp(n);
    this.#addresses.set(key, ip);
    return ip;
  }
}
