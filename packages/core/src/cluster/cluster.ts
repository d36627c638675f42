import { describeValue, SimError } from '../errors.ts';
import type { Flow } from '../hubble/flow.ts';
import { type FlowQuery, queryFlows } from '../hubble/query.ts';
import { annotateObject, labelObject, type RunPodOptions, runPod, scaleDeployment } from '../k8s/imperative.ts';
import { parseManifest } from '../k8s/manifest.ts';
import { checkObjectRef, resolveObjectRef } from '../k8s/objectRefCheck.ts';
import type { K8sObject, Kind, ObjectOfKind, ObjectRef, Pod } from '../k8s/objects.ts';
import { getObject, type K8sState, listObjects } from '../k8s/state.ts';
import { applyDocuments, createDocuments, deleteDocuments, deleteObject, type ObjectResult } from '../k8s/store.ts';
import { restartAgents } from '../runtime/agentRestart.ts';
import { buildRuntime } from '../runtime/buildRuntime.ts';
import { type ObjectChange, changeObjects } from '../runtime/changeObjects.ts';
import { type ClusterOptions, type ResolvedOptions, resolveOptions } from '../runtime/options.ts';
import type { Runtime, SimEvents } from '../runtime/runtime.ts';
import { formatDuration, NS_PER_H, parseDuration } from '../sim/duration.ts';
import type { SpireServer } from '../spire/server.ts';
import { ClusterFaults } from './faults.ts';
import { CLUSTER_OPTION_NAMES, checkOptionNames, checkOptionsObject } from './optionNames.ts';
import { ClusterInspector } from './inspect.ts';
import { splitPodRef, type WorkloadExec } from './podExec.ts';
import type { CapturedPacket, PacketCapture } from '../datapath/packetCapture.ts';
import type { PolicyTrace } from '../datapath/policyTrace.ts';
import { tracePolicy } from './policyTrace.ts';
import { runCommand } from './command.ts';
import { hostExec, outsideExec, podExec } from './workloadAccess.ts';
import { journaledView, StepJournal } from './stepJournal.ts';

/**
 * The longest single `advance`: every timer that falls due runs, so a jump of years would take
 * as long to simulate; a day covers SVID and CA rotation.
 */
export const MAX_ADVANCE_NS = 24 * NS_PER_H;

/** The cluster's virtual time. */
export interface VirtualTime {
  /** Milliseconds since the Unix epoch, as the nodes' clocks read now (without injected skew). */
  readonly epochMs: number;
  /** Nanoseconds since the cluster started. */
  readonly elapsedNs: number;
  /** Milliseconds since the Unix epoch at the start (`startTime`). */
  readonly startMs: number;
}

/** Options of apply, create and delete: a server-side dry run, and `-n` for objects without a namespace. */
export interface ChangeOptions {
  readonly dryRun?: boolean;
  readonly namespace?: string;
}

/** Core's own access to a cluster's runtime (toolkit, tests); not exported from the package. */
let runtimeOfCluster: (cluster: Cluster) => Runtime;

/**
 * The simulated cluster: Kubernetes, Cilium agents and operator, SPIRE, the datapath and
 * Hubble, on one virtual clock and one seeded PRNG. Changes go through its methods; what the
 * agents hold is read through `inspect`, faults are injected through `faults`.
 *
 * @example
 * const cluster = Cluster.create({ seed: 1 });
 * cluster.apply(yamlText);
 * cluster.exec('default/tiefighter').curl({ url: 'http://deathstar/v1/request-landing', method: 'POST' });
 */
export class Cluster {
  #rt: Runtime;
  #inspect: ClusterInspector;
  #faults: ClusterFaults;
  /** Every call that changed the cluster, so a step that runs away can be undone by replaying the others. */
  readonly #journal = new StepJournal<Cluster>();
  /** The `on` subscriptions, moved to the new runtime when a step is undone. */
  readonly #listeners = new Set<readonly [keyof SimEvents, (e: never) => void]>();
  /** `exec` views by pod and container (see exec). */
  readonly #execViews = new Map<string, WorkloadExec>();
  /** Fault injection (SPIRE server or agent down, trust domain mismatch, clock skew) and recovery. */
  readonly faults: ClusterFaults;

  static {
    runtimeOfCluster = (cluster) => cluster.#rt;
  }

  private constructor(options: ResolvedOptions) {
    this.#rt = buildRuntime(options);
    this.#inspect = new ClusterInspector(this.#rt);
    this.#faults = faultsOf(this.#rt);
    this.faults = this.#journaled((c) => c.#faults);
  }

  /** Read-only views of the agents and the control plane. */
  get inspect(): ClusterInspector {
    return this.#inspect;
  }

  /** A new cluster with the labs' kind nodes, Cilium, Hubble and (by default) SPIRE. */
  static create(options: ClusterOptions = {}): Cluster {
    checkOptionNames('cluster options', options, CLUSTER_OPTION_NAMES);
    checkOptionNames('cluster options', (options as ClusterOptions | null)?.spire, ['enabled', 'operatorEntries'], 'spire.');
    return new Cluster(resolveOptions(options));
  }

  /** The options the cluster was created with, defaults filled in. */
  get options(): ResolvedOptions {
    return this.#rt.options;
  }

  /** The API server's objects (immutable; a snapshot is free). */
  get state(): K8sState {
    return this.#rt.api.state;
  }

  /** The virtual clock now. */
  now(): VirtualTime {
    const clock = this.#rt.clock;
    return Object.freeze({ epochMs: clock.epochMs(), elapsedNs: clock.nowNs, startMs: clock.startMs });
  }

  /** `kubectl apply -f`: each object one transaction; a rejected object leaves no trace. */
  apply(yaml: string, opts: ChangeOptions = {}): ObjectResult[] {
    checkChangeOptions(opts);
    return this.#step('apply', (c) => c.#applyNow(yaml, opts));
  }

  #applyNow(yaml: string, opts: ChangeOptions): ObjectResult[] {
    return this.#change((s, ctx) => applyDocuments(s, parseManifest(yaml), ctx, nsOpts(opts)), opts.dryRun === true);
  }

  /** `kubectl create -f`: as apply, but existing objects are an error. */
  create(yaml: string, opts: ChangeOptions = {}): ObjectResult[] {
    checkChangeOptions(opts);
    return this.#step('create', (c) => c.#createNow(yaml, opts));
  }

  #createNow(yaml: string, opts: ChangeOptions): ObjectResult[] {
    return this.#change((s, ctx) => createDocuments(s, parseManifest(yaml), ctx, nsOpts(opts)), opts.dryRun === true);
  }

  /** `kubectl delete -f` with a manifest, or `kubectl delete KIND NAME` with a reference. */
  delete(target: string | ObjectRef, opts: ChangeOptions = {}): ObjectResult[] {
    checkChangeOptions(opts);
    return this.#step('delete', (c) => c.#deleteNow(target, opts));
  }

  #deleteNow(target: string | ObjectRef, opts: ChangeOptions): ObjectResult[] {
    if (typeof target === 'string')
      return this.#change((s, ctx) => deleteDocuments(s, parseManifest(target), ctx, nsOpts(opts)), opts.dryRun === true);
    const ref = resolveObjectRef(target);
    return this.#change((s, ctx) => {
      const out = deleteObject(s, ref, ctx);
      return { state: out.state, results: [out.result] };
    }, opts.dryRun === true);
  }

  /** `kubectl label`: `null` removes a label; an existing one changes only with `overwrite`. */
  label(target: ObjectRef, changes: Readonly<Record<string, string | null>>, overwrite = false): ObjectResult {
    const ref = resolveObjectRef(target);
    return this.#step('label', (c) => c.#change((s, ctx) => one(labelObject(s, ref, changes, overwrite, ctx)), false)[0]!);
  }

  /** `kubectl annotate`: as `label`, over the object's annotations. */
  annotate(target: ObjectRef, changes: Readonly<Record<string, string | null>>, overwrite = false): ObjectResult {
    const ref = resolveObjectRef(target);
    return this.#step('annotate', (c) => c.#change((s, ctx) => one(annotateObject(s, ref, changes, overwrite, ctx)), false)[0]!);
  }

  /** `kubectl scale` of a Deployment. */
  scale(target: ObjectRef, replicas: number): ObjectResult {
    const ref = resolveObjectRef(target);
    return this.#step('scale', (c) => c.#change((s, ctx) => one(scaleDeployment(s, ref, replicas, ctx)), false)[0]!);
  }

  /** `kubectl run NAME --image IMAGE`. */
  run(name: string, image: string, opts: RunPodOptions = {}): ObjectResult {
    checkOptionsObject('cluster.run', opts, ['namespace', 'labels', 'port']);
    return this.#step('run', (c) => c.#change((s, ctx) => one(runPod(s, name, image, opts, ctx)), false)[0]!);
  }

  /** One stored object. */
  get<K extends Kind>(kind: K, name: string, namespace?: string): ObjectOfKind<K> | undefined {
    const ref = resolveObjectRef({ kind, name, ...(namespace === undefined ? {} : { namespace }) } as ObjectRef & { kind: K });
    return getObject(this.#rt.api.state, ref);
  }

  /** The stored objects of a kind; every namespace when `namespace` is omitted. */
  list<K extends Kind>(kind: K, namespace?: string): ObjectOfKind<K>[] {
    checkObjectRef({ kind, name: '*', ...(namespace === undefined ? {} : { namespace }) });
    return listObjects(this.#rt.api.state, kind, namespace);
  }

  /** Moves the virtual clock, running what falls due (rotations, GC, expiry). `'5m'` or ns. */
  advance(duration: string | number): void {
    const ns = typeof duration === 'number' ? duration : typeof duration === 'string' ? parseDuration(duration, 'duration') : Number.NaN;
    if (!Number.isFinite(ns))
      throw new SimError({
        code: 'INVALID_DURATION',
        path: 'duration',
        message: `expected a number of nanoseconds or a duration such as 30s, received ${describeValue(duration)}`,
      });
    if (ns < 0) throw new SimError({ code: 'INVALID_DURATION', path: 'duration', message: `cannot go back in time (${duration})` });
    // The virtual clock counts whole nanoseconds: a fraction would print as a broken timestamp.
    if (!Number.isInteger(ns))
      throw new SimError({
        code: 'INVALID_DURATION',
        path: 'duration',
        message: `expected a whole number of nanoseconds, received ${describeValue(duration)}`,
      });
    if (ns > MAX_ADVANCE_NS) {
      throw new SimError({
        code: 'LIMIT_EXCEEDED',
        path: 'duration',
        message: `the virtual clock moves at most ${formatDuration(MAX_ADVANCE_NS)} at once, received ${typeof duration === 'number' ? formatDuration(ns) : duration}; advance in steps`,
      });
    }
    this.#step('advance', (c) => c.#rt.scheduler.runUntil(c.#rt.clock.nowNs + ns));
  }

  /**
   * Runs commands in a pod: `exec('default/xwing').curl(...)`; with Tetragon they are processes
   * of `container` (the pod's first container when omitted).
   */
  exec(pod: string, opts: { readonly container?: string } = {}): WorkloadExec {
    checkOptionsObject('cluster.exec', opts, ['container']);
    // Checked now, so a bad pod fails here; the object made for the check is the view's first target.
    const first = podExec(this.#rt, pod, opts.container);
    // One view per pod and container: it finds the pod's exec on each call anyway, and a script
    // that execs into the same pod for every command need not build a proxy each time.
    const { container } = opts;
    const key = container === undefined ? pod : `${pod}\u0000${container}`;
    let view = this.#execViews.get(key);
    if (view === undefined) {
      if (this.#execViews.size >= MAX_EXEC_VIEWS) this.#execViews.clear();
      view = this.#journaled((c) => podExec(c.#rt, pod, container), first);
      this.#execViews.set(key, view);
    }
    return view;
  }

  /** Runs commands on a node's host (`docker exec kind-worker ...`). */
  host(nodeName: string): WorkloadExec {
    checkString('host', 'node', nodeName);
    const first = hostExec(this.#rt, nodeName);
    return this.#journaled((c) => hostExec(c.#rt, nodeName), first);
  }

  /**
   * Starts a packet capture on a node, as `tcpdump -i any` on it: every packet crossing the
   * node's interfaces from now on (a pod's veth, the tunnel, the node's link), kept when `filter`
   * accepts it, until `stop()`. While no capture runs, packets cost nothing extra.
   */
  capture(nodeName: string, filter?: (p: CapturedPacket) => boolean): PacketCapture {
    checkString('capture', 'node', nodeName);
    if (filter !== undefined && typeof filter !== 'function')
      throw new SimError({
        code: 'INVALID_FIELD',
        object: 'cluster.capture',
        path: 'filter',
        message: `expected a function, received ${describeValue(filter)}`,
      });
    if (filter === undefined) return this.#rt.network.datapath.captures.open(nodeName);
    // A filter that throws keeps no packet and ends its capture, as tcpdump exits on a bad
    // expression; what it threw reaches the caller after the command, as a listener's does,
    // and the packet it was shown goes on: the datapath never stops in the middle of a step.
    const guarded = (p: CapturedPacket): boolean => {
      try {
        const keep: unknown = filter(p);
        // An async filter keeps nothing (a promise is not true); its rejection is reported, never left unhandled.
        this.#rt.events.watch(keep);
        return keep === true;
      } catch (error) {
        capture.stop();
        this.#rt.events.fail(error);
        return false;
      }
    };
    const capture = this.#rt.network.datapath.captures.open(nodeName, guarded);
    return capture;
  }

  /** Runs commands on a client outside the cluster at `ip` (identity world). */
  outside(ip = '192.0.2.10'): WorkloadExec {
    checkString('outside', 'ip', ip);
    const first = outsideExec(this.#rt, ip);
    return this.#journaled((c) => outsideExec(c.#rt, ip), first);
  }

  /**
   * `cilium policy trace`: why traffic from `src` to `dst:port` is allowed or denied. Each side
   * is a pod (`default/xwing`) or a numeric identity.
   */
  policyTrace(src: string | number, dst: string | number, port: number, protocol: 'TCP' | 'UDP' | 'SCTP' = 'TCP'): PolicyTrace {
    return tracePolicy(this.#rt, src, dst, port, protocol);
  }

  /** Hubble's flows (all nodes, time order), optionally filtered. */
  flows(query: FlowQuery = {}): Flow[] {
    return queryFlows(this.#rt.hubble, query);
  }

  /** Subscribes to the cluster's events (`flow`, `applied`, `identity-created`); returns the unsubscribe. */
  on<K extends keyof SimEvents>(type: K, handler: (e: SimEvents[K]) => void): () => void {
    if (!(SIM_EVENTS as readonly string[]).includes(type))
      throw new SimError({
        code: 'INVALID_FIELD',
        object: 'cluster.on',
        path: 'type',
        message: `unknown event ${describeValue(type)}; events are ${SIM_EVENTS.join(', ')}`,
      });
    if (typeof handler !== 'function')
      throw new SimError({
        code: 'INVALID_FIELD',
        object: 'cluster.on',
        path: 'handler',
        message: `expected a function, received ${describeValue(handler)}`,
      });
    const listener = [type, handler] as const;
    this.#listeners.add(listener);
    this.#rt.events.on(type, handler);
    return () => {
      this.#listeners.delete(listener);
      this.#rt.events.off(type, handler);
    };
  }

  /** `cilium config set KEY VALUE`: validated against the key's kind and applied at once. */
  setConfig(key: string, value: string): void {
    checkString('setConfig', 'key', key);
    checkString('setConfig', 'value', value);
    this.#step('setConfig', (c) => c.#rt.config.set(key, value));
  }

  /** `cilium config delete KEY`: the key leaves the ConfigMap and the agents go back to its default. */
  deleteConfig(key: string): void {
    checkString('deleteConfig', 'key', key);
    this.#step('deleteConfig', (c) => c.#rt.config.delete(key));
  }

  /**
   * Restarts the Cilium agents, as `cilium config set` and `cilium config delete` do unless told
   * `--restart=false`: the cilium DaemonSet's pods are recreated (new names, created now) and each
   * agent's log starts over with its start-up lines.
   */
  restartAgents(): void {
    this.#step('restartAgents', (c) => restartAgents(c.#rt));
  }

  /**
   * Per-endpoint policy audit mode (`cilium endpoint config ID PolicyAuditMode=Enabled`) of the
   * pod's endpoint as it exists now: the setting goes with the endpoint, so a new pod under the
   * same name starts without it. A pod without an endpoint is refused.
   */
  setEndpointAuditMode(pod: string, enabled: boolean): void {
    const { namespace, name } = splitPodRef(pod);
    if (typeof enabled !== 'boolean')
      throw new SimError({
        code: 'INVALID_FIELD',
        object: 'endpoint config',
        path: 'PolicyAuditMode',
        message: `expected true or false, received ${describeValue(enabled)}`,
      });
    if (!this.#step('setEndpointAuditMode', (c) => c.#rt.endpoints.setPolicyAuditMode(namespace, name, enabled)))
      throw new SimError({ code: 'NOT_FOUND', ref: { kind: 'Pod', namespace, name }, message: 'the pod has no Cilium endpoint' });
  }

  /**
   * The SPIRE server's admin API (what `spire-server` in its pod talks to: entries, agents,
   * bundle, health), or undefined when the cluster runs no SPIRE.
   */
  spireServer(): SpireServer | undefined {
    return this.#rt.spire === undefined ? undefined : this.#journaled((c) => c.#rt.spire!.server);
  }

  /** An object change, inside a step. */
  #change(change: ObjectChange, dryRun: boolean): ObjectResult[] {
    return changeObjects(this.#rt, change, dryRun);
  }

  /**
   * Runs one step (a call that may change the cluster) and records it. A step that reaches the
   * event limit is undone: the cluster is built again from its options and every step before it
   * replayed (the simulation is deterministic, so it arrives where it was), and the step is refused.
   * A step runs as one command of the event bus (cluster/command.ts): one started from a `flow`
   * listener while another runs is refused.
   */
  #step<T>(name: string, step: (c: Cluster) => T): T {
    return this.#record((c) => runCommand(c.#rt, name, () => step(c)));
  }

  /** Runs `step` as one journaled step (see #step), leaving the event bus to the callee. */
  #record<T>(step: (c: Cluster) => T): T {
    return this.#journal.run(this, step, this.#rebuild);
  }

  /** Builds the cluster again from its options and replays the journal (made once, not per step). */
  readonly #rebuild = (): void => {
    this.#rt = buildRuntime(this.#rt.options);
    this.#inspect = new ClusterInspector(this.#rt);
    this.#faults = faultsOf(this.#rt);
    this.#journal.replay(this);
    for (const [type, handler] of this.#listeners) this.#rt.events.on(type, handler as never);
  };

  /**
   * `pick(this)` whose methods run as journaled steps, each on the object `pick` finds in the
   * cluster of the moment; the objects run their commands on the event bus themselves. `first`
   * is `pick(this)` when the caller has it already.
   */
  #journaled<T extends object>(pick: (c: Cluster) => T, first?: T): T {
    return journaledView(
      () => pick(this),
      (key, args) => this.#journal.call(this, pick, key, args, this.#rebuild),
      first,
    );
  }
}

/** Pods and containers a session execs into; the views are a cache, emptied when it grows past this. */
const MAX_EXEC_VIEWS = 1024;

/** The cluster's faults, each one command of the event bus. */
function faultsOf(rt: Runtime): ClusterFaults {
  return new ClusterFaults(rt.spire, rt.agents, (name, fn) => runCommand(rt, `faults.${name}`, fn));
}

/** The runtime behind `cluster`, for core's toolkit and tests; the package does not export it. */
export function runtimeOf(cluster: Cluster): Runtime {
  return runtimeOfCluster(cluster);
}

/** A string argument, or a refusal naming the method and the argument. */
function checkString(method: string, arg: string, value: unknown): void {
  if (typeof value !== 'string')
    throw new SimError({
      code: 'INVALID_FIELD',
      object: `cluster.${method}`,
      path: arg,
      message: `expected a string, received ${describeValue(value)}`,
    });
}

/** `{ dryRun?, namespace? }`, or a refusal naming the option. */
function checkChangeOptions(opts: unknown): asserts opts is ChangeOptions {
  const bad = (path: string, message: string): never => {
    throw new SimError({ code: 'INVALID_FLAG', object: 'change options', path, message });
  };
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts))
    bad('options', `expected { dryRun, namespace }, received ${describeValue(opts)}`);
  // A misspelt option (`namepsace`) is refused rather than applied to the default namespace.
  checkOptionNames('change options', opts, ['dryRun', 'namespace']);
  const { dryRun, namespace } = opts as Record<string, unknown>;
  if (dryRun !== undefined && typeof dryRun !== 'boolean') bad('dryRun', `expected true or false, received ${describeValue(dryRun)}`);
  if (namespace !== undefined && (typeof namespace !== 'string' || namespace === ''))
    bad('namespace', `expected a namespace name, received ${describeValue(namespace)}`);
}

/** The events `on` subscribes to. */
const SIM_EVENTS = ['flow', 'applied', 'identity-created', 'runtime-event'] as const satisfies readonly (keyof SimEvents)[];

function nsOpts(opts: ChangeOptions): { namespace?: string; namespaceExplicit?: boolean } {
  return opts.namespace === undefined ? {} : { namespace: opts.namespace, namespaceExplicit: true };
}

function one(out: { state: K8sState; result: ObjectResult }): { state: K8sState; results: ObjectResult[] } {
  return { state: out.state, results: [out.result] };
}

export type { Pod, K8sObject };
