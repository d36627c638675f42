import { SimError, hubble, isSimError, k8s, type Cluster, type Kind } from '@cilium-sim/core';
import type { KubeObject } from '../kubectl/objects.ts';
import type { ResourceType } from '../kubectl/resources.ts';

/**
 * The objects `kubectl get TYPE` lists, as the API server would serve them: stored objects,
 * Cilium's CiliumEndpoint/CiliumIdentity views, and the kinds the simulator derives rather
 * than stores (Endpoints, DaemonSets, StatefulSets, ReplicaSets, the cilium-config ConfigMap).
 * `namespace` undefined lists every namespace.
 */
export function listObjectsOf(cluster: Cluster, type: ResourceType, namespace: string | undefined): KubeObject[] {
  const ns = type.namespaced ? namespace : undefined;
  switch (type.kind) {
    case 'CiliumEndpoint':
      return cluster.ciliumEndpoints(ns) as unknown as KubeObject[];
    case 'CiliumIdentity':
      return cluster.ciliumIdentities() as unknown as KubeObject[];
    case 'CiliumNetworkPolicy':
    case 'CiliumClusterwideNetworkPolicy':
      return stored(cluster, type.kind, ns).map((p) => ({
        ...p,
        status: {
          conditions: [
            { type: 'Valid', status: 'True', lastTransitionTime: p.metadata.creationTimestamp, message: 'Policy validation succeeded' },
          ],
        },
      }));
    case 'Endpoints':
      return endpointsObjects(cluster, ns);
    case 'DaemonSet':
    case 'StatefulSet':
      return ownedWorkloads(cluster, type.kind, ns);
    case 'ReplicaSet':
      return replicaSets(cluster, ns);
    case 'ConfigMap':
      return ns === undefined || ns === 'kube-system' ? [ciliumConfigMap(cluster)] : [];
    default:
      return stored(cluster, type.kind as Kind, ns);
  }
}

function stored(cluster: Cluster, kind: Kind, ns: string | undefined): KubeObject[] {
  return cluster.list(kind, ns) as unknown as KubeObject[];
}

/** Filters by a `-l` selector: `app=web`, `env!=prod`, `tier`, `!tier`, `env in (a,b)`. */
export function matchingLabels(objects: readonly KubeObject[], selector: string | undefined): KubeObject[] {
  if (selector === undefined) return [...objects];
  const sel = kubectlSelector(selector);
  return objects.filter((o) =>
    hubble.selectorMatches(
      sel,
      Object.entries(o.metadata.labels ?? {}).map(([k, v]) => `${k}=${v}`),
    ),
  );
}

/** Parses `-l` as kubectl does: Hubble's grammar, but plain Kubernetes label keys and values. */
function kubectlSelector(text: string): ReturnType<typeof hubble.parseLabelSelector> {
  const invalid = (why: string): SimError =>
    new SimError({ code: 'INVALID_SELECTOR', path: '-l', message: `invalid label selector ${JSON.stringify(text)}: ${why}` });
  let sel: ReturnType<typeof hubble.parseLabelSelector>;
  try {
    sel = hubble.parseLabelSelector(text, '-l');
  } catch (e) {
    if (!isSimError(e)) throw e;
    throw new SimError({ code: 'INVALID_SELECTOR', path: '-l', message: e.issues[0]!.message });
  }
  for (const req of sel) {
    const key = req.source === 'any' ? req.key : `${req.source}:${req.key}`;
    const problem = k8s.labelKeyProblem(key) ?? req.values.map((v) => k8s.labelValueProblem(v)).find((p) => p !== undefined);
    if (problem !== undefined) throw invalid(problem);
    if ((req.op === 'in' || req.op === 'notIn') && req.values.every((v) => v === ''))
      throw invalid(`for 'in', 'notin' operators, values set can't be empty (key ${JSON.stringify(key)})`);
  }
  return sel;
}

function endpointsObjects(cluster: Cluster, ns: string | undefined): KubeObject[] {
  return cluster.list('Service', ns).map((svc) => {
    const backends = k8s.serviceEndpoints(cluster.state, svc);
    const ports = svc.spec.ports.map((p) => ({
      ...(p.name === undefined ? {} : { name: p.name }),
      port: typeof p.targetPort === 'number' ? p.targetPort : p.port,
      protocol: p.protocol,
    }));
    const addresses = [...new Set(backends.map((b) => b.ip))].map((ip) => ({ ip }));
    return {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: {
        name: svc.metadata.name,
        namespace: svc.metadata.namespace,
        creationTimestamp: svc.metadata.creationTimestamp,
        labels: svc.metadata.labels,
      },
      subsets:
        addresses.length === 0
          ? []
          : [
              {
                addresses,
                ports:
                  backends.length === 0
                    ? ports
                    : [
                        ...new Map(
                          backends.map((b) => [
                            `${b.port}/${b.protocol}`,
                            { ...(b.servicePortName === undefined ? {} : { name: b.servicePortName }), port: b.port, protocol: b.protocol },
                          ]),
                        ).values(),
                      ],
              },
            ],
    } as unknown as KubeObject;
  });
}

/** DaemonSets and StatefulSets are not stored; their pods name them as owners. */
function ownedWorkloads(cluster: Cluster, kind: 'DaemonSet' | 'StatefulSet', ns: string | undefined): KubeObject[] {
  const groups = new Map<string, ReturnType<Cluster['list']>>();
  for (const pod of cluster.list('Pod', ns)) {
    const owner = pod.metadata.ownerReferences?.find((o) => o.kind === kind);
    if (owner === undefined) continue;
    const key = `${pod.metadata.namespace}/${owner.name}`;
    groups.set(key, [...(groups.get(key) ?? []), pod]);
  }
  return [...groups.entries()].map(([key, pods]) => {
    const [namespace, name] = key.split('/');
    const first = pods[0]! as (typeof pods)[number] & {
      spec: { containers: { name: string; image: string }[]; nodeSelector?: Record<string, string> };
    };
    const n = pods.length;
    return {
      apiVersion: 'apps/v1',
      kind,
      metadata: { name, namespace, creationTimestamp: first.metadata.creationTimestamp, labels: first.metadata.labels },
      spec: {
        replicas: n,
        selector: { matchLabels: first.metadata.labels },
        template: { metadata: { labels: first.metadata.labels }, spec: first.spec },
      },
      status:
        kind === 'DaemonSet'
          ? { desiredNumberScheduled: n, currentNumberScheduled: n, numberReady: n, updatedNumberScheduled: n, numberAvailable: n }
          : { replicas: n, readyReplicas: n, currentReplicas: n, updatedReplicas: n, availableReplicas: n },
    } as unknown as KubeObject;
  });
}

function replicaSets(cluster: Cluster, ns: string | undefined): KubeObject[] {
  return cluster.list('Deployment', ns).flatMap((d) => {
    const pods = cluster
      .list('Pod', d.metadata.namespace)
      .filter((p) => p.metadata.ownerReferences?.some((o) => o.kind === 'ReplicaSet' && o.name.startsWith(`${d.metadata.name}-`)));
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
      } as unknown as KubeObject,
    ];
  });
}

function ciliumConfigMap(cluster: Cluster): KubeObject {
  const created = cluster.get('Namespace', 'kube-system')?.metadata.creationTimestamp;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'cilium-config',
      namespace: 'kube-system',
      ...(created === undefined ? {} : { creationTimestamp: created }),
      labels: { 'app.kubernetes.io/managed-by': 'Helm' },
    },
    data: { ...cluster.config },
  } as unknown as KubeObject;
}
