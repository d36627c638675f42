import type { Kind } from '../k8s/objects.ts';
import { parseObjectKey } from '../k8s/objects.ts';
import type { K8sState } from '../k8s/state.ts';
import { POLICY_KINDS } from '../policy/policyKinds.ts';
import { changedKeys } from '../k8s/changedKeys.ts';
import { egressGatewayWatcher } from './egressGatewayWatcher.ts';
import { namespaceWatcher } from './namespaceWatcher.ts';
import { podWatcher } from './podWatcher.ts';
import { policyWatcher } from './policyWatcher.ts';
import { serviceWatcher } from './serviceWatcher.ts';
import { spirePodWatcher } from './spirePodWatcher.ts';
import type { WatchBatch, Watcher, WatcherDeps } from './watcher.ts';

/**
 * The agents' and operator's watchers by API kind, as Cilium's pkg/k8s/watchers: pods into
 * endpoints and listeners, Services into the load balancer, namespaces into their pods' labels,
 * policies into the policy engine and CIDR identities, egress gateway policies and nodes into the
 * egress map. Kinds without a watcher (Deployments, ServiceAccounts) reach the agents through the
 * objects the controllers derive from them.
 * The table's order is the order watchers flush: pods before the Services they back.
 */
export class Watchers {
  readonly #byKind: Partial<Record<Kind, Watcher>>;
  /** SPIRE's pods: the server and agents serve while their pods run (with SPIRE only). */
  readonly #spirePods: Watcher | undefined;
  readonly #pods: ReturnType<typeof podWatcher>;
  readonly #flushing: readonly Watcher[];

  constructor(d: WatcherDeps) {
    const pods = podWatcher(d);
    const policies = policyWatcher(d);
    this.#pods = pods;
    const byKind: Partial<Record<Kind, Watcher>> = { Pod: pods, Service: serviceWatcher(d.lb), Namespace: namespaceWatcher };
    for (const kind of POLICY_KINDS) byKind[kind] = policies;
    const egress = egressGatewayWatcher(d.egressGateway);
    byKind.CiliumEgressGatewayPolicy = egress;
    byKind.Node = egress;
    this.#byKind = byKind;
    this.#spirePods = d.spire === undefined ? undefined : spirePodWatcher(d.spire.health, d.spire.scheduler);
    this.#flushing = [...new Set([...Object.values(this.#byKind), ...(this.#spirePods === undefined ? [] : [this.#spirePods])])].filter(
      (w) => w.flush !== undefined,
    );
  }

  /**
   * Tells each watcher what changed from `prev` to `next`, in the order the API server wrote it,
   * then lets them flush. Driven by the difference between two states, so it works the same for
   * apply, delete, label and scale.
   */
  sync(prev: K8sState, next: K8sState): void {
    if (prev === next) return;
    const batch: WatchBatch = { state: next, pods: new Set(), serviceNamespaces: new Set() };
    for (const key of changedKeys(prev, next)) {
      const ref = parseObjectKey(key);
      this.#byKind[ref.kind]?.changed(ref, batch, key);
      if (ref.kind === 'Pod') this.#spirePods?.changed(ref, batch, key);
    }
    for (const watcher of this.#flushing) watcher.flush?.(batch);
  }

  /** Re-syncs every pod (SPIRE changed the SPIFFE IDs pods are issued). */
  resyncPods(state: K8sState): void {
    this.#pods.resync(state);
  }
}
