import { SimError } from '../errors.ts';
import type { Clock } from '../sim/clock.ts';
import type { Rng } from '../sim/rng.ts';
import { txEnv, type ApplyContext } from './context.ts';
import { runControllers } from './controllers/reconcile.ts';
import { NAME_ALPHABET } from './controllers/podTemplateHash.ts';
import { nodeInternalIp, nodePodCidr } from './ipam.ts';
import type { Namespace, Node, Pod } from './objects.ts';
import { derivedUid } from './randomStreams.ts';
import { CONTROL_PLANE_TAINT } from './scheduler.ts';
import { systemOwner, systemPodSpec } from './systemOwners.ts';
import { EMPTY_K8S_STATE, type K8sState } from './state.ts';
import { applyDocuments } from './store.ts';
import type { K8sStreams } from './randomStreams.ts';
import { streamsOf } from './randomStreams.ts';
import { DEFAULT_CILIUM_VERSION, parseCiliumVersion, type CiliumVersion } from '../version/ciliumVersion.ts';
import {
  componentManifests,
  controlPlanePods,
  daemonPods,
  envoyPods,
  systemManifests,
  type SystemInstall,
  type SystemPod,
  tetragonManifests,
  tetragonPod,
} from './systemWorkloads.ts';
import { Tx } from './transaction.ts';

export interface BootstrapOptions {
  /** Node count, control plane included (the labs' kind cluster has 3). */
  readonly nodes: number;
  /** Cilium's mutual authentication; it implies SPIRE. */
  readonly mutualAuth: boolean;
  /** Adds the `cilium-spire` namespace with the SPIRE server and agents. Default: as `mutualAuth`. */
  readonly spire?: boolean;
  /** The Cilium version installed: its components and their images. Default the labs' 1.16.0. */
  readonly ciliumVersion?: CiliumVersion;
  /** Cilium replaces kube-proxy, so kind runs none. Default true, as the agents' config installs. */
  readonly kubeProxyReplacement?: boolean;
  /** Adds Tetragon (its DaemonSet in kube-system), with names drawn from its own stream. Default false. */
  readonly tetragon?: boolean;
  readonly clusterName: string;
  readonly clock: Clock;
  readonly rng: Rng;
}

/** System objects are stamped this long before the clock's start, so AGE looks lived-in. */
export const BOOTSTRAP_AGE_MS = 10 * 60_000;

/** The /26-per-node plan fits 1,024 nodes in 10.244.0.0/16; the cluster options allow 1,000. */
const MAX_NODES = 1000;

const NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system', 'local-path-storage'];

/** `kind-control-plane`, `kind-worker`, `kind-worker2`, ...: the names kind gives its nodes. */
export function nodeNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => (i === 0 ? 'kind-control-plane' : i === 1 ? 'kind-worker' : `kind-worker${i}`));
}

/**
 * A fresh cluster as the labs show it after `kind create cluster` and `cilium install`: nodes,
 * the five namespaces (plus `cilium-spire` with SPIRE), CoreDNS, the Cilium agent and
 * operator, Hubble Relay, kube-proxy, the control plane's static pods, the `kubernetes` and
 * `kube-dns` Services, and SPIRE when it runs (always with mutual auth). Deterministic from the Rng.
 */
export function bootstrapCluster(opts: BootstrapOptions): K8sState {
  if (!Number.isInteger(opts.nodes) || opts.nodes < 1 || opts.nodes > MAX_NODES) {
    throw new SimError({
      code: 'INVALID_FLAG',
      path: '--nodes',
      message: `--nodes must be a whole number from 1 to ${MAX_NODES}, received ${opts.nodes}`,
    });
  }
  const ctx: ApplyContext = {
    clock: opts.clock,
    rng: opts.rng,
    clusterName: opts.clusterName,
    createdAtMs: opts.clock.epochMs(0) - BOOTSTRAP_AGE_MS,
    installing: true,
  };
  const names = nodeNames(opts.nodes);
  const base = new Tx(EMPTY_K8S_STATE, txEnv(ctx));
  for (const [i, name] of names.entries()) base.put(node(name, i, opts.nodes, base));
  const spire = opts.spire ?? opts.mutualAuth;
  const install: SystemInstall = {
    version: opts.ciliumVersion ?? parseCiliumVersion(DEFAULT_CILIUM_VERSION),
    spire,
    kubeProxyReplacement: opts.kubeProxyReplacement ?? true,
  };
  const nsNames = spire ? [...NAMESPACES, 'cilium-spire'] : NAMESPACES;
  for (const ns of nsNames) base.put(namespace(ns, base));
  runControllers(base);
  let state = apply(base.commit(), systemManifests(install), ctx);
  // The components that differ between versions and installs draw from streams of their own, so
  // the user's objects get the same names, uids and addresses under every version.
  const components = { ...ctx, rng: opts.rng.fork('cilium-components') };
  state = apply(state, componentManifests(install), components);
  const tx = new Tx(state, txEnv(ctx));
  const componentStreams = streamsOf(components.rng);
  for (const nodeName of names) {
    for (const p of daemonPods(install)) {
      const pod = systemPod(tx, p, nodeName);
      if (p.runs) tx.put(pod);
    }
    for (const p of envoyPods(install)) tx.put(systemPod(tx, p, nodeName, componentStreams));
  }
  for (const p of controlPlanePods(names[0]!, install)) tx.put(systemPod(tx, p, p.owner.kind === 'Node' ? names[0]! : undefined));
  const controlled = [...daemonPods(install), ...envoyPods(install), ...controlPlanePods(names[0]!, install)];
  for (const p of controlled) if (p.runs && p.owner.kind !== 'Node') tx.put(systemOwner(p, tx.env.now));
  // kind creates no kube-proxy ServiceAccount when kube-proxy is left out; it was drawn above.
  if (install.kubeProxyReplacement) tx.remove({ kind: 'ServiceAccount', namespace: 'kube-system', name: 'kube-proxy' });
  runControllers(tx);
  state = tx.commit();
  return opts.tetragon === true ? installTetragon(state, names, ctx) : state;
}

/**
 * Tetragon's objects, named from a stream of their own so a cluster with Tetragon names every
 * other object as one without it does.
 */
function installTetragon(state: K8sState, nodeNames: readonly string[], base: ApplyContext): K8sState {
  const ctx: ApplyContext = { ...base, rng: base.rng.fork('tetragon') };
  const tx = new Tx(apply(state, tetragonManifests(), ctx), txEnv(ctx));
  for (const nodeName of nodeNames) tx.put(systemPod(tx, tetragonPod(), nodeName));
  tx.put(systemOwner(tetragonPod(), tx.env.now));
  runControllers(tx);
  return tx.commit();
}

/** Applies system manifests, failing loudly: they are the simulator's own and must apply. */
function apply(state: K8sState, manifests: readonly Record<string, unknown>[], ctx: ApplyContext): K8sState {
  const docs = manifests.map((value, i) => ({ index: i + 1, line: 1, itemPath: '', value }));
  const applied = applyDocuments(state, docs, ctx);
  const failed = applied.results.find((r) => !r.ok);
  if (failed !== undefined && !failed.ok) throw failed.error;
  return applied.state;
}

function meta(tx: Tx, name: string, labels: Record<string, string>, streams: K8sStreams = tx.env.streams) {
  return { name, uid: streams.uids.uuid(), labels, creationTimestamp: tx.env.now, resourceVersion: '', generation: 1 };
}

function node(name: string, index: number, count: number, tx: Tx): Node {
  const controlPlane = index === 0;
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    ...(controlPlane ? { 'node-role.kubernetes.io/control-plane': '', 'node.kubernetes.io/exclude-from-external-load-balancers': '' } : {}),
  };
  const cidr = nodePodCidr(index, count);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: meta(tx, name, labels),
    spec: {
      podCIDR: cidr,
      podCIDRs: [cidr],
      providerID: `kind://docker/kind/${name}`,
      // A lone control plane takes workloads, as kind removes the taint on one-node clusters.
      ...(controlPlane && count > 1 ? { taints: [CONTROL_PLANE_TAINT] } : {}),
    },
    status: {
      addresses: [
        { type: 'InternalIP', address: nodeInternalIp(index) },
        { type: 'Hostname', address: name },
      ],
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }],
      nodeInfo: { kubeletVersion: 'v1.29.2', containerRuntimeVersion: 'containerd://1.7.13', osImage: 'Debian GNU/Linux 12 (bookworm)' },
    },
  };
}

function namespace(name: string, tx: Tx): Namespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: meta(tx, name, { 'kubernetes.io/metadata.name': name }),
    status: { phase: 'Active' },
  };
}

/**
 * A pod of a DaemonSet, StatefulSet or the kubelet, named and stamped from `streams` (the
 * transaction's unless given), owned by the install's DaemonSet or StatefulSet unless `owner`
 * names the stored one. Exported for the agents' restart, which recreates the agent pods.
 */
export function systemPod(
  tx: Tx,
  p: SystemPod,
  nodeName: string | undefined,
  streams: K8sStreams = tx.env.streams,
  owner?: { readonly uid: string; readonly generation: number },
): Pod {
  let name = p.name;
  while (p.suffixed && (name === p.name || tx.get({ kind: 'Pod', namespace: p.namespace, name }) !== undefined)) {
    name = `${p.name}-${streams.podNames.string(5, NAME_ALPHABET)}`;
  }
  const ownerUid =
    owner !== undefined
      ? owner.uid
      : p.owner.kind === 'Node'
        ? (tx.get({ kind: 'Node', name: p.owner.name })?.metadata.uid ?? '')
        : derivedUid(`${p.namespace}/${p.owner.kind}/${p.owner.name}`);
  const spec = systemPodSpec(p, nodeName);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...meta(tx, name, owner === undefined ? p.labels : { ...p.labels, 'pod-template-generation': String(owner.generation) }, streams),
      namespace: p.namespace,
      ownerReferences: [{ ...p.owner, uid: ownerUid, controller: true, blockOwnerDeletion: true }],
    },
    spec,
    status: { phase: 'Pending' },
  };
}
