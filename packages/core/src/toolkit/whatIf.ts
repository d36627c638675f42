import { type Cluster, runtimeOf } from '../cluster/cluster.ts';
import { changedKeys } from '../k8s/changedKeys.ts';
import type { ApplyContext } from '../k8s/context.ts';
import { parseManifest } from '../k8s/manifest.ts';
import type { K8sState } from '../k8s/state.ts';
import { applyDocuments, deleteDocuments, type ObjectResult } from '../k8s/store.ts';
import type { PolicyEngine } from '../policy/policyEngine.ts';
import { isPolicyKind } from '../policy/policyKinds.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { Rng } from '../sim/rng.ts';
import { identityNames } from './identityNames.ts';
import { diffPolicyMaps, type IdentityMapChange } from './mapDiff.ts';
import { clusterMatrixInput, computeMatrix, type ConnectivityMatrix, type MatrixCell, type MatrixPort } from './matrix.ts';
import { observedConnections } from './observedConnections.ts';
import { policyEngineFor } from './policyEngineFor.ts';
import { replayConnections, type FlowVerdictChange } from './flowReplay.ts';

/**
 * "What if I applied (or deleted) this?": the change is run through the API server's own
 * validation and admission on a copy of the store, its policies are resolved by a private
 * policy engine, and the result is compared with the live policy engine's maps, the ones the
 * datapath enforces. Nothing in the cluster changes: not its objects, identities, flows, clock
 * or random streams (the live engine may build a map the datapath would build on first use).
 *
 * What is modelled: policy objects (CNP, CCNP, NetworkPolicy). Other objects in the file get
 * kubectl's dry-run line, but their effect on pods and identities is not simulated; the
 * policies are judged against today's endpoints and identities.
 */
export interface PolicyChange {
  /** Manifest text to apply, as `kubectl apply --dry-run=server -f`. */
  readonly apply?: string;
  /** Manifest text whose objects are deleted, as `kubectl delete --dry-run=server -f`. */
  readonly delete?: string;
  /** kubectl's `-n`: the namespace of objects that name none; another namespace is an error. */
  readonly namespace?: string;
}

export interface WhatIfOptions {
  /** Pods compared in the matrix; default: the namespaces of the changed policies (all for a CCNP). */
  readonly namespaces?: readonly string[] | 'all';
  /** Default: the ports the compared pods listen on. */
  readonly ports?: readonly MatrixPort[];
}

export interface MatrixFlip {
  readonly source: string;
  readonly destination: string;
  readonly port: number;
  readonly protocol: MatrixPort['protocol'];
  readonly before: Pick<MatrixCell, 'ingress' | 'egress' | 'combined'>;
  readonly after: Pick<MatrixCell, 'ingress' | 'egress' | 'combined'>;
}

export interface WhatIfReport {
  /** kubectl's per-object results (rejected objects included). */
  readonly results: readonly ObjectResult[];
  /** `CiliumNetworkPolicy/default/rule1` keys of policy objects that would change. */
  readonly changedPolicies: readonly string[];
  readonly maps: readonly IdentityMapChange[];
  readonly matrix: {
    readonly namespaces: readonly string[] | 'all';
    readonly ports: readonly MatrixPort[];
    readonly flips: readonly MatrixFlip[];
  };
  readonly flows: readonly FlowVerdictChange[];
  /** Readable names of the identities the report mentions: `default/deathstar`, `world`. */
  readonly identityNames: Readonly<Record<number, string>>;
}

/**
 * Evaluates a policy change without making it. Throws a SimError (INVALID_YAML) when a text is
 * not YAML; a rejected object is reported in `results`, as kubectl reports it.
 *
 * @example whatIf(cluster, { apply: rule1Yaml }).matrix.flips // [{ source: 'default/xwing', ... }]
 */
export function whatIf(cluster: Cluster, change: PolicyChange, opts: WhatIfOptions = {}): WhatIfReport {
  const rt = runtimeOf(cluster);
  const prev = rt.api.state;
  const { state: next, results } = candidateState(rt, change);
  const changedPolicies = [...changedKeys(prev, next)].filter((k) => isPolicyKind(k.split('/')[0])).sort();
  const namespaces = opts.namespaces ?? namespacesOf(changedPolicies);
  if (changedPolicies.length === 0) {
    return { results, changedPolicies, maps: [], matrix: { namespaces, ports: opts.ports ?? [], flips: [] }, flows: [], identityNames: {} };
  }
  const before = rt.policy;
  const after = policyEngineFor(rt, next);
  const m = matrixFlips(cluster, before, after, { namespaces, ...(opts.ports === undefined ? {} : { ports: opts.ports }) });
  return {
    results,
    changedPolicies,
    maps: diffPolicyMaps(before, after, subjects(rt)),
    matrix: { namespaces, ports: m.ports, flips: m.flips },
    flows: replayConnections(observedConnections(cluster.flows()), before, after),
    identityNames: identityNames(rt),
  };
}

/** The store as it would be after the change. A private random stream keeps the cluster's untouched. */
function candidateState(rt: Runtime, change: PolicyChange): { state: K8sState; results: ObjectResult[] } {
  // The API server's own admission, so the policies it parses are the ones the dry run resolves.
  const ctx: ApplyContext = { ...rt.applyContext, rng: Rng.seeded(rt.options.seed).fork('toolkit/dry-run') };
  const applyDocs = change.apply === undefined ? [] : parseManifest(change.apply);
  const deleteDocs = change.delete === undefined ? [] : parseManifest(change.delete);
  const ns = change.namespace === undefined ? {} : { namespace: change.namespace, namespaceExplicit: true };
  const applied = applyDocs.length === 0 ? { state: rt.api.state, results: [] } : applyDocuments(rt.api.state, applyDocs, ctx, ns);
  const deleted = deleteDocs.length === 0 ? { state: applied.state, results: [] } : deleteDocuments(applied.state, deleteDocs, ctx, ns);
  return { state: deleted.state, results: [...applied.results, ...deleted.results] };
}

/** `CiliumNetworkPolicy/default/rule1` -> `default`; a clusterwide policy widens to all. */
function namespacesOf(keys: readonly string[]): readonly string[] | 'all' {
  if (keys.length === 0) return ['default'];
  if (keys.some((k) => k.split('/').length < 3)) return 'all';
  return [...new Set(keys.map((k) => k.split('/')[1]!))].sort();
}

function subjects(rt: Runtime): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const ep of rt.endpoints.list()) out.set(ep.identity, [...(out.get(ep.identity) ?? []), `${ep.namespace}/${ep.podName}`]);
  return out;
}

function matrixFlips(
  cluster: Cluster,
  before: PolicyEngine,
  after: PolicyEngine,
  opts: { namespaces: readonly string[] | 'all'; ports?: readonly MatrixPort[] },
): { ports: readonly MatrixPort[]; flips: MatrixFlip[] } {
  const mOpts = { ...opts, by: 'identity' as const };
  const a: ConnectivityMatrix = computeMatrix(
    clusterMatrixInput(cluster, (id) => before.policyMap(id)),
    mOpts,
  );
  const b: ConnectivityMatrix = computeMatrix(
    clusterMatrixInput(cluster, (id) => after.policyMap(id)),
    { ...mOpts, ports: a.ports },
  );
  const flips: MatrixFlip[] = [];
  a.cells.forEach((x, i) => {
    const y = b.cells[i]!;
    if (x.ingress === y.ingress && x.egress === y.egress) return;
    flips.push({
      source: x.source,
      destination: x.destination,
      port: x.port,
      protocol: x.protocol,
      before: { ingress: x.ingress, egress: x.egress, combined: x.combined },
      after: { ingress: y.ingress, egress: y.egress, combined: y.combined },
    });
  });
  return { ports: a.ports, flips };
}
