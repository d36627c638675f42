import type { ApiObject } from '../k8s/apiObject.ts';
import { serviceEndpoints } from '../k8s/endpoints.ts';
import type { ApiKind } from '../k8s/kinds.ts';
import type { Kind } from '../k8s/objects.ts';
import { getObject, listObjects } from '../k8s/state.ts';
import type { PolicyObject } from '../k8s/objects.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { behaviourIn } from '../version/ciliumVersion.ts';
import { ciliumEndpointObjects, ciliumIdentityObjects } from './ciliumObjects.ts';

/**
 * The objects of `kind` in `namespace` (every namespace when undefined), as `kubectl get` lists
 * them: stored objects (policies with the status the agents report) and the kinds the API serves
 * without storing them (k8s/kinds.ts's `DerivedKind`): derived from stored objects (Endpoints
 * from Services and pods, ReplicaSets from Deployments, DaemonSets and StatefulSets from the pods
 * that name them, the cilium-config ConfigMap from the agents' config) or from the agents' state
 * (CiliumEndpoint, CiliumIdentity).
 */
export function servedObjects(rt: Runtime, kind: ApiKind, namespace: string | undefined): readonly ApiObject[] {
  const state = rt.api.state;
  const stored = (k: Kind): ApiObject[] => listObjects(state, k, namespace) as unknown as ApiObject[];
  switch (kind) {
    case 'CiliumEndpoint':
      return ciliumEndpointObjects(rt, namespace) as unknown as ApiObject[];
    case 'CiliumIdentity':
      return ciliumIdentityObjects(rt) as unknown as ApiObject[];
    case 'CiliumNetworkPolicy':
    case 'CiliumClusterwideNetworkPolicy':
      // The operator's validation condition came in Cilium 1.16; before, the status stays empty.
      if (!behaviourIn(rt.options.ciliumVersion, 'cnp-status-conditions')) return stored(kind);
      return listObjects(state, kind, namespace).map((p) => ({ ...p, status: policyStatus(rt, p) }) as unknown as ApiObject);
    case 'Endpoints':
      return endpointsObjects(rt, namespace);
    case 'DaemonSet':
    case 'StatefulSet':
      return ownedWorkloads(rt, kind, namespace);
    case 'ReplicaSet':
      return replicaSets(rt, namespace);
    case 'ConfigMap':
      return namespace === undefined || namespace === 'kube-system' ? [ciliumConfigMap(rt)] : [];
    default:
      return stored(kind);
  }
}

/**
 * The operator's validation condition: valid, since admission rejects the rest, unless the
 * policy requires authentication while mutual authentication is off (`mesh-auth-enabled`
 * false, the default from Cilium 1.19), which the operator marks invalid.
 */
function policyStatus(rt: Runtime, p: PolicyObject): Readonly<Record<string, unknown>> {
  const since = p.metadata.creationTimestamp;
  const authOff = behaviourIn(rt.options.ciliumVersion, 'mesh-auth-default-off') && !rt.config.get('mesh-auth-enabled');
  const valid = !authOff || !requiresAuthentication(rt, p);
  const message = valid
    ? 'Policy validation succeeded'
    : 'Policy requires authentication, but mutual authentication is disabled (mesh-auth-enabled is false)';
  return { conditions: [{ type: 'Valid', status: valid ? 'True' : 'False', lastTransitionTime: since, message }] };
}

function requiresAuthentication(rt: Runtime, p: PolicyObject): boolean {
  return rt.admission.rulesOf(p).rules.some((r) => [...r.ingress, ...r.egress].some((peerRule) => (peerRule.authType ?? 0) !== 0));
}

/** One Endpoints object per Service: the ready backends' addresses and target ports. */
function endpointsObjects(rt: Runtime, ns: string | undefined): ApiObject[] {
  const state = rt.api.state;
  return listObjects(state, 'Service', ns).map((svc) => {
    const backends = serviceEndpoints(state, svc);
    const ports = svc.spec.ports.map((p) => ({
      ...(p.name === undefined ? {} : { name: p.name }),
      port: typeof p.targetPort === 'number' ? p.targetPort : p.port,
      protocol: p.protocol,
    }));
    const addresses = [...new Set(backends.map((b) => b.ip))].map((ip) => ({ ip }));
    const backendPorts = [
      ...new Map(
        backends.map((b) => [
          `${b.port}/${b.protocol}`,
          { ...(b.servicePortName === undefined ? {} : { name: b.servicePortName }), port: b.port, protocol: b.protocol },
        ]),
      ).values(),
    ];
    return {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: {
        name: svc.metadata.name,
        namespace: svc.metadata.namespace,
        creationTimestamp: svc.metadata.creationTimestamp,
        labels: svc.metadata.labels,
      },
      subsets: addresses.length === 0 ? [] : [{ addresses, ports: backends.length === 0 ? ports : backendPorts }],
    } as ApiObject;
  });
}

/** The stored DaemonSets and StatefulSets, with the status the pods they own give them. */
function ownedWorkloads(rt: Runtime, kind: 'DaemonSet' | 'StatefulSet', ns: string | undefined): ApiObject[] {
  const state = rt.api.state;
  const counts = new Map<string, { n: number; ready: number }>();
  for (const pod of listObjects(state, 'Pod', ns)) {
    const owner = pod.metadata.ownerReferences?.find((o) => o.kind === kind && o.controller === true);
    if (owner === undefined) continue;
    const c = counts.get(owner.uid) ?? { n: 0, ready: 0 };
    counts.set(owner.uid, { n: c.n + 1, ready: c.ready + (pod.status.phase === 'Running' ? 1 : 0) });
  }
  return listObjects(state, kind, ns).map((w) => {
    const { n, ready } = counts.get(w.metadata.uid) ?? { n: 0, ready: 0 };
    const status =
      kind === 'DaemonSet'
        ? { desiredNumberScheduled: n, currentNumberScheduled: n, numberReady: ready, updatedNumberScheduled: n, numberAvailable: ready }
        : { replicas: n, readyReplicas: ready, currentReplicas: n, updatedReplicas: n, availableReplicas: ready };
    return { ...w, status } as unknown as ApiObject;
  });
}

/** The one ReplicaSet of each Deployment, named by its pods' template hash. */
function replicaSets(rt: Runtime, ns: string | undefined): ApiObject[] {
  const state = rt.api.state;
  return listObjects(state, 'Deployment', ns).flatMap((d) => {
    const pods = listObjects(state, 'Pod', d.metadata.namespace).filter((p) =>
      p.metadata.ownerReferences?.some((o) => o.kind === 'ReplicaSet' && o.name.startsWith(`${d.metadata.name}-`)),
    );
    const hash = pods[0]?.metadata.labels['pod-template-hash'];
    if (hash === undefined) return [];
    return [
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${d.metadata.name}-${hash}`,
          namespace: d.metadata.namespace,
          creationTimestamp: d.metadata.creationTimestamp,
          labels: { ...d.spec.template.metadata.labels, 'pod-template-hash': hash },
        },
        spec: { replicas: d.spec.replicas, selector: d.spec.selector, template: d.spec.template },
        status: { replicas: pods.length, readyReplicas: pods.length, availableReplicas: pods.length, fullyLabeledReplicas: pods.length },
      } as ApiObject,
    ];
  });
}

/** The cilium-config ConfigMap: the agents' config as stored. */
function ciliumConfigMap(rt: Runtime): ApiObject {
  const created = getObject(rt.api.state, { kind: 'Namespace', name: 'kube-system' })?.metadata.creationTimestamp;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'cilium-config',
      namespace: 'kube-system',
      ...(created === undefined ? {} : { creationTimestamp: created }),
      labels: { 'app.kubernetes.io/managed-by': 'Helm' },
    },
    data: { ...rt.config.view() },
  };
}
