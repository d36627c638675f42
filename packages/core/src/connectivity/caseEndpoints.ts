import type { Cluster } from '../cluster/cluster.ts';
import type { WorkloadExec } from '../cluster/podExec.ts';
import { mapSelector, objectSelector, selectorMatches } from '../k8s/labelSelector.ts';
import { isIPv4 } from '../k8s/names.ts';
import type { Pod } from '../k8s/objects.ts';

/**
 * The two ends of a case, resolved against the cluster: `from` becomes the place the client
 * runs (a pod, a node's host, an outside address), `to` the address or name it connects to.
 */
export type CaseSource =
  | { readonly kind: 'pod'; readonly pod: string }
  | { readonly kind: 'host'; readonly node: string }
  | { readonly kind: 'external'; readonly ip: string };

export type CaseTarget =
  /** A pod or deployment: its pod IP, no Service, no DNS. */
  | { readonly kind: 'pod'; readonly pod: string; readonly ip: string; readonly node: string }
  | { readonly kind: 'ip'; readonly ip: string }
  /** A DNS name resolved from the client, as curl resolves it; `service` when it is a Service of the cluster. */
  | { readonly kind: 'name'; readonly name: string; readonly service?: { readonly namespace: string; readonly name: string } };

/**
 * `to` of a case. A deployment's pod other than `avoid` (the client's own) when it has one, so a
 * case between two pods of one deployment crosses the network. Throws a CaseError the runner
 * reports at the field.
 */
export function resolveTarget(cluster: Cluster, to: string, avoid?: string): CaseTarget {
  if (isIPv4(to)) return { kind: 'ip', ip: to };
  if (to.includes('/')) {
    const [namespace, name] = splitRef(to);
    const pod = workloadPod(cluster, namespace, name, avoid);
    if (pod !== undefined)
      return { kind: 'pod', pod: `${namespace}/${pod.metadata.name}`, ip: pod.status.podIP ?? '', node: pod.spec.nodeName ?? '' };
    if (cluster.get('Service', name, namespace) !== undefined)
      return { kind: 'name', name: `${name}.${namespace}.svc.cluster.local`, service: { namespace, name } };
    throw new CaseError(`no pod, deployment or service "${name}" in namespace ${namespace}`);
  }
  const svc = /^([a-z0-9-]+)\.([a-z0-9-]+)(\.svc(\.cluster\.local)?)?\.?$/.exec(to);
  if (svc !== null && svc[3] !== undefined && cluster.get('Service', svc[1]!, svc[2]!) !== undefined)
    return { kind: 'name', name: to, service: { namespace: svc[2]!, name: svc[1]! } };
  return { kind: 'name', name: to };
}

/** `from` of a case; `host` is the node of the target's pod (of a Service's first backend). */
export function resolveSource(cluster: Cluster, from: string, target: CaseTarget | undefined): CaseSource {
  if (from.startsWith('external:')) {
    const ip = from.slice('external:'.length);
    if (!isIPv4(ip)) throw new CaseError(`"${ip}" is not an IPv4 address; write external:198.51.100.7`);
    return { kind: 'external', ip };
  }
  if (from.startsWith('node:')) {
    const node = from.slice('node:'.length);
    if (cluster.get('Node', node) === undefined)
      throw new CaseError(
        `no node "${node}"; nodes: ${cluster
          .list('Node')
          .map((n) => n.metadata.name)
          .join(', ')}`,
      );
    return { kind: 'host', node };
  }
  if (from === 'host') {
    const node = target === undefined ? undefined : targetNode(cluster, target);
    if (node === undefined)
      throw new CaseError(
        'host means the node of the target pod; this target is not a pod, deployment or Service with pods (name the node: node:NODE)',
      );
    return { kind: 'host', node };
  }
  const [namespace, name] = splitRef(from);
  const pod = workloadPod(cluster, namespace, name);
  if (pod === undefined) throw new CaseError(`no pod or deployment "${name}" in namespace ${namespace}`);
  return { kind: 'pod', pod: `${namespace}/${pod.metadata.name}` };
}

/** Where the client's commands run. */
export function sourceExec(cluster: Cluster, source: CaseSource): WorkloadExec {
  if (source.kind === 'pod') return cluster.exec(source.pod);
  if (source.kind === 'host') return cluster.host(source.node);
  return cluster.outside(source.ip);
}

/** A problem with what a case names (a pod that does not exist): the test is malformed. */
export class CaseError extends Error {}

function splitRef(ref: string): [string, string] {
  const slash = ref.indexOf('/');
  return slash === -1 ? ['default', ref] : [ref.slice(0, slash), ref.slice(slash + 1)];
}

/** The pod of that name, else the first pod (by name, other than `avoid` if it can) of the Deployment of that name. */
function workloadPod(cluster: Cluster, namespace: string, name: string, avoid?: string): Pod | undefined {
  const pod = cluster.get('Pod', name, namespace);
  if (pod !== undefined) return pod;
  const deployment = cluster.get('Deployment', name, namespace);
  if (deployment === undefined) return undefined;
  const selector = objectSelector(deployment.spec.selector);
  const pods = cluster
    .list('Pod', namespace)
    .filter((p) => selectorMatches(selector, p.metadata.labels) && p.status.podIP !== undefined)
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  return pods.find((p) => `${namespace}/${p.metadata.name}` !== avoid) ?? pods[0];
}

function targetNode(cluster: Cluster, target: CaseTarget): string | undefined {
  if (target.kind === 'pod') return target.node;
  if (target.kind !== 'name' || target.service === undefined) return undefined;
  const svc = cluster.get('Service', target.service.name, target.service.namespace);
  // A Service without a selector has no pods of its own.
  const selector =
    svc?.spec.selector === undefined || Object.keys(svc.spec.selector).length === 0 ? undefined : mapSelector(svc.spec.selector);
  const backends = cluster
    .list('Pod', target.service.namespace)
    .filter((p) => selector !== undefined && selectorMatches(selector, p.metadata.labels))
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  return backends[0]?.spec.nodeName;
}
