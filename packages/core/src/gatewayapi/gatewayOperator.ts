import type { AgentConfig } from '../agent/agentConfig.ts';
import { listObjects, type K8sState } from '../k8s/state.ts';
import type { K8sObject } from '../k8s/objects.ts';
import type { Rng } from '../sim/rng.ts';
import { CILIUM_GATEWAY_CONTROLLER, type FrontendModel } from './frontendModel.ts';
import { reconcileGatewayApi } from './gatewayModel.ts';
import { type LbService, lbIpam, lbServicesOf } from './gatewayServices.ts';
import { reconcileIngresses } from './ingressModel.ts';
import { reconcileTlsRoutes } from './tlsRouteModel.ts';

/** What one reconciliation decided: the frontends Envoy serves, the statuses to write, the Services to keep. */
export interface GatewayReconciliation {
  readonly frontends: readonly FrontendModel[];
  readonly statuses: readonly { readonly obj: K8sObject; readonly status: unknown }[];
  /** Every LoadBalancer Service of Cilium's that should exist, with its address. */
  readonly services: readonly LbService[];
  /** The Services kept until now that no Gateway or Ingress wants any more (`namespace/name`). */
  readonly stale: readonly string[];
  /** Whether the `cilium` IngressClass is installed (Helm's `ingressController.enabled`). */
  readonly ingressClass: boolean;
}

/**
 * The part of cilium-operator that runs Gateway API and Ingress (enabled by `enable-gateway-api`
 * and `enable-ingress-controller`): it translates Gateways with their HTTPRoutes, and `cilium`
 * Ingresses, into Envoy frontends, each behind a LoadBalancer Service whose address LB IPAM
 * gives (the Service keeps it while its Gateway or Ingress exists), and says which status each
 * object gets. Without the options nothing reacts: a Gateway keeps the status the API server
 * defaulted.
 */
export class GatewayOperator {
  readonly #config: Pick<AgentConfig, 'get'>;
  /** Envoy's own draws (weighted backends, source ports of the second leg). */
  readonly envoyRng: Rng;
  /** The draws of the objects the operator and Helm create (uids, ClusterIPs, node ports). */
  readonly objectRng: Rng;
  /** The Services the last reconciliation kept (`namespace/name`). */
  #kept = new Set<string>();

  constructor(config: Pick<AgentConfig, 'get'>, envoyRng: Rng, objectRng: Rng) {
    this.#config = config;
    this.envoyRng = envoyRng;
    this.objectRng = objectRng;
  }

  reconcile(state: K8sState, now: string): GatewayReconciliation {
    const address = lbIpam(state, this.#kept);
    const frontends: FrontendModel[] = [];
    const statuses: { obj: K8sObject; status: unknown }[] = [];
    if (this.#config.get('enable-gateway-api')) {
      const ours = listObjects(state, 'GatewayClass').filter((c) => c.spec.controllerName === CILIUM_GATEWAY_CONTROLLER);
      const tls = reconcileTlsRoutes(state, new Set(ours.map((c) => c.metadata.name)), now);
      const r = reconcileGatewayApi(state, address, now, tls);
      frontends.push(...r.frontends);
      statuses.push(...(r.statuses as { obj: K8sObject; status: unknown }[]), ...tls.statuses);
    }
    const ingressClass = this.#config.get('enable-ingress-controller');
    if (ingressClass) {
      const r = reconcileIngresses(state, this.#config.get('ingress-default-lb-mode'), address);
      frontends.push(...r.frontends);
      statuses.push(...(r.statuses as { obj: K8sObject; status: unknown }[]));
    }
    const services = lbServicesOf(frontends);
    const wanted = new Set(services.map((svc) => `${svc.namespace}/${svc.name}`));
    const stale = [...this.#kept].filter((key) => !wanted.has(key));
    this.#kept = wanted;
    return { frontends, statuses, services, stale, ingressClass };
  }
}
