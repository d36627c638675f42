import type { AgentCertificates } from '../agent/agentCertificates.ts';
import type { AgentConfig } from '../agent/agentConfig.ts';
import type { Agents } from '../agent/agents.ts';
import type { EndpointManager } from '../agent/endpointManager.ts';
import type { FqdnDns } from '../agent/fqdnDns.ts';
import type { SpireHealth } from '../agent/spireHealth.ts';
import type { NamedPortIndex } from '../agent/namedPortIndex.ts';
import type { HubbleObserver } from '../hubble/observer.ts';
import type { IdentityAllocator } from '../identity/allocator.ts';
import type { Ipcache } from '../identity/ipcache.ts';
import type { ApplyContext } from '../k8s/context.ts';
import type { PolicyContext } from '../policy/peerSelector.ts';
import type { PolicyEngine } from '../policy/policyEngine.ts';
import type { Clock } from '../sim/clock.ts';
import type { Rng } from '../sim/rng.ts';
import type { Scheduler } from '../sim/scheduler.ts';
import type { SpireServer } from '../spire/server.ts';
import type { Tetragon } from '../tetragon/tetragon.ts';
import type { Watchers } from '../watchers/watchers.ts';
import type { ApiState } from './apiState.ts';
import type { CiliumOperator } from './ciliumOperator.ts';
import type { EventBus } from './eventBus.ts';
import type { Network } from './network.ts';
import type { ResolvedOptions } from './options.ts';
import type { PolicyAdmission } from './policyAdmission.ts';

export type { SimEvents } from './eventBus.ts';

/** SPIRE as the cluster runs it, with or without Cilium's mutual authentication on top. */
export interface SpireRuntime {
  readonly server: SpireServer;
  /** Whether the server and each SPIRE agent serve: faults and their pods. */
  readonly health: SpireHealth;
  /** What the agents' auth managers (and the SPIFFE TLS upgrade) ask of SPIRE, per node. */
  readonly certs: AgentCertificates;
  /** Cilium's mutual auth runs on top: auth managers, delegated-identity clients, auth GC. */
  readonly mutualAuth: boolean;
  /** The operator registers Cilium's entries and one per identity. */
  readonly operatorEntries: boolean;
}

/**
 * A cluster's subsystems, built once in dependency order by `buildRuntime`: a plain record that
 * the cluster's facade, its helpers, the toolkit and the tests read. Nothing in it refers to
 * the Cluster class.
 */
export interface Runtime {
  readonly options: ResolvedOptions;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  /** The root of every random stream; subsystems fork their own by name. */
  readonly rng: Rng;
  /** The stream workload commands draw from (source ports, DNS IDs). */
  readonly execRng: Rng;
  /** The cluster's events, and the commands they are delivered around. */
  readonly events: EventBus;
  /** The cilium-config ConfigMap every agent reads. */
  readonly config: AgentConfig;
  /** The Hubble relay: every agent's ring. */
  readonly hubble: HubbleObserver;
  readonly identities: IdentityAllocator;
  readonly ipcache: Ipcache;
  readonly namedPorts: NamedPortIndex;
  readonly endpoints: EndpointManager;
  /** The API server's objects, and the context its changes run in. */
  readonly api: ApiState;
  readonly applyContext: ApplyContext;
  /** Policy admission: validates policies and keeps each admitted revision's parse. */
  readonly admission: PolicyAdmission;
  readonly policyContext: PolicyContext;
  readonly policy: PolicyEngine;
  /** The nodes and their agents. */
  readonly agents: Agents;
  readonly fqdn: FqdnDns;
  readonly spire: SpireRuntime | undefined;
  /** Tetragon's agents, when the cluster runs Tetragon (`tetragon: true`). */
  readonly tetragon: Tetragon | undefined;
  readonly network: Network;
  readonly operator: CiliumOperator;
  readonly watchers: Watchers;
}
