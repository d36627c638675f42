import type { Cluster } from '../cluster/cluster.ts';
import type { Flow } from '../hubble/flow.ts';
import { serviceEndpoints } from '../k8s/endpoints.ts';
import { listObjects, type K8sState } from '../k8s/state.ts';
import { cmp } from './matrix.ts';
import { observedConnections, type ConnectionProtocol, type ObservedConnection, type ObservedPeer } from './observedConnections.ts';

/**
 * The service map: who talked to whom, built from Hubble flows. Nodes are workloads (a
 * Deployment's pods are one node; a bare pod is its own), Services, and the entities outside
 * the pods (`world`, `host`, `remote-node`, ...). Traffic to a port a Service fronts is drawn
 * through that Service (kube-dns included), which is joined to its backends by a `backend` edge.
 *
 * Counts are connections (one per 5-tuple, replies excluded). A connection counts as dropped
 * when policy dropped it at L3/L4 or the proxy denied one of its HTTP requests; a connection
 * let through by audit mode counts as forwarded.
 */
export type ServiceMapNodeKind = 'workload' | 'service' | 'entity' | 'ip';

export interface ServiceMapNode {
  /** `default/deathstar`, `svc:default/deathstar`, `world`, `10.0.0.1`. */
  readonly id: string;
  readonly kind: ServiceMapNodeKind;
  /** `deathstar`, `world`. */
  readonly name: string;
  readonly namespace?: string;
}

export interface ServiceMapEdge {
  readonly from: string;
  readonly to: string;
  /** `traffic` carries counts; `backend` joins a Service to a workload behind it. */
  readonly kind: 'traffic' | 'backend';
  readonly port: number;
  readonly protocol: ConnectionProtocol;
  readonly forwarded: number;
  readonly dropped: number;
}

export interface ServiceMap {
  readonly nodes: readonly ServiceMapNode[];
  readonly edges: readonly ServiceMapEdge[];
}

export interface ServiceMapOptions {
  /** Keep only connections with a pod of this namespace at either end; default: all. */
  readonly namespace?: string;
}

/** The map of the cluster's recorded flows. Pure with respect to the cluster. */
export function serviceMap(cluster: Cluster, opts: ServiceMapOptions = {}): ServiceMap {
  return serviceMapOf(cluster.flows(), cluster.state, opts);
}

export function serviceMapOf(flows: readonly Flow[], state: K8sState, opts: ServiceMapOptions = {}): ServiceMap {
  const fronting = frontingServices(state);
  const nodes = new Map<string, ServiceMapNode>();
  const edges = new Map<string, { -readonly [K in keyof ServiceMapEdge]: ServiceMapEdge[K] }>();
  const edge = (
    from: string,
    to: string,
    kind: ServiceMapEdge['kind'],
    port: number,
    protocol: ConnectionProtocol,
  ): { forwarded: number; dropped: number } => {
    const key = `${from}|${to}|${kind}|${protocol}/${port}`;
    let e = edges.get(key);
    if (e === undefined) edges.set(key, (e = { from, to, kind, port, protocol, forwarded: 0, dropped: 0 }));
    return e;
  };
  for (const c of observedConnections(flows).filter((c) => inNamespace(c, opts.namespace))) {
    const src = addNode(nodes, c.source);
    const dst = addNode(nodes, c.destination);
    const svc = serviceOf(c, fronting);
    let target = dst;
    if (svc !== undefined) {
      target = `svc:${svc.namespace}/${svc.name}`;
      nodes.set(target, { id: target, kind: 'service', name: svc.name, namespace: svc.namespace });
      edge(target, dst, 'backend', c.port, c.protocol);
    }
    const counts = edge(src, target, 'traffic', svc?.port ?? c.port, c.protocol);
    if (isDropped(c)) counts.dropped++;
    else counts.forwarded++;
  }
  return {
    nodes: [...nodes.values()].sort((a, b) => cmp(a.id, b.id)),
    edges: [...edges.values()].sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to) || cmp(a.protocol, b.protocol) || a.port - b.port),
  };
}

function inNamespace(c: ObservedConnection, ns: string | undefined): boolean {
  return ns === undefined || c.source.namespace === ns || c.destination.namespace === ns;
}

function isDropped(c: ObservedConnection): boolean {
  return c.verdict === 'DROPPED' || c.requests.some((r) => r.verdict === 'DROPPED');
}

function addNode(nodes: Map<string, ServiceMapNode>, p: ObservedPeer): string {
  const node: ServiceMapNode =
    p.kind === 'pod'
      ? { id: p.name, kind: 'workload', name: p.name.slice(p.namespace!.length + 1), namespace: p.namespace! }
      : { id: p.name, kind: p.kind === 'reserved' ? 'entity' : 'ip', name: p.name };
  nodes.set(node.id, node);
  return node.id;
}

interface Fronting {
  readonly namespace: string;
  readonly name: string;
  readonly port: number;
}

/** `ip:port/proto` of every Service backend -> the Service and its own port. */
function frontingServices(state: K8sState): Map<string, Fronting> {
  const out = new Map<string, Fronting>();
  for (const svc of listObjects(state, 'Service')) {
    for (const b of serviceEndpoints(state, svc)) {
      const key = `${b.ip}:${b.port}/${b.protocol}`;
      if (!out.has(key)) out.set(key, { namespace: svc.metadata.namespace ?? 'default', name: svc.metadata.name, port: b.servicePort });
    }
  }
  return out;
}

/** The Service Hubble recorded, else the one whose backend the destination is. */
function serviceOf(c: ObservedConnection, fronting: ReadonlyMap<string, Fronting>): Fronting | undefined {
  const viaState = fronting.get(`${c.destination.ip}:${c.port}/${c.protocol}`);
  if (c.service === undefined) return viaState;
  const port = viaState?.name === c.service.name && viaState.namespace === c.service.namespace ? viaState.port : c.port;
  return { namespace: c.service.namespace, name: c.service.name, port };
}
