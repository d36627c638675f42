import type { EnvoyEnv } from '../gatewayapi/envoyFrontend.ts';
import { envoyPorts } from '../gatewayapi/envoyListeners.ts';
import { ReservedIdentity } from '../identity/reserved.ts';
import { rfc3339, txEnv } from '../k8s/context.ts';
import { getObject } from '../k8s/state.ts';
import { Tx } from '../k8s/transaction.ts';
import type { Runtime } from './runtime.ts';

/**
 * Runs the operator's Gateway API and Ingress reconciliation after a change: the statuses it
 * decided are written back as one more commit (which the watchers see), and the node's Envoy
 * serves the load balancer addresses with the listeners and routes of this state.
 */
export function reconcileGateways(rt: Runtime): void {
  const result = rt.gatewayOperator.reconcile(rt.api.state, rfc3339(rt.clock.epochMs()));
  const changed = result.statuses.filter(
    ({ obj, status }) => JSON.stringify((obj as { status?: unknown }).status) !== JSON.stringify(status),
  );
  if (changed.length > 0) {
    const tx = new Tx(rt.api.state, txEnv(rt.applyContext));
    for (const { obj, status } of changed) tx.put({ ...obj, status } as typeof obj);
    const prev = rt.api.state;
    const next = tx.commit();
    rt.api.commit(next);
    rt.watchers.sync(prev, next);
  }
  // Nothing to serve and nothing served: the common case of a cluster without Gateways costs no more.
  if (result.frontends.length === 0 && !rt.network.servesFrontends) return;
  const node = envoyNode(rt);
  if (node === undefined) return;
  const env = envoyEnv(rt);
  rt.network.serveFrontends(
    result.frontends.map((f) => ({ address: f.address, ports: envoyPorts(env, f, node) })),
    node,
  );
}

/** The node whose Envoy answers for the load balancer addresses: the first worker, as L2 announcement elects one. */
function envoyNode(rt: Runtime): string | undefined {
  const names = rt.agents.names().sort();
  return names.find((n) => n !== rt.agents.apiServerNode) ?? names[0];
}

function envoyEnv(rt: Runtime): EnvoyEnv {
  const identityOf = (ip: string, node: string) => rt.network.datapath.env.identityOf(ip, node);
  return {
    scheduler: rt.scheduler,
    rng: rt.gatewayOperator.envoyRng,
    emit: rt.network.datapath.emit,
    ingressStack: (node) => rt.network.ingressStack(node),
    serviceAddress: (namespace, name) => getObject(rt.api.state, { kind: 'Service', namespace, name })?.spec.clusterIP,
    admitsClient: (clientIp, node, port) =>
      rt.policy.policyMap(ReservedIdentity.ingress).lookup(identityOf(clientIp, node), 'INGRESS', 6, port).allowed,
    admitsBackend: (backendIp, node, port) =>
      rt.policy.policyMap(ReservedIdentity.ingress).lookup(identityOf(backendIp, node), 'EGRESS', 6, port).allowed,
  };
}
