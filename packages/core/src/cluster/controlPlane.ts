import type { EndpointManager } from '../agent/endpointManager.ts';
import type { NamedPortIndex } from '../agent/namedPortIndex.ts';
import type { AllocatedIdentity, IdentityAllocator } from '../identity/allocator.ts';
import type { Ipcache } from '../identity/ipcache.ts';
import { labelSet } from '../identity/labels.ts';
import type { Namespace, Pod, PolicyObject, Service } from '../k8s/objects.ts';
import { serviceEndpoints } from '../k8s/endpoints.ts';
import { changedKeys } from '../k8s/changedKeys.ts';
import { getByKey, listObjects, type K8sState } from '../k8s/state.ts';
import type { Frontend } from '../datapath/loadBalancer.ts';
import { parsePolicy } from '../policy/parsePolicy.ts';
import type { PolicyEngine } from '../policy/policyEngine.ts';
import { referencedCidrs } from '../policy/referencedCidrs.ts';
import type { PolicyKind } from '../policy/types.ts';
import { appForImage, implicitPorts } from '../workload/demoApps.ts';
import { coreDnsApp, type DnsZone } from '../workload/coreDnsApp.ts';
import { udpEcho } from '../workload/serverApp.ts';
import type { Network } from './network.ts';

export interface ControlPlaneDeps {
  readonly allocator: IdentityAllocator;
  readonly ipcache: Ipcache;
  readonly endpoints: EndpointManager;
  readonly namedPorts: NamedPortIndex;
  readonly network: Network;
  readonly engine: PolicyEngine;
  readonly clusterName: string;
  readonly zone: DnsZone;
  nowNs(): number;
  nodeIp(node: string): string;
  /** Identities that got their first endpoint (the operator creates SPIRE entries for them). */
  identitiesCreated(ids: readonly AllocatedIdentity[]): void;
}

const POLICY_KINDS = new Set<string>(['NetworkPolicy', 'CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy']);

/**
 * What the agents and operator do when the API server's objects change: endpoints and
 * identities for pods, service frontends for the load balancer, policies into the policy
 * engine, CIDR identities for the prefixes policies name. Driven by the difference between
 * two store states, so it works the same for apply, delete, label and scale.
 */
export class ControlPlane {
  readonly #d: ControlPlaneDeps;
  /** CIDR prefix -> its local identity and how many policies name it. */
  readonly #cidrs = new Map<string, { id: number; refs: number }>();
  readonly #cidrsByPolicy = new Map<string, readonly string[]>();

  constructor(deps: ControlPlaneDeps) {
    this.#d = deps;
  }

  sync(prev: K8sState, next: K8sState): void {
    if (prev === next) return;
    const changed = changedKeys(prev, next);
    const pods = new Set<string>();
    const touchedNamespaces = new Set<string>();
    for (const key of changed) {
      const [kind, ns, name] = key.split('/');
      if (kind === 'Pod') pods.add(key);
      if (kind === 'Pod' || kind === 'Service') touchedNamespaces.add(ns!);
      if (kind === 'Namespace') {
        for (const pod of listObjects(next, 'Pod', ns)) pods.add(`Pod/${ns}/${pod.metadata.name}`);
      }
      if (POLICY_KINDS.has(kind!))
        this.#syncPolicy(
          kind as PolicyKind,
          name === undefined ? undefined : ns,
          name ?? ns!,
          getByKey(next, key) as PolicyObject | undefined,
        );
    }
    for (const key of [...pods].sort()) this.#syncPod(key, next);
    for (const ns of [...touchedNamespaces].sort()) this.#syncServices(next, ns);
  }

  /**
   * Re-syncs every pod's endpoint against `state`, for changes the API server does not see
   * (SPIRE entries that give or take a pod's SPIFFE ID). Unchanged endpoints stay as they are;
   * a changed label set moves the endpoint to another identity, as a relabel does.
   */
  resyncPods(state: K8sState): void {
    const keys = listObjects(state, 'Pod').map((p) => `Pod/${p.metadata.namespace ?? 'default'}/${p.metadata.name}`);
    for (const key of keys.sort()) this.#syncPod(key, state);
  }

  #syncPolicy(kind: PolicyKind, namespace: string | undefined, name: string, obj: PolicyObject | undefined): void {
    const key = `${kind}/${namespace ?? ''}/${name}`;
    if (obj === undefined) {
      this.#d.engine.delete({ kind, ...(namespace === undefined ? {} : { namespace }), name });
      this.#syncCidrIdentities(key, []);
      return;
    }
    const parsed = parsePolicy(obj);
    // CIDR identities first, so the policy's CIDR peers select them as the maps are built.
    this.#syncCidrIdentities(key, referencedCidrs(parsed));
    this.#d.engine.apply(parsed);
  }

  /**
   * Keeps one local identity per CIDR prefix that some policy names, as the agent does. Prefixes
   * are reference counted per policy, so a change costs what that one policy names.
   */
  #syncCidrIdentities(policyKey: string, cidrs: readonly string[]): void {
    const before = this.#cidrsByPolicy.get(policyKey) ?? [];
    if (cidrs.length === 0) this.#cidrsByPolicy.delete(policyKey);
    else this.#cidrsByPolicy.set(policyKey, cidrs);
    for (const cidr of [...cidrs].sort()) if (!before.includes(cidr)) this.#retainCidr(cidr);
    for (const cidr of before) if (!cidrs.includes(cidr)) this.#releaseCidr(cidr);
  }

  #retainCidr(cidr: string): void {
    const held = this.#cidrs.get(cidr);
    if (held !== undefined) {
      held.refs++;
      return;
    }
    const labels = labelSet([
      { source: 'cidr', key: cidr, value: '' },
      { source: 'reserved', key: 'world', value: '' },
    ]);
    const { identity } = this.#d.allocator.acquireLocal(`cidr:${cidr}`, labels, this.#d.nowNs(), cidr);
    this.#cidrs.set(cidr, { id: identity.id, refs: 1 });
    this.#d.ipcache.upsertPrefix(cidr, identity.id);
    this.#d.engine.upsertIdentity({ id: identity.id, labels, cidr });
  }

  #releaseCidr(cidr: string): void {
    const held = this.#cidrs.get(cidr);
    if (held === undefined || --held.refs > 0) return;
    this.#cidrs.delete(cidr);
    const freed = this.#d.allocator.releaseLocal(`cidr:${cidr}`);
    this.#d.ipcache.deletePrefix(cidr);
    if (freed !== undefined) this.#d.engine.removeIdentity(freed.id);
  }

  #syncPod(key: string, state: K8sState): void {
    const pod = getByKey(state, key) as Pod | undefined;
    const ns = key.split('/')[1]!;
    const namespace = getByKey(state, `Namespace/${ns}`) as Namespace | undefined;
    const change = this.#d.endpoints.sync(
      key.slice('Pod/'.length),
      pod,
      {
        namespaceLabels: namespace?.metadata.labels ?? {},
        clusterName: this.#d.clusterName,
        nowNs: this.#d.nowNs(),
      },
      (node) => this.#d.nodeIp(node),
    );
    const namedPortsChanged = this.#d.namedPorts.update(change.before, change.after);
    for (const id of change.createdIdentities) this.#d.engine.upsertIdentity({ id: id.id, labels: id.labels });
    if (change.createdIdentities.length > 0) this.#d.identitiesCreated(change.createdIdentities);
    const before = change.before;
    const after = change.after;
    if (before !== undefined && (after === undefined || after.ip !== before.ip)) this.#d.network.removeStack(before.ip);
    if (
      after !== undefined &&
      pod !== undefined &&
      (before === undefined || before.ip !== after.ip || before.nodeName !== after.nodeName)
    ) {
      this.#listen(pod, after.ip, after.nodeName);
    }
    // Named ports resolve per endpoint (ingress) and cluster-wide (egress): maps using them rebuild.
    this.#d.engine.namedPortsChanged(namedPortsChanged.identities, namedPortsChanged.global);
  }

  /** Starts the pod's servers: one per declared container port, CoreDNS on 53. */
  #listen(pod: Pod, ip: string, node: string): void {
    const stack = this.#d.network.addPodStack(ip, node);
    const isDns = pod.metadata.labels['k8s-app'] === 'kube-dns';
    for (const c of pod.spec.containers) {
      for (const port of implicitPorts(c.image)) stack.listen('TCP', port, appForImage(c.image));
      for (const p of c.ports ?? []) {
        if (isDns && p.containerPort === 53) stack.listen(p.protocol, 53, coreDnsApp(this.#d.zone));
        else stack.listen(p.protocol, p.containerPort, p.protocol === 'UDP' ? udpEcho : appForImage(c.image));
      }
    }
  }

  /**
   * Brings the load balancer's frontends of one namespace's Services up to date; Services gone
   * from the namespace are found among those the load balancer holds for it, so a pod change
   * costs its namespace's Services, not every frontend of the cluster.
   */
  #syncServices(state: K8sState, namespace: string): void {
    const lb = this.#d.network.lb;
    const present = new Set<string>();
    for (const svc of listObjects(state, 'Service', namespace)) {
      present.add(svc.metadata.name);
      lb.replaceService(namespace, svc.metadata.name, frontendsOf(state, svc));
    }
    for (const name of lb.services(namespace)) if (!present.has(name)) lb.replaceService(namespace, name, []);
  }
}

function frontendsOf(state: K8sState, svc: Service): Frontend[] {
  if (svc.spec.clusterIP === 'None' || svc.spec.clusterIP === '') return [];
  const backends = serviceEndpoints(state, svc);
  return svc.spec.ports.map((sp) => ({
    namespace: svc.metadata.namespace ?? 'default',
    name: svc.metadata.name,
    ip: svc.spec.clusterIP,
    port: sp.port,
    proto: sp.protocol,
    backends: backends.filter((b) => b.servicePort === sp.port && b.protocol === sp.protocol).map((b) => ({ ip: b.ip, port: b.port })),
  }));
}
