import type { Endpoint } from '../agent/endpoint.ts';
import type { Cluster } from '../cluster/cluster.ts';
import type { EndpointPolicyView } from '../policy/policyDecision.ts';
import { SimError } from '../errors.ts';
import { implicitPorts } from '../workload/demoApps.ts';
import { PROTOCOL_NUMBERS } from '../policy/u8proto.ts';
import { ReservedIdentity } from '../identity/reserved.ts';

/**
 * The connectivity matrix: for every (source, destination, port) among the selected pods (or
 * identities), the verdict of the destination's ingress policy, of the source's egress policy,
 * and both together. Read from the policy maps (one lookup per direction), never by sending
 * packets, so it is cheap and has no side effect on flows or the clock.
 */
export type MatrixBy = 'pod' | 'identity';
export type MatrixProtocol = 'TCP' | 'UDP' | 'SCTP';

export interface MatrixPort {
  readonly port: number;
  readonly protocol: MatrixProtocol;
}

/** A row / column: one pod, or one identity with the pods holding it. */
export interface MatrixPeer {
  /** `default/xwing` (pod) or `default/deathstar` (identity: its workloads' names). */
  readonly name: string;
  readonly namespace: string;
  readonly identity: number;
  /** `namespace/pod` of every endpoint the peer stands for. */
  readonly pods: readonly string[];
}

export interface MatrixCell {
  readonly source: string;
  readonly destination: string;
  readonly port: number;
  readonly protocol: MatrixProtocol;
  /** The same pod on both sides: traffic stays inside the pod and no policy applies. */
  readonly self: boolean;
  readonly ingress: boolean;
  readonly egress: boolean;
  readonly combined: boolean;
}

export interface ConnectivityMatrix {
  readonly by: MatrixBy;
  readonly peers: readonly MatrixPeer[];
  readonly ports: readonly MatrixPort[];
  /** Port-major, then source, then destination, in `peers` order. */
  readonly cells: readonly MatrixCell[];
}

/**
 * The most cells one matrix holds: it grows with the square of the peers, so an `-A` over a
 * large cluster is refused before it is computed rather than running out of memory.
 */
export const MAX_MATRIX_CELLS = 250_000;

export interface MatrixOptions {
  /** Namespaces whose pods are both sources and destinations; default `['default']`. */
  readonly namespaces?: readonly string[] | 'all';
  /** Default: every port a selected destination listens on (declared container ports, plus
   * the ports known demo images serve without declaring them); TCP/80 when there are none. */
  readonly ports?: readonly MatrixPort[];
  readonly by?: MatrixBy;
}

/** What the matrix is computed from: endpoints, their listening ports, and a policy per identity. */
export interface MatrixInput {
  readonly endpoints: readonly Endpoint[];
  readonly policyOf: (identity: number) => EndpointPolicyView;
  readonly listeningPorts: (ep: Endpoint) => readonly MatrixPort[];
  /**
   * Reserved identities that take part as peers of their own: `reserved:ingress` while Gateway
   * API or the ingress controller runs, the source of Envoy's connections to the backends (its
   * row) and the identity whose ingress policy Envoy enforces on clients (its column).
   */
  readonly reserved?: readonly MatrixPeer[];
}

/** The peer of the ingress identity (ID 8), whatever namespaces are selected. */
export const INGRESS_PEER: MatrixPeer = { name: 'reserved:ingress', namespace: '', identity: ReservedIdentity.ingress, pods: [] };

/**
 * The matrix of the cluster's current policy maps.
 *
 * @example connectivityMatrix(cluster, { ports: [{ port: 80, protocol: 'TCP' }], by: 'pod' })
 */
export function connectivityMatrix(cluster: Cluster, opts: MatrixOptions = {}): ConnectivityMatrix {
  return computeMatrix(
    clusterMatrixInput(cluster, (id) => cluster.inspect.policyMap(id)),
    opts,
  );
}

export function clusterMatrixInput(cluster: Cluster, policyOf: (identity: number) => EndpointPolicyView): MatrixInput {
  const config = cluster.inspect.config();
  const envoyIngress = config['enable-gateway-api'] === 'true' || config['enable-ingress-controller'] === 'true';
  return {
    endpoints: cluster.inspect.endpoints(),
    policyOf,
    listeningPorts: (ep) => listeningPorts(cluster, ep),
    ...(envoyIngress ? { reserved: [INGRESS_PEER] } : {}),
  };
}

/** Pure given its input; deterministic order everywhere. */
export function computeMatrix(input: MatrixInput, opts: MatrixOptions = {}): ConnectivityMatrix {
  const by = opts.by ?? 'pod';
  const selected = selectEndpoints(input.endpoints, opts.namespaces ?? ['default']);
  const peers = [...(input.reserved ?? []), ...(by === 'pod' ? podPeers(selected) : identityPeers(selected))];
  const ports = opts.ports === undefined ? defaultPorts(selected, input.listeningPorts) : sortPorts(opts.ports.map(checkPort));
  const size = peers.length * peers.length * ports.length;
  if (size > MAX_MATRIX_CELLS) {
    throw new SimError({
      code: 'LIMIT_EXCEEDED',
      message: `the matrix would hold ${size} cells (${peers.length} × ${peers.length} peers × ${ports.length} ports); at most ${MAX_MATRIX_CELLS} are computed: narrow it to fewer namespaces or ports, or group by identity`,
    });
  }
  const cells: MatrixCell[] = [];
  for (const p of ports) {
    const proto = PROTOCOL_NUMBERS[p.protocol];
    for (const src of peers) {
      const egressMap = input.policyOf(src.identity);
      for (const dst of peers) {
        const ingress = input.policyOf(dst.identity).lookup(src.identity, 'INGRESS', proto, p.port).allowed;
        const egress = egressMap.lookup(dst.identity, 'EGRESS', proto, p.port).allowed;
        const self = by === 'pod' && src.name === dst.name;
        cells.push({
          source: src.name,
          destination: dst.name,
          port: p.port,
          protocol: p.protocol,
          self,
          ingress,
          egress,
          combined: ingress && egress,
        });
      }
    }
  }
  return { by, peers, ports, cells };
}

function selectEndpoints(all: readonly Endpoint[], namespaces: readonly string[] | 'all'): Endpoint[] {
  return namespaces === 'all' ? [...all] : all.filter((e) => namespaces.includes(e.namespace));
}

function podPeers(eps: readonly Endpoint[]): MatrixPeer[] {
  return eps.map((e) => ({
    name: `${e.namespace}/${e.podName}`,
    namespace: e.namespace,
    identity: e.identity,
    pods: [`${e.namespace}/${e.podName}`],
  }));
}

/** One peer per identity, named after its pods' workloads; the number disambiguates clashes. */
function identityPeers(eps: readonly Endpoint[]): MatrixPeer[] {
  const byId = new Map<number, Endpoint[]>();
  for (const e of eps) byId.set(e.identity, [...(byId.get(e.identity) ?? []), e]);
  const named = [...byId].map(([identity, list]) => {
    const workloads = [...new Set(list.map((e) => e.workload?.name ?? e.podName))].sort();
    const namespace = list[0]!.namespace;
    return { name: `${namespace}/${workloads.join(',')}`, namespace, identity, pods: list.map((e) => `${e.namespace}/${e.podName}`) };
  });
  const clash = (n: string): boolean => named.filter((p) => p.name === n).length > 1;
  return named.map((p) => (clash(p.name) ? { ...p, name: `${p.name}#${p.identity}` } : p)).sort((a, b) => cmp(a.name, b.name));
}

function defaultPorts(eps: readonly Endpoint[], listening: MatrixInput['listeningPorts']): MatrixPort[] {
  const ports = eps.flatMap((e) => listening(e));
  return ports.length === 0 ? [{ port: 80, protocol: 'TCP' }] : sortPorts(ports);
}

/** Ports the pod's servers listen on, as the agent starts them: declared plus implicit ones. */
export function listeningPorts(cluster: Cluster, ep: Endpoint): MatrixPort[] {
  const pod = cluster.get('Pod', ep.podName, ep.namespace);
  if (pod === undefined) return [];
  return pod.spec.containers.flatMap((c) => [
    ...implicitPorts(c.image).map((port): MatrixPort => ({ port, protocol: 'TCP' })),
    ...(c.ports ?? []).map((p): MatrixPort => ({ port: p.containerPort, protocol: p.protocol })),
  ]);
}

/** Sorted by protocol then number, duplicates removed. */
export function sortPorts(ports: readonly MatrixPort[]): MatrixPort[] {
  const unique = new Map(ports.map((p) => [`${p.protocol}/${p.port}`, p]));
  return [...unique.values()].sort((a, b) => cmp(a.protocol, b.protocol) || a.port - b.port);
}

function checkPort(p: MatrixPort): MatrixPort {
  if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) {
    throw new SimError({
      code: 'INVALID_PORT',
      object: 'connectivity matrix',
      path: 'ports',
      message: `port ${p.port} is out of range; use 1..65535`,
    });
  }
  if (!(p.protocol in PROTOCOL_NUMBERS) || p.protocol.startsWith('ICMP')) {
    throw new SimError({
      code: 'INVALID_PORT',
      object: 'connectivity matrix',
      path: 'ports',
      message: `protocol ${JSON.stringify(p.protocol)} is not supported; use TCP, UDP or SCTP`,
    });
  }
  return p;
}

/** `TCP/80`, `80/tcp`, `53/UDP` or `8080` (TCP) into a port; a SimError otherwise. */
export function parseMatrixPort(text: string): MatrixPort {
  const m = /^(?:(tcp|udp|sctp)\/(\d+)|(\d+)(?:\/(tcp|udp|sctp))?)$/i.exec(text.trim());
  if (m === null) {
    throw new SimError({
      code: 'INVALID_PORT',
      object: 'connectivity matrix',
      path: '--port',
      message: `cannot read port ${JSON.stringify(text)}; write PORT/PROTOCOL such as 80/TCP or 53/UDP`,
    });
  }
  const port = Number(m[2] ?? m[3]);
  const protocol = (m[1] ?? m[4] ?? 'TCP').toUpperCase() as MatrixProtocol;
  return checkPort({ port, protocol });
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
