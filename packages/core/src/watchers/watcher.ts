import type { EndpointManager } from '../agent/endpointManager.ts';
import type { NamedPortIndex } from '../agent/namedPortIndex.ts';
import type { SpireHealth } from '../agent/spireHealth.ts';
import type { Scheduler } from '../sim/scheduler.ts';
import type { LoadBalancer } from '../datapath/loadBalancer.ts';
import type { AllocatedIdentity, IdentityAllocator } from '../identity/allocator.ts';
import type { Ipcache } from '../identity/ipcache.ts';
import type { ObjectRef, PolicyObject } from '../k8s/objects.ts';
import type { K8sState } from '../k8s/state.ts';
import type { PolicyEngine } from '../policy/policyEngine.ts';
import type { PolicyRules } from '../policy/types.ts';
import type { DnsZone } from '../workload/coreDnsApp.ts';
import type { WorkloadStack } from '../workload/workloadStack.ts';

/** What the egress gateway watcher drives: the agents' egress gateway manager. */
export interface EgressGatewayReconciler {
  readonly enabled: boolean;
  reconcile(state: K8sState): void;
}

/**
 * One commit's work, gathered while the watchers see its changes and done when they flush:
 * pods whose endpoint to sync, namespaces whose Services to bring into the load balancer.
 */
export interface WatchBatch {
  /** The API server's objects after the commit. */
  readonly state: K8sState;
  /** Pod keys (`Pod/NS/NAME`). */
  readonly pods: Set<string>;
  readonly serviceNamespaces: Set<string>;
}

/**
 * What an agent or the operator does when objects of one kind change, as a watcher of Cilium's
 * pkg/k8s/watchers. `changed` sees each written or removed object (its ref and its key,
 * `Pod/NS/NAME`) in the order the API server wrote them (the object, if any, is in `batch.state`); `flush` runs once the commit's changes
 * were all seen.
 */
export interface Watcher {
  changed(ref: ObjectRef, batch: WatchBatch, key: string): void;
  flush?(batch: WatchBatch): void;
}

/** The agents' state the watchers write to. */
export interface WatcherDeps {
  readonly allocator: IdentityAllocator;
  readonly ipcache: Ipcache;
  readonly endpoints: EndpointManager;
  readonly namedPorts: NamedPortIndex;
  readonly stacks: {
    addPodStack(ip: string, nodeName: string): WorkloadStack;
    removeStack(ip: string): void;
  };
  readonly lb: LoadBalancer;
  readonly engine: PolicyEngine;
  /** The parsed rules of a stored policy (admission's parse, reused). */
  rulesOf(obj: PolicyObject): PolicyRules;
  readonly clusterName: string;
  readonly zone: DnsZone;
  nowNs(): number;
  nodeIp(node: string): string;
  /** With SPIRE: whether its server and agents serve, which their pods decide too. */
  readonly spire?: { readonly health: SpireHealth; readonly scheduler: Scheduler };
  /** Identities that got their first endpoint (the operator creates SPIRE entries for them). */
  identitiesCreated(ids: readonly AllocatedIdentity[]): void;
  readonly egressGateway: EgressGatewayReconciler;
}
