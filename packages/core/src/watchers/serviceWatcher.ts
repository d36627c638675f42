import type { Frontend, LoadBalancer } from '../datapath/loadBalancer.ts';
import { isCiliumLbService, lbIpOf } from '../gatewayapi/gatewayServices.ts';
import { serviceEndpoints } from '../k8s/endpoints.ts';
import type { Service } from '../k8s/objects.ts';
import { listObjects, type K8sState } from '../k8s/state.ts';
import type { Watcher } from './watcher.ts';

/**
 * Services (and, through the pod watcher, their endpoints) into the load balancer: a changed
 * Service or pod marks its namespace, whose frontends are brought up to date once per commit.
 */
export function serviceWatcher(lb: LoadBalancer): Watcher {
  return {
    changed(ref, batch) {
      batch.serviceNamespaces.add(ref.namespace ?? 'default');
    },
    flush(batch) {
      for (const ns of [...batch.serviceNamespaces].sort()) syncServices(lb, batch.state, ns);
    },
  };
}

/**
 * Brings the load balancer's frontends of one namespace's Services up to date; Services gone
 * from the namespace are found among those the load balancer holds for it, so a pod change
 * costs its namespace's Services, not every frontend of the cluster.
 */
function syncServices(lb: LoadBalancer, state: K8sState, namespace: string): void {
  const present = new Set<string>();
  for (const svc of listObjects(state, 'Service', namespace)) {
    present.add(svc.metadata.name);
    lb.replaceService(namespace, svc.metadata.name, frontendsOf(state, svc));
  }
  for (const name of lb.services(namespace)) if (!present.has(name)) lb.replaceService(namespace, name, []);
}

function frontendsOf(state: K8sState, svc: Service): Frontend[] {
  if (svc.spec.clusterIP === 'None' || svc.spec.clusterIP === '') return [];
  const envoy = isCiliumLbService(svc) ? lbIpOf(svc) : undefined;
  // A Gateway's or Ingress's Service is an L7 load balancer: its ClusterIP leads to the node's
  // Envoy at the load balancer address, as the CiliumEnvoyConfig redirects it (no pods behind it).
  const backends =
    envoy === undefined
      ? serviceEndpoints(state, svc)
      : svc.spec.ports.map((sp) => ({ ip: envoy, port: sp.port, servicePort: sp.port, protocol: sp.protocol }));
  return svc.spec.ports.map((sp) => ({
    namespace: svc.metadata.namespace ?? 'default',
    name: svc.metadata.name,
    ip: svc.spec.clusterIP,
    port: sp.port,
    proto: sp.protocol,
    backends: backends.filter((b) => b.servicePort === sp.port && b.protocol === sp.protocol).map((b) => ({ ip: b.ip, port: b.port })),
  }));
}
