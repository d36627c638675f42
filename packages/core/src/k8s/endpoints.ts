import { mapSelector, selectorMatches, type Selector } from './labelSelector.ts';
import type { ObjectRef, Pod, Protocol, Service, ServicePort } from './objects.ts';
import { getObject, listObjects, type K8sState } from './state.ts';

/** One address behind a Service port, as an EndpointSlice lists it. */
export interface ServiceBackend {
  readonly pod: ObjectRef;
  readonly ip: string;
  readonly port: number;
  readonly protocol: Protocol;
  readonly nodeName: string;
  /** The Service port this backend serves: its number and name (if any). */
  readonly servicePort: number;
  readonly servicePortName?: string;
}

/**
 * The backends of a Service, as the EndpointSlice controller computes them:
 * - pods of the Service's namespace matching its selector (no selector: no backends, except
 *   `default/kubernetes`), Running and with an IP, and not marked for deletion (an EndpointSlice
 *   lists a terminating pod as not ready, and no Service sends it new connections);
 * - for each Service port, the pod's port is `targetPort` when it is a number, or the
 *   container port of that name (a pod without such a port is not a backend for that port).
 * Derived on every call, so relabelling a pod moves it in or out at once. Sorted by pod, then port.
 *
 * @example serviceEndpoints(state, deathstar).map((b) => `${b.ip}:${b.port}`) // ['10.244.1.23:80', ...]
 */
export function serviceEndpoints(state: K8sState, svc: Service): ServiceBackend[] {
  const ns = svc.metadata.namespace ?? 'default';
  // An absent or empty selector selects nothing: such a Service's endpoints are managed by hand.
  const selector =
    svc.spec.selector === undefined || Object.keys(svc.spec.selector).length === 0 ? undefined : mapSelector(svc.spec.selector);
  const selected = (p: Pod): boolean =>
    isApiServerService(svc)
      ? p.metadata.labels['component'] === 'kube-apiserver'
      : selector !== undefined && selectorMatches(selector, p.metadata.labels);
  const pods = listObjects(state, 'Pod', isApiServerService(svc) ? 'kube-system' : ns).filter(
    (p) => p.status.phase === 'Running' && p.status.podIP !== undefined && p.metadata.deletionTimestamp === undefined && selected(p),
  );
  const out: ServiceBackend[] = [];
  for (const pod of pods) {
    for (const sp of svc.spec.ports) {
      const port = targetPortOf(pod, sp);
      if (port === undefined) continue;
      out.push({
        pod: { kind: 'Pod', namespace: pod.metadata.namespace ?? ns, name: pod.metadata.name },
        ip: pod.status.podIP!,
        port,
        protocol: sp.protocol,
        nodeName: pod.spec.nodeName ?? '',
        servicePort: sp.port,
        ...(sp.name === undefined ? {} : { servicePortName: sp.name }),
      });
    }
  }
  return out;
}

/** The pod selector of Service `namespace/name` (what `toServices` selects), if it exists and has one. */
export function servicePodSelector(state: K8sState, namespace: string, name: string): Selector | undefined {
  const selector = getObject(state, { kind: 'Service', namespace, name })?.spec.selector;
  return selector === undefined ? undefined : mapSelector(selector);
}

/**
 * `default/kubernetes` has no selector: the API server itself keeps its endpoints pointing at
 * the kube-apiserver (port 6443 on the control plane's address), so the same is derived here.
 */
function isApiServerService(svc: Service): boolean {
  return svc.metadata.namespace === 'default' && svc.metadata.name === 'kubernetes' && svc.spec.selector === undefined;
}

/** The pod-side port of a Service port: a number as is, a name looked up in the containers. */
export function targetPortOf(pod: Pod, sp: ServicePort): number | undefined {
  if (typeof sp.targetPort === 'number') return sp.targetPort;
  for (const c of pod.spec.containers) {
    const match = (c.ports ?? []).find((p) => p.name === sp.targetPort && p.protocol === sp.protocol);
    if (match !== undefined) return match.containerPort;
  }
  return undefined;
}
