import mittImport, { type Emitter, type EventType } from 'mitt';
import { defaultAgentConfig, validateConfigValue } from '../agent/agentConfig.ts';
import { AgentLog } from '../agent/agentLog.ts';
import type { Endpoint } from '../agent/endpoint.ts';
import { EndpointManager } from '../agent/endpointManager.ts';
import { NamedPortIndex, type NamedPortMap } from '../agent/namedPortIndex.ts';
import { SimError } from '../errors.ts';
import type { Flow } from '../hubble/flow.ts';
import { HubbleObserver } from '../hubble/observer.ts';
import { queryFlows, type FlowQuery } from '../hubble/query.ts';
import { IdentityAllocator, type AllocatedIdentity } from '../identity/allocator.ts';
import { Ipcache } from '../identity/ipcache.ts';
import { bootstrapCluster } from '../k8s/bootstrap.ts';
import type { ApplyContext } from '../k8s/context.ts';
import { nodeIp } from '../k8s/ipam.ts';
import { parseManifest } from '../k8s/manifest.ts';
import type { K8sObject, Kind, ObjectOfKind, Pod } from '../k8s/objects.ts';
import { EMPTY_K8S_STATE, getObject, listObjects, type K8sState } from '../k8s/state.ts';
import { applyDocuments, createDocuments, deleteDocuments, deleteObject, type ObjectResult } from '../k8s/store.ts';
import { labelObject, runPod, scaleDeployment, type RunPodOptions } from '../k8s/imperative.ts';
import type { ObjectRef } from '../k8s/objects.ts';
import { validatePolicyObject } from '../policy/parsePolicy.ts';
import { PolicyEngine } from '../policy/policyEngine.ts';
import { Clock } from '../sim/clock.ts';
import { NS_PER_H, formatDuration, parseDuration } from '../sim/duration.ts';
import { checkObjectRef } from '../k8s/objectRefCheck.ts';
import { Rng } from '../sim/rng.ts';
import { Scheduler } from '../sim/scheduler.ts';
import { ControlPlane } from './controlPlane.ts';
import { HubbleEmitter } from './hubbleEmitter.ts';
import { MutualAuth } from './mutualAuth.ts';
import { ClusterFaults } from './faults.ts';
import { Network } from './network.ts';
import type { MonitorAggregationLevel } from '../datapath/monitorAggregation.ts';
import { resolveOptions, type ClusterOptions, type ResolvedOptions } from './options.ts';
import { splitPodRef, type WorkloadExec } from './podExec.ts';
import { L7Proxy } from '../proxy/l7Proxy.ts';
import { FqdnDns } from './fqdnDns.ts';
import { affectsWorkloads, SpiffeWorkloads } from './spiffeWorkloads.ts';
import { tracePolicy, type PolicyTrace } from './policyTrace.ts';
import { clusterDnsZone } from './dnsZone.ts';
import { hostExec, outsideExec, podExec, type WorkloadAccess } from './workloadAccess.ts';
import type { PolicyContext } from '../policy/peerSelector.ts';
import { ciliumEndpointObjects, ciliumIdentityObject, type CiliumEndpointObject, type CiliumIdentityObject } from './ciliumObjects.ts';

/**
 * The longest single `advance`: every timer that falls due runs, so a jump of years would take
 * as long to simulate; a day covers SVID and CA rotation.
 */
export const MAX_ADVANCE_NS = 24 * NS_PER_H;

// mitt's typings describe a CommonJS module; under Node's ESM the default export is the function.
const mitt = ((mittImport as unknown as { default?: unknown }).default ?? mittImport) as unknown as <
  E extends Record<EventType, unknown>,
>() => Emitter<E>;

/** What the cluster announces on its event bus. */
export type SimEvents = {
  flow: Flow;
  applied: { readonly results: readonly ObjectResult[] };
  'identity-created': AllocatedIdentity;
};

/**
 * The simulated cluster: Kubernetes, Cilium agents and operator, SPIRE, the datapath and
 * Hubble, on one virtual clock and one seeded PRNG.
 *
 * @example
 * const cluster = Cluster.create({ seed: 1 });
 * cluster.apply(yamlText);
 * cluster.exec('default/tiefighter').curl({ url: 'http://deathstar/v1/request-landing', method: 'POST' });
 */
export class Cluster {
  readonly options: ResolvedOptions;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly rng: Rng;
  readonly events: Emitter<SimEvents> = mitt<SimEvents>();
  readonly hubble = new HubbleObserver();
  readonly identities: IdentityAllocator;
  readonly ipcache = new Ipcache();
  readonly namedPorts = new NamedPortIndex();
  readonly endpoints: EndpointManager;
  readonly network: Network;
  readonly policy: PolicyEngine;
  readonly config: Record<string, string>;
  /**
   * SPIRE and, when `options.mutualAuth`, Cilium's mutual auth on top: defined whenever SPIRE
   * runs (`options.spire.enabled`), with no auth managers in SPIRE-only mode.
   */
  readonly mutualAuth: MutualAuth | undefined;
  /** Fault injection (SPIRE server or agent down, trust domain mismatch, clock skew) and recovery. */
  readonly faults: ClusterFaults = new ClusterFaults(() => this.mutualAuth);
  readonly proxy: L7Proxy;
  readonly fqdn: FqdnDns;
  readonly #logs = new Map<string, AgentLog>();
  readonly #auditEndpoints = new Set<string>();
  readonly #controlPlane: ControlPlane;
  /** Pods' SPIFFE IDs and SVIDs, with the spiffeTlsUpgrade extension and SPIRE. */
  readonly #spiffe: SpiffeWorkloads | undefined;
  readonly #policyCtx: PolicyContext;
  readonly #k8sRng: Rng;
  readonly #execRng: Rng;
  #state: K8sState;
  #dryRuns = 0;

  private constructor(options: ResolvedOptions) {
    this.options = options;
    this.clock = new Clock(options.startMs);
    this.scheduler = new Scheduler(this.clock);
    this.rng = Rng.seeded(options.seed);
    this.#k8sRng = this.rng.fork('k8s');
    this.#execRng = this.rng.fork('workload');
    this.config = defaultAgentConfig({ mutualAuth: options.mutualAuth, clusterName: options.clusterName, encryption: options.encryption });
    this.identities = new IdentityAllocator(this.rng.fork('identity'));
    this.endpoints = new EndpointManager(this.identities, this.ipcache, this.rng.fork('endpoint'));
    this.#policyCtx = {
      clusterName: options.clusterName,
      serviceSelector: (ns, name) => getObject(this.#state, { kind: 'Service', namespace: ns, name })?.spec.selector,
    };
    this.policy = new PolicyEngine({
      ctx: this.#policyCtx,
      namedPorts: (subject) => this.#namedPorts(subject.id),
    });
    const emitter = new HubbleEmitter({
      clock: this.clock,
      seed: options.seed,
      clusterName: options.clusterName,
      endpoint: (ip) => this.endpoints.byIp(ip),
      identityOf: (ip, viewer) => this.network.identityOf(ip, viewer),
      encrypted: (src, dst) => this.#encrypted(src, dst),
      names: (ip) => this.fqdn.namesOf(ip),
      record: (node, at, build) => {
        const rec = this.hubble.recordLazy(node, at, build);
        if ((this.events.all.get('flow')?.length ?? 0) + (this.events.all.get('*')?.length ?? 0) > 0) this.events.emit('flow', rec.flow);
      },
    });
    this.proxy = new L7Proxy({
      scheduler: this.scheduler,
      emit: emitter,
      answer: (p) => this.network.stack(p.srcIp)?.send(p),
      learnDns: (client, name, ips, ttl) => this.fqdn.learn(client, name, ips, ttl),
      dnsRejectCode: () => (this.config['tofqdns-dns-reject-response-code'] === 'nameError' ? 'NXDOMAIN' : 'REFUSED'),
      workloadSvid: (ip, viewer) => {
        const ep = this.endpoints.byIp(ip);
        return ep === undefined ? undefined : this.#spiffe?.svidOf(ep, viewer);
      },
    });
    this.network = new Network(
      this.scheduler,
      this.ipcache,
      (ip) => this.endpoints.byIp(ip),
      {
        policy: (ep) => this.policy.policyMap(ep.identity),
        auditMode: (ep) => this.config['policy-audit-mode'] === 'true' || this.#auditEndpoints.has(`${ep.namespace}/${ep.podName}`),
        requestAuth: (node, key) => this.mutualAuth?.requestAuth(node, key),
        redirect: (p, ct, side, decision, node, deliver) => this.proxy.redirect(p, ct, side, decision, node, deliver),
        observeReply: (p, ct) => this.proxy.observeReply(p, ct),
      },
      emitter,
    );
    this.fqdn = new FqdnDns({
      scheduler: this.scheduler,
      allocator: this.identities,
      ipcache: this.ipcache,
      policy: this.policy,
      nowNs: () => this.clock.nowNs,
      minTtlS: () => Number(this.config['tofqdns-min-ttl'] ?? '0'),
    });
    this.#state = bootstrapCluster({
      nodes: options.nodes,
      mutualAuth: options.mutualAuth,
      spire: options.spire.enabled,
      clusterName: options.clusterName,
      clock: this.clock,
      rng: this.#k8sRng,
    });
    const nodeIds = this.rng.fork('node-id');
    for (const node of listObjects(this.#state, 'Node')) {
      const isApiServer = node.metadata.labels['node-role.kubernetes.io/control-plane'] !== undefined;
      this.network.addNode({ name: node.metadata.name, ip: nodeIp(node), id: nodeIds.int(1, 65535) }, isApiServer);
      this.#logs.set(node.metadata.name, new AgentLog());
    }
    this.#controlPlane = new ControlPlane({
      allocator: this.identities,
      ipcache: this.ipcache,
      endpoints: this.endpoints,
      namedPorts: this.namedPorts,
      network: this.network,
      engine: this.policy,
      clusterName: options.clusterName,
      zone: clusterDnsZone(() => this.#state, options.externalHosts),
      nowNs: () => this.clock.nowNs,
      nodeIp: (node) => this.network.node(node)?.ip ?? '',
      identitiesCreated: (ids) => {
        this.mutualAuth?.syncIdentities();
        for (const id of ids) this.events.emit('identity-created', id);
      },
    });
    this.mutualAuth = options.spire.enabled
      ? new MutualAuth({
          clock: this.clock,
          scheduler: this.scheduler,
          rng: this.rng.fork('spire'),
          trustDomain: options.trustDomain,
          clusterName: options.clusterName,
          network: this.network,
          config: this.config,
          mutualAuth: options.mutualAuth,
          operatorEntries: options.spire.operatorEntries,
          log: (node) => this.agentLog(node),
          identityIds: () =>
            this.identities
              .list()
              .filter((i) => i.cidr === undefined && i.id < 16777216)
              .map((i) => i.id),
          identityExists: (id) => this.identities.get(id) !== undefined,
          policyRequires: (k) =>
            this.policy
              .policyMap(k.localIdentity)
              .entries()
              .some(([pk, e]) => !e.deny && e.authType === k.authType && (pk.identity === 0 || pk.identity === k.remoteIdentity)),
        })
      : undefined;
    this.#spiffe = this.#wireSpiffeWorkloads();
    this.#controlPlane.sync(EMPTY_K8S_STATE, this.#state);
    this.scheduler.runUntilIdle();
    this.mutualAuth?.connectAgents();
    this.#scheduleIdentityGc();
  }

  /** A new cluster with the labs' kind nodes, Cilium, Hubble and (by default) SPIRE. */
  static create(options: ClusterOptions = {}): Cluster {
    return new Cluster(resolveOptions(options));
  }

  /** The API server's objects (immutable; a snapshot is free). */
  get state(): K8sState {
    return this.#state;
  }

  /** `kubectl apply -f`: each object one transaction; a rejected object leaves no trace. */
  apply(yaml: string, opts: ChangeOptions = {}): ObjectResult[] {
    return this.#store((s, ctx) => applyDocuments(s, parseManifest(yaml), ctx, nsOpts(opts)), opts.dryRun === true);
  }

  /** `kubectl create -f`: as apply, but existing objects are an error. */
  create(yaml: string, opts: ChangeOptions = {}): ObjectResult[] {
    return this.#store((s, ctx) => createDocuments(s, parseManifest(yaml), ctx, nsOpts(opts)), opts.dryRun === true);
  }

  /** `kubectl delete -f` with a manifest, or `kubectl delete KIND NAME` with a reference. */
  delete(target: string | ObjectRef, opts: ChangeOptions = {}): ObjectResult[] {
    if (typeof target === 'string')
      return this.#store((s, ctx) => deleteDocuments(s, parseManifest(target), ctx, nsOpts(opts)), opts.dryRun === true);
    checkObjectRef(target);
    return this.#store((s, ctx) => {
      const out = deleteObject(s, target, ctx);
      return { state: out.state, results: [out.result] };
    }, opts.dryRun === true);
  }

  label(ref: ObjectRef, changes: Readonly<Record<string, string | null>>, overwrite = false): ObjectResult {
    checkObjectRef(ref);
    return this.#store((s, ctx) => one(labelObject(s, ref, changes, overwrite, ctx)), false)[0]!;
  }

  scale(ref: ObjectRef, replicas: number): ObjectResult {
    checkObjectRef(ref);
    return this.#store((s, ctx) => one(scaleDeployment(s, ref, replicas, ctx)), false)[0]!;
  }

  run(name: string, image: string, opts: RunPodOptions = {}): ObjectResult {
    return this.#store((s, ctx) => one(runPod(s, name, image, opts, ctx)), false)[0]!;
  }

  get<K extends Kind>(kind: K, name: string, namespace?: string): ObjectOfKind<K> | undefined {
    return getObject(this.#state, { kind, name, ...(namespace === undefined ? {} : { namespace }) } as ObjectRef & { kind: K });
  }

  list<K extends Kind>(kind: K, namespace?: string): ObjectOfKind<K>[] {
    return listObjects(this.#state, kind, namespace);
  }

  /** Moves the virtual clock, running what falls due (rotations, GC, expiry). `'5m'` or ns. */
  advance(duration: string | number): void {
    const ns = typeof duration === 'number' ? duration : typeof duration === 'string' ? parseDuration(duration, 'duration') : Number.NaN;
    if (!Number.isFinite(ns))
      throw new SimError({
        code: 'INVALID_DURATION',
        path: 'duration',
        message: `expected a number of nanoseconds or a duration such as 30s, received ${String(duration)}`,
      });
    if (ns < 0) throw new SimError({ code: 'INVALID_DURATION', path: 'duration', message: `cannot go back in time (${duration})` });
    if (ns > MAX_ADVANCE_NS) {
      throw new SimError({
        code: 'LIMIT_EXCEEDED',
        path: 'duration',
        message: `the virtual clock moves at most ${formatDuration(MAX_ADVANCE_NS)} at once, received ${typeof duration === 'number' ? formatDuration(ns) : duration}; advance in steps`,
      });
    }
    this.scheduler.runUntil(this.clock.nowNs + ns);
  }

  /** Runs commands in a pod: `exec('default/xwing').curl(...)`. */
  exec(pod: string): WorkloadExec {
    return podExec(this.#workloads(), pod);
  }

  /** Runs commands on a node's host (`docker exec kind-worker ...`). */
  host(nodeName: string): WorkloadExec {
    return hostExec(this.#workloads(), nodeName);
  }

  /** Runs commands on a client outside the cluster at `ip` (identity world). */
  outside(ip = '192.0.2.10'): WorkloadExec {
    return outsideExec(this.#workloads(), ip);
  }

  /** CiliumEndpoint objects, one per endpoint, sorted by namespace and name. */
  ciliumEndpoints(namespace?: string): CiliumEndpointObject[] {
    return ciliumEndpointObjects(this, namespace);
  }

  /** CiliumIdentity objects: the global identities endpoints use (not CIDR/FQDN ones). */
  ciliumIdentities(): CiliumIdentityObject[] {
    return this.identities
      .list()
      .filter((i) => i.cidr === undefined && i.id < 16777216)
      .map((i) => ciliumIdentityObject(i, this.clock));
  }

  /**
   * `cilium policy trace`: why traffic from `src` to `dst:port` is allowed or denied. Each side
   * is a pod (`default/xwing`) or a numeric identity.
   */
  policyTrace(src: string | number, dst: string | number, port: number, protocol: 'TCP' | 'UDP' | 'SCTP' = 'TCP'): PolicyTrace {
    return tracePolicy(this, this.#policyCtx, src, dst, port, protocol);
  }

  /** Hubble's flows (all nodes, time order), optionally filtered. */
  flows(query: FlowQuery = {}): Flow[] {
    return queryFlows(this.hubble, query);
  }

  on<K extends keyof SimEvents>(type: K, handler: (e: SimEvents[K]) => void): () => void {
    this.events.on(type, handler);
    return () => this.events.off(type, handler);
  }

  /** `cilium config set KEY VALUE`. */
  setConfig(key: string, value: string): void {
    validateConfigValue(key, value);
    this.config[key] = value;
    if (key === 'enable-policy') this.policy.regenerateAll(value as 'default' | 'always' | 'never');
    if (key === 'monitor-aggregation') this.network.datapath.monitor.level = value as MonitorAggregationLevel;
    if (key === 'monitor-aggregation-interval') this.network.datapath.monitor.intervalNs = parseDuration(value, key);
  }

  /** Per-endpoint policy audit mode (`cilium endpoint config ID PolicyAuditMode=Enabled`). */
  setEndpointAuditMode(pod: string, enabled: boolean): void {
    const { namespace, name } = splitPodRef(pod);
    if (enabled) this.#auditEndpoints.add(`${namespace}/${name}`);
    else this.#auditEndpoints.delete(`${namespace}/${name}`);
  }

  endpointAuditMode(ep: Endpoint): boolean {
    return this.config['policy-audit-mode'] === 'true' || this.#auditEndpoints.has(`${ep.namespace}/${ep.podName}`);
  }

  agentLog(node: string): AgentLog {
    const log = this.#logs.get(node);
    if (log === undefined) throw new SimError({ code: 'NOT_FOUND', object: `node ${node}`, message: `no such node: ${node}` });
    return log;
  }

  #store(op: (s: K8sState, ctx: ApplyContext) => { state: K8sState; results: readonly ObjectResult[] }, dryRun: boolean): ObjectResult[] {
    const prev = this.#state;
    // A dry run draws from a throwaway stream, so it leaves later names and UIDs as they would have been.
    const out = op(prev, dryRun ? { ...this.#ctx(), rng: this.rng.fork(`dry-run/${this.#dryRuns++}`) } : this.#ctx());
    if (dryRun) return [...out.results];
    this.#state = out.state;
    this.#controlPlane.sync(prev, out.state);
    this.events.emit('applied', { results: out.results });
    return [...out.results];
  }

  #ctx(): ApplyContext {
    return {
      clock: this.clock,
      rng: this.#k8sRng,
      clusterName: this.options.clusterName,
      validatePolicy: (obj) => validatePolicyObject(obj, { extensions: this.options.extensions }),
    };
  }

  /**
   * The spiffeTlsUpgrade extension on a cluster running SPIRE: pods' SPIFFE IDs become endpoint
   * labels, and an entry created, changed or deleted re-syncs the endpoints at once (a pod that
   * gains or loses an ID moves to another identity), as the fork's agent did on SPIRE's update.
   */
  #wireSpiffeWorkloads(): SpiffeWorkloads | undefined {
    if (this.mutualAuth === undefined || !this.options.extensions.includes('spiffeTlsUpgrade')) return undefined;
    const workloads = new SpiffeWorkloads(this.mutualAuth);
    this.endpoints.setSpiffeResolver((pod) => workloads.idsOf(pod));
    this.mutualAuth.server.subscribe((e) => {
      if (e.type !== 'health-changed' && affectsWorkloads(e.entry)) this.#controlPlane.resyncPods(this.#state);
    });
    return workloads;
  }

  #workloads(): WorkloadAccess {
    return { cluster: this, scheduler: this.scheduler, rng: this.#execRng, network: this.network };
  }

  /** Named ports for policy: the subject's own (ingress) and every endpoint's (egress). */
  #namedPorts(identity: number): { ingress: NamedPortMap; egress: NamedPortMap } {
    return { ingress: this.namedPorts.ingress(identity), egress: this.namedPorts.egress() };
  }

  #encrypted(src: string, dst: string): boolean {
    if (this.options.encryption === 'disabled') return false;
    const a = this.endpoints.byIp(src)?.nodeName;
    const b = this.endpoints.byIp(dst)?.nodeName;
    return a !== undefined && b !== undefined && a !== b;
  }

  #scheduleIdentityGc(): void {
    const interval = parseDuration(this.config['identity-gc-interval'] ?? '15m0s');
    this.scheduler.after(
      interval,
      'identity-gc',
      () => {
        const freed = this.identities.collectGarbage();
        for (const id of freed) this.policy.removeIdentity(id.id);
        if (freed.length > 0) this.mutualAuth?.syncIdentities();
        this.#scheduleIdentityGc();
      },
      { background: true },
    );
  }
}

/** Options of apply, create and delete: a server-side dry run, and `-n` for objects without a namespace. */
export interface ChangeOptions {
  readonly dryRun?: boolean;
  readonly namespace?: string;
}

function nsOpts(opts: ChangeOptions): { namespace?: string; namespaceExplicit?: boolean } {
  return opts.namespace === undefined ? {} : { namespace: opts.namespace, namespaceExplicit: true };
}

function one(out: { state: K8sState; result: ObjectResult }): { state: K8sState; results: ObjectResult[] } {
  return { state: out.state, results: [out.result] };
}

export type { Pod, K8sObject };
