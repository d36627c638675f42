import type { GatewayReconciliation } from '../gatewayapi/gatewayOperator.ts';
import { isCiliumLbService, type LbService } from '../gatewayapi/gatewayServices.ts';
import { CILIUM_INGRESS_CLASS } from '../gatewayapi/ingressModel.ts';
import type { Service } from '../k8s/builtinObjects.ts';
import { type ApplyContext, txEnv } from '../k8s/context.ts';
import { getObject, type K8sState } from '../k8s/state.ts';
import { applyDocuments } from '../k8s/store.ts';
import { Tx } from '../k8s/transaction.ts';
import type { Runtime } from './runtime.ts';

/**
 * Brings the objects the operator and Cilium's Helm chart keep for Gateways and Ingresses up to
 * date: each load balancer's Service (created through admission, so it gets a ClusterIP and node
 * ports; then its owner, labels and LB IPAM's address in its status), the Services no Gateway or
 * Ingress wants any more deleted (as the garbage collector deletes what an owner leaves behind),
 * and the `cilium` IngressClass while the ingress controller is enabled. Their draws come from a
 * stream of their own, so the user's objects are named and numbered as in a cluster without them.
 */
export function syncGatewayObjects(rt: Runtime, result: GatewayReconciliation): void {
  const before = rt.api.state;
  const ctx: ApplyContext = { ...rt.applyContext, rng: rt.gatewayOperator.objectRng };
  const manifests: Record<string, unknown>[] = [];
  for (const s of result.services) {
    const svc = getObject(before, { kind: 'Service', namespace: s.namespace, name: s.name });
    if (svc === undefined || !samePorts(svc, s)) manifests.push(serviceManifest(s));
  }
  const cls = getObject(before, { kind: 'IngressClass', name: CILIUM_INGRESS_CLASS.name });
  if (result.ingressClass && cls === undefined) manifests.push(ingressClassManifest());
  const admitted =
    manifests.length === 0
      ? before
      : applyDocuments(
          before,
          manifests.map((value, i) => ({ index: i + 1, line: 1, itemPath: '', value })),
          ctx,
        ).state;
  const next = finish(admitted, result, ctx);
  if (next === before) return;
  rt.api.commit(next);
  rt.watchers.sync(before, next);
}

/** Owners, labels and addresses written; the unwanted Services and a disabled controller's class removed. */
function finish(state: K8sState, result: GatewayReconciliation, ctx: ApplyContext): K8sState {
  const cls = getObject(state, { kind: 'IngressClass', name: CILIUM_INGRESS_CLASS.name });
  const dropClass = !result.ingressClass && cls?.spec?.controller === CILIUM_INGRESS_CLASS.controller;
  if (result.services.length === 0 && result.stale.length === 0 && !dropClass) return state;
  const tx = new Tx(state, txEnv(ctx));
  for (const s of result.services) {
    const svc = tx.get({ kind: 'Service', namespace: s.namespace, name: s.name });
    if (svc === undefined) continue;
    const next = {
      ...svc,
      metadata: {
        ...svc.metadata,
        labels: { ...svc.metadata.labels, ...s.labels },
        ...(s.owner === undefined ? {} : { ownerReferences: [s.owner] }),
      },
      status: { loadBalancer: { ingress: [{ ip: s.ip }] } },
    };
    if (JSON.stringify(next) !== JSON.stringify(svc)) tx.put(next as Service);
  }
  for (const key of result.stale) {
    const [namespace, name] = key.split('/') as [string, string];
    const svc = tx.get({ kind: 'Service', namespace, name });
    if (svc !== undefined && isCiliumLbService(svc)) tx.remove({ kind: 'Service', namespace, name });
  }
  if (dropClass) tx.remove({ kind: 'IngressClass', name: CILIUM_INGRESS_CLASS.name });
  return tx.changed ? tx.commit() : state;
}

function samePorts(svc: Service, s: LbService): boolean {
  return svc.spec.ports.length === s.ports.length && s.ports.every((p, i) => svc.spec.ports[i]?.port === p.port);
}

function serviceManifest(s: LbService): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: s.name, namespace: s.namespace, labels: s.labels },
    spec: { type: 'LoadBalancer', ports: s.ports.map((p) => ({ name: p.name, port: p.port, protocol: 'TCP' })), ...s.extraSpec },
  };
}

/** The IngressClass of Cilium's Helm chart (templates/cilium-ingress-class.yaml). */
function ingressClassManifest(): Record<string, unknown> {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name: CILIUM_INGRESS_CLASS.name },
    spec: { controller: CILIUM_INGRESS_CLASS.controller },
  };
}
