import type { IdentityAllocator, AllocatedIdentity } from '../identity/allocator.ts';
import { endpointLabels } from '../identity/endpointLabels.ts';
import type { Ipcache } from '../identity/ipcache.ts';
import { labelSet, labelSetKey, type Label, type LabelSet } from '../identity/labels.ts';
import type { Pod } from '../k8s/objects.ts';
import type { Rng } from '../sim/rng.ts';
import type { NamedPort } from '../policy/namedPorts.ts';
import type { Endpoint } from './endpoint.ts';

export interface PodContext {
  readonly namespaceLabels: Readonly<Record<string, string>>;
  readonly clusterName: string;
  readonly nowNs: number;
}

/** What changed when a pod was synced, so the agents can react (policy, SPIRE, listeners). */
export interface EndpointChange {
  readonly before?: Endpoint;
  readonly after?: Endpoint;
  /** Identities that gained their first reference (new CiliumIdentity objects). */
  readonly createdIdentities: readonly AllocatedIdentity[];
}

/**
 * The agents' endpoint bookkeeping: one endpoint per non-host-network pod with an IP, its
 * identity taken from the allocator (same labels -> same number) and its address in the
 * ipcache. Endpoint IDs are drawn per node from 1..4095, as the agent's IDs look.
 */
export class EndpointManager {
  readonly #allocator: IdentityAllocator;
  readonly #ipcache: Ipcache;
  readonly #rng: Rng;
  readonly #componentRng: Rng;
  readonly #byPod = new Map<string, Endpoint>();
  readonly #byIp = new Map<string, Endpoint>();
  readonly #recentIps: string[] = new Array<string>(RECENT_IPS).fill('');
  readonly #recentEndpoints: (Endpoint | undefined)[] = new Array<Endpoint | undefined>(RECENT_IPS).fill(undefined);
  readonly #idsByNode = new Map<string, Set<number>>();
  /** The pod uid behind each endpoint: a new pod under an old name is a new endpoint. */
  readonly #uids = new Map<string, string>();
  /** Endpoints with per-endpoint policy audit mode; the setting goes with its endpoint. */
  readonly #audit = new Set<Endpoint>();
  #spiffeIds: ((pod: Pod) => readonly string[]) | undefined;

  constructor(allocator: IdentityAllocator, ipcache: Ipcache, rng: Rng) {
    this.#allocator = allocator;
    this.#ipcache = ipcache;
    this.#rng = rng;
    this.#componentRng = rng.fork('cilium-components');
  }

  /**
   * Turns on SPIFFE labels (AccuKnox's SPIFFE integration, the sock-shop lab): every SPIFFE ID
   * SPIRE issues to a pod becomes a label of its endpoint, source `spiffe`, so it prints as the ID
   * itself (`spiffe://example.org/carts`, as the fork's `cilium endpoint list` shows) and a selector
   * key `spiffe://example.org/carts` matches it. In that fork the label is
   * identity-relevant, so it is part of the identity, and a pod whose SPIFFE IDs change moves to
   * another identity on its next sync, as any identity-label change does.
   */
  setSpiffeResolver(resolve: ((pod: Pod) => readonly string[]) | undefined): void {
    this.#spiffeIds = resolve;
  }

  byIp(ip: string): Endpoint | undefined {
    // Every packet's flow asks for both its ends: the addresses asked last answer from a small
    // table found by their last characters, kept equal to the map (see #file).
    if (typeof ip !== 'string') return undefined;
    const slot = ipSlot(ip);
    if (this.#recentIps[slot] === ip) return this.#recentEndpoints[slot];
    const ep = this.#byIp.get(ip);
    this.#recentIps[slot] = ip;
    this.#recentEndpoints[slot] = ep;
    return ep;
  }

  /** Files `ep` under `ip` (undefined: unfiles it), in the map and in the table in front of it. */
  #file(ip: string, ep: Endpoint | undefined): void {
    if (ep === undefined) this.#byIp.delete(ip);
    else this.#byIp.set(ip, ep);
    const slot = ipSlot(ip);
    this.#recentIps[slot] = ip;
    this.#recentEndpoints[slot] = ep;
  }

  byPod(namespace: string, name: string): Endpoint | undefined {
    return this.#byPod.get(`${namespace}/${name}`);
  }

  /** Every endpoint, sorted by namespace then pod name. */
  list(): Endpoint[] {
    return [...this.#byPod.values()].sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.podName, b.podName));
  }

  /**
   * `cilium endpoint config ID PolicyAuditMode=Enabled|Disabled`: a setting of the endpoint as it
   * exists now. False when the pod has no endpoint (nothing is stored for it).
   */
  setPolicyAuditMode(namespace: string, name: string, enabled: boolean): boolean {
    const ep = this.#byPod.get(`${namespace}/${name}`);
    if (ep === undefined) return false;
    if (enabled) this.#audit.add(ep);
    else this.#audit.delete(ep);
    return true;
  }

  /** Whether `ep` has per-endpoint policy audit mode (the cluster-wide key is the config's). */
  policyAuditMode(ep: Endpoint): boolean {
    return this.#audit.has(ep);
  }

  /** Endpoints holding `identity`. */
  withIdentity(identity: number): Endpoint[] {
    return this.list().filter((e) => e.identity === identity);
  }

  /** Creates, updates or removes the endpoint of `pod` (undefined: the pod is gone). */
  sync(podKey: string, pod: Pod | undefined, ctx: PodContext, nodeIp: (node: string) => string): EndpointChange {
    const before = this.#byPod.get(podKey);
    const wanted = pod !== undefined && pod.spec.hostNetwork !== true && pod.status.podIP !== undefined && pod.spec.nodeName !== undefined;
    if (!wanted) {
      if (before !== undefined) this.#remove(podKey, before);
      return before === undefined ? { createdIdentities: [] } : { before, createdIdentities: [] };
    }
    // A pod deleted and created again under its name between two syncs is a new endpoint, as
    // Cilium starts one for the new pod: a new ID and none of the old one's settings.
    if (before !== undefined && this.#uids.get(podKey) !== pod.metadata.uid) {
      this.#remove(podKey, before);
      const fresh = this.sync(podKey, pod, ctx, nodeIp);
      return { ...fresh, before };
    }
    let labels: { all: LabelSet; identity: LabelSet } = endpointLabels({
      namespace: pod.metadata.namespace ?? 'default',
      podLabels: pod.metadata.labels,
      namespaceLabels: ctx.namespaceLabels,
      serviceAccount: pod.spec.serviceAccountName,
      clusterName: ctx.clusterName,
    });
    const spiffe = this.#spiffeLabels(pod);
    if (spiffe.length > 0) labels = { all: labelSet([...labels.all, ...spiffe]), identity: labelSet([...labels.identity, ...spiffe]) };
    const node = pod.spec.nodeName!;
    const ip = pod.status.podIP!;
    if (before !== undefined && before.ip === ip && before.nodeName === node && labelSetKey(before.labels) === labelSetKey(labels.all)) {
      return { before, after: before, createdIdentities: [] };
    }
    const created: AllocatedIdentity[] = [];
    const component = isCiliumComponent(pod);
    const acquired = this.#allocator.acquire(labels.identity, ctx.nowNs, component);
    if (acquired.created) created.push(acquired.identity);
    const audited = before !== undefined && this.#audit.has(before);
    if (before !== undefined) this.#remove(podKey, before, before.ip !== ip || before.nodeName !== node);
    const id =
      before !== undefined && before.nodeName === node ? before.id : this.#drawId(node, component ? this.#componentRng : this.#rng);
    const after = endpointOf(pod, {
      id,
      ip,
      nodeName: node,
      identity: acquired.identity.id,
      labels: labels.all,
      identityLabels: labels.identity,
      createdAtNs: before?.createdAtNs ?? ctx.nowNs,
    });
    this.#idsByNode.get(node)!.add(after.id);
    this.#byPod.set(podKey, after);
    this.#uids.set(podKey, pod.metadata.uid);
    if (audited) this.#audit.add(after);
    this.#file(ip, after);
    this.#ipcache.upsert(ip, { identity: after.identity, hostIp: nodeIp(node), nodeName: node });
    return before === undefined ? { after, createdIdentities: created } : { before, after, createdIdentities: created };
  }

  #spiffeLabels(pod: Pod): Label[] {
    if (this.#spiffeIds === undefined) return [];
    // `spiffe://td/path` is source `spiffe`, key `//td/path`.
    return this.#spiffeIds(pod)
      .filter((id) => id.startsWith('spiffe:'))
      .map((id) => ({ source: 'spiffe', key: id.slice('spiffe:'.length), value: '' }));
  }

  #remove(podKey: string, ep: Endpoint, freeId = true): void {
    this.#byPod.delete(podKey);
    this.#uids.delete(podKey);
    this.#audit.delete(ep);
    if (this.#byIp.get(ep.ip) === ep) {
      this.#file(ep.ip, undefined);
      this.#ipcache.delete(ep.ip);
    }
    if (freeId) this.#idsByNode.get(ep.nodeName)?.delete(ep.id);
    this.#allocator.release(ep.identity);
  }

  #drawId(node: string, rng: Rng): number {
    let ids = this.#idsByNode.get(node);
    if (ids === undefined) this.#idsByNode.set(node, (ids = new Set()));
    for (;;) {
      const id = rng.int(1, 4095);
      if (!ids.has(id)) return id;
    }
  }
}

const NO_NAMED_PORTS: readonly NamedPort[] = Object.freeze([]);

/**
 * A pod of Cilium's own that not every install runs (Hubble UI): its endpoint ID and identity
 * number come from streams of their own. Pods that every install runs (CoreDNS, Hubble Relay)
 * draw as the user's pods do.
 */
function isCiliumComponent(pod: Pod): boolean {
  return pod.metadata.labels['app.kubernetes.io/part-of'] === 'cilium' && pod.metadata.namespace === 'kube-system';
}

function namedPorts(pod: Pod): readonly NamedPort[] {
  // Most pods name no port: they share one empty list.
  if (!pod.spec.containers.some((c) => c.ports?.some((p) => p.name !== undefined) === true)) return NO_NAMED_PORTS;
  return pod.spec.containers.flatMap((c) =>
    (c.ports ?? []).filter((p) => p.name !== undefined).map((p) => ({ name: p.name!, port: p.containerPort, protocol: p.protocol })),
  );
}

/**
 * The endpoint of `pod`, frozen. Two literals, with and without the workload, rather than one
 * with the workload spread in: V8 builds a literal holding a spread field by field at run time.
 */
function endpointOf(
  pod: Pod,
  e: Pick<Endpoint, 'id' | 'ip' | 'nodeName' | 'identity' | 'labels' | 'identityLabels' | 'createdAtNs'>,
): Endpoint {
  const namespace = pod.metadata.namespace ?? 'default';
  const podName = pod.metadata.name;
  const ports = namedPorts(pod);
  const serviceAccount = pod.spec.serviceAccountName;
  const workload = workloadOf(pod);
  const { id, ip, nodeName, identity, labels, identityLabels, createdAtNs } = e;
  return Object.freeze(
    workload === undefined
      ? { id, namespace, podName, ip, nodeName, identity, labels, identityLabels, namedPorts: ports, serviceAccount, createdAtNs }
      : {
          id,
          namespace,
          podName,
          ip,
          nodeName,
          identity,
          labels,
          identityLabels,
          namedPorts: ports,
          serviceAccount,
          workload,
          createdAtNs,
        },
  );
}

/** The Deployment behind a pod (through its ReplicaSet-style name), or the pod itself. */
function workloadOf(pod: Pod): { name: string; kind: string } | undefined {
  const owner = pod.metadata.ownerReferences?.find((o) => o.controller === true) ?? pod.metadata.ownerReferences?.[0];
  if (owner === undefined) return undefined;
  if (owner.kind === 'ReplicaSet' || owner.kind === 'Deployment') {
    const hash = pod.metadata.labels['pod-template-hash'];
    const name =
      owner.kind === 'ReplicaSet' && hash !== undefined && owner.name.endsWith(`-${hash}`)
        ? owner.name.slice(0, -hash.length - 1)
        : owner.name;
    return { name, kind: 'Deployment' };
  }
  return { name: owner.name, kind: owner.kind };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Slots of the table of addresses asked last (a power of two). */
const RECENT_IPS = 64;

/** An address's slot, from its last three characters, where a cluster's addresses differ. */
function ipSlot(ip: string): number {
  const n = ip.length;
  return (ip.charCodeAt(n - 1) * 31 + ip.charCodeAt(n - 2) * 7 + ip.charCodeAt(n - 3)) & (RECENT_IPS - 1);
}
