import { AuthManager } from '../auth/authManager.ts';
import type { CertificateProvider } from '../auth/certificateProvider.ts';
import { DelegateClient } from '../auth/delegateClient.ts';
import { AuthMap } from '../datapath/authMap.ts';
import type { NodeRef } from '../datapath/datapath.ts';
import type { NodeFlowRing } from '../hubble/observer.ts';
import type { Clock } from '../sim/clock.ts';
import type { Rng } from '../sim/rng.ts';
import type { Scheduler } from '../sim/scheduler.ts';
import { SpireAgent } from '../spire/agent.ts';
import { identityOfSpiffeId } from '../spire/operator.ts';
import type { SpireServer } from '../spire/server.ts';
import type { AgentConfig } from './agentConfig.ts';
import { AgentLog } from './agentLog.ts';
import { startupLines } from './agentStartup.ts';

/** What the agent finds on its node: SPIRE's server to attest to and, with mutual auth, the peers' certificates. */
export interface AgentEnv {
  readonly node: NodeRef;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly config: AgentConfig;
  /** The agent build its banner prints: `1.16.0 go version go1.22.5 linux/amd64`. */
  readonly build: string;
  /** The node's ring in the Hubble relay. */
  readonly flows: NodeFlowRing;
  /** SPIRE, when the cluster runs it: the node's SPIRE agent attests to this server. */
  readonly spire?: {
    readonly server: SpireServer;
    /** The SPIRE agent's random streams (its node UID, when it attested). */
    readonly rng: Rng;
    readonly clusterName: string;
    /** When the node's SPIRE agent pod started, epoch ms: it attests within the minute after. */
    readonly startedAtMs: number;
    /** Cilium's mutual auth on top: the certificates the auth manager asks for, and the peers by node ID. */
    readonly mutualAuth?: {
      readonly certs: CertificateProvider;
      nodeById(id: number): NodeRef | undefined;
    };
  };
}

/** Faults injected on this node (see cluster/faults.ts). */
export interface NodeFaults {
  /** The agent's `mesh-auth-spiffe-trust-domain`, when it differs from SPIRE's. */
  readonly trustDomain?: string;
  /** How far the node's clock runs ahead of the cluster's, in ns. */
  readonly clockSkewNs?: number;
}

/**
 * One node's Cilium agent, with everything that node keeps for itself: its log, its auth map
 * (written by its auth manager, read by its datapath), its Hubble ring, its Cilium node ID, its
 * view of the agent config, and with SPIRE the node's SPIRE agent, the agent's client of the
 * delegated identity API and its auth manager.
 */
export class Agent {
  readonly node: NodeRef;
  readonly log = new AgentLog();
  readonly authMap = new AuthMap();
  readonly flows: NodeFlowRing;
  readonly config: AgentConfig;
  readonly spireAgent: SpireAgent | undefined;
  readonly delegate: DelegateClient | undefined;
  readonly authManager: AuthManager | undefined;
  readonly #build: string;
  #starts = 0;
  #faults: NodeFaults = {};

  constructor(env: AgentEnv) {
    this.node = env.node;
    this.flows = env.flows;
    this.config = env.config;
    this.#build = env.build;
    const spire = env.spire;
    if (spire === undefined) {
      this.spireAgent = this.delegate = this.authManager = undefined;
      return;
    }
    this.spireAgent = new SpireAgent({
      server: spire.server,
      clock: env.clock,
      scheduler: env.scheduler,
      nodeName: env.node.name,
      nodeUid: spire.rng.uuid(),
      clusterName: spire.clusterName,
      // Each agent attests when its own pod is up, so each agent SVID expires at its own time.
      attestAtMs: spire.startedAtMs + spire.rng.int(15_000, 75_000),
    });
    this.spireAgent.start();
    const mutual = spire.mutualAuth;
    if (mutual === undefined) {
      this.delegate = this.authManager = undefined;
      return;
    }
    const config = env.config;
    const debug = (): boolean => config.get('debug');
    const manager = new AuthManager({
      nodeName: env.node.name,
      scheduler: env.scheduler,
      clock: env.clock,
      authMap: this.authMap,
      log: this.log,
      certs: mutual.certs,
      get port() {
        return config.get('mesh-auth-mutual-listener-port');
      },
      nodeById: (id) => (id === 0 ? env.node : mutual.nodeById(id)),
      debug,
      enabled: () => config.get('mesh-auth-enabled'),
      mutualEnabled: () => config.get('mesh-auth-mutual-enabled'),
    });
    const identityOf = (spiffeId: string): number | undefined => identityOfSpiffeId(mutual.certs.trustDomain(env.node.name), spiffeId);
    this.authManager = manager;
    this.delegate = new DelegateClient({
      nodeName: env.node.name,
      agent: this.spireAgent,
      scheduler: env.scheduler,
      clock: env.clock,
      log: this.log,
      debug,
      callerSpiffeId: `spiffe://${spire.server.trustDomain}/cilium-agent`,
      rotated: (spiffeId) => {
        const id = identityOf(spiffeId);
        if (id !== undefined) manager.reauthenticate(id);
      },
      deleted: (spiffeId) => {
        const id = identityOf(spiffeId);
        if (id !== undefined) manager.forgetIdentity(id);
      },
    });
  }

  get name(): string {
    return this.node.name;
  }

  /**
   * A new agent container on the node (the cluster's first, or a restart): its log starts over
   * with the start-up lines, from `atEpochMs`. What the agent holds in BPF maps (auth map,
   * policy maps, endpoints) survives, as it does across a real agent restart.
   */
  start(atEpochMs: number): void {
    this.log.clear();
    const seed = `${this.node.name}/${this.#starts++}`;
    for (const line of startupLines({ atEpochMs, config: this.config.view(), build: this.#build, seed })) this.log.write(line);
  }

  get faults(): NodeFaults {
    return this.#faults;
  }

  /** Merges per-node fault state; an `undefined` field (or a zero skew) clears it. */
  setFaults(change: { readonly [K in keyof NodeFaults]?: NodeFaults[K] | undefined }): void {
    const merged = { ...this.#faults, ...change };
    this.#faults = {
      ...(merged.trustDomain === undefined ? {} : { trustDomain: merged.trustDomain }),
      ...(merged.clockSkewNs === undefined || merged.clockSkewNs === 0 ? {} : { clockSkewNs: merged.clockSkewNs }),
    };
  }
}
