import type { AgentLog } from '../agent/agentLog.ts';
import { collectAuthGarbage } from '../auth/authGc.ts';
import { AuthManager } from '../auth/authManager.ts';
import type { CertificateProvider, Svid, Verification } from '../auth/certificateProvider.ts';
import { DelegateClient } from '../auth/delegateClient.ts';
import type { AuthKey } from '../datapath/authMap.ts';
import type { NodeRef } from '../datapath/datapath.ts';
import { NS_PER_MS, parseDuration } from '../sim/duration.ts';
import type { Clock } from '../sim/clock.ts';
import type { Rng } from '../sim/rng.ts';
import type { Scheduler } from '../sim/scheduler.ts';
import { SpireAgent } from '../spire/agent.ts';
import { ensureCiliumEntries, identityOfSpiffeId, syncIdentityEntries } from '../spire/operator.ts';
import { SpireServer } from '../spire/server.ts';
import { verifySvidChain } from '../spire/svid.ts';
import type { ParsedCertificate } from '../spire/x509.ts';
import type { Network } from './network.ts';

export interface MutualAuthDeps {
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly rng: Rng;
  readonly trustDomain: string;
  readonly clusterName: string;
  readonly network: Network;
  readonly config: Readonly<Record<string, string>>;
  /** Cilium's mutual auth on top of SPIRE: auth managers, delegated-identity clients, auth GC. Default true. */
  readonly mutualAuth?: boolean;
  /** Cilium's init entries and the operator's per-identity entries. Default true. */
  readonly operatorEntries?: boolean;
  log(node: string): AgentLog;
  identityIds(): number[];
  identityExists(id: number): boolean;
  policyRequires(key: AuthKey): boolean;
}

/** How often the operator retries SPIRE when the server was unreachable. */
const OPERATOR_RETRY = '5s';
const AGENT_GONE = 'rpc error: code = Unavailable desc = error reading from server: EOF';

/** Per-node faults the certificate provider honours (see cluster/faults.ts). */
interface NodeFaults {
  /** The node agent's `mesh-auth-spiffe-trust-domain`, when it differs from SPIRE's. */
  trustDomain?: string;
  /** How far the node's clock runs ahead of the cluster's, in ns. */
  clockSkewNs?: number;
}

/**
 * SPIRE and Cilium's mutual authentication wired together: the SPIRE server and one agent per
 * node, the operator's registration entries, each Cilium agent's delegated-identity client and
 * auth manager, and the auth map GC timer. It is also the auth managers' certificate provider.
 *
 * SPIRE-only mode (`mutualAuth: false`, as in labs that install SPIRE next to Cilium) keeps the
 * server and agents and leaves `managers` and `delegates` empty; with `operatorEntries: false`
 * nothing registers entries but the user (`spire-server entry create`).
 */
export class MutualAuth implements CertificateProvider {
  readonly server: SpireServer;
  readonly agents = new Map<string, SpireAgent>();
  readonly managers = new Map<string, AuthManager>();
  readonly delegates = new Map<string, DelegateClient>();
  readonly #d: MutualAuthDeps;
  readonly #faults = new Map<string, NodeFaults>();
  #bundle: readonly ParsedCertificate[] = [];
  #retrying = false;

  constructor(d: MutualAuthDeps) {
    this.#d = d;
    this.server = new SpireServer({ clock: d.clock, scheduler: d.scheduler, rng: d.rng.fork('server'), trustDomain: d.trustDomain });
    if (this.operatorEntries) ensureCiliumEntries(this.server);
    // The agents receive the bundle when they start (SubscribeToX509Bundles) and keep it.
    this.#bundle = this.server.bundle();
    for (const node of d.network.nodes()) this.#startNode(node);
    if (this.enabled) this.#scheduleGc();
  }

  /** Whether Cilium's mutual authentication runs on top of SPIRE. */
  get enabled(): boolean {
    return this.#d.mutualAuth ?? true;
  }

  /** Whether Cilium registers its own entries and one per identity. */
  get operatorEntries(): boolean {
    return this.#d.operatorEntries ?? true;
  }

  /** SPIRE's trust domain (`mesh-auth-spiffe-trust-domain` of a healthy cluster). */
  get spireTrustDomain(): string {
    return this.server.trustDomain;
  }

  /** Subscribes each node's Cilium agent to its SPIRE agent (after the agents attested). */
  connectAgents(): void {
    for (const client of this.delegates.values()) client.connect();
  }

  /** The operator: one SPIRE entry per Cilium identity; retried while the server is down. */
  syncIdentities(): void {
    if (!this.operatorEntries) return;
    const result = syncIdentityEntries(this.server, this.#d.identityIds());
    if (result.ok || this.#retrying) return;
    this.#retrying = true;
    this.#d.scheduler.after(
      parseDuration(OPERATOR_RETRY),
      'operator-spire-retry',
      () => {
        this.#retrying = false;
        this.syncIdentities();
      },
      { background: true },
    );
  }

  requestAuth(node: string, key: AuthKey): void {
    this.managers.get(node)?.signal(key);
  }

  trustDomain(nodeName: string): string {
    return this.#faults.get(nodeName)?.trustDomain ?? this.server.trustDomain;
  }

  svidFor(nodeName: string, identity: number): Svid | undefined {
    const svid = this.delegates.get(nodeName)?.svid(`spiffe://${this.trustDomain(nodeName)}/identity/${identity}`);
    return svid === undefined ? undefined : { spiffeId: svid.spiffeId, certificate: svid.certificate, notAfterMs: svid.expiresAtMs };
  }

  verify(verifierNode: string, svid: Svid, expectedId: string): Verification {
    const v = verifySvidChain(svid.certificate, this.#currentBundle(), this.nodeNowMs(verifierNode), expectedId);
    return v.ok ? { ok: true } : { ok: false, reason: v.reason };
  }

  /** The node's wall clock, epoch ms: the cluster's, plus any injected skew. */
  nodeNowMs(nodeName: string): number {
    return this.#d.clock.epochMs() + Math.floor((this.#faults.get(nodeName)?.clockSkewNs ?? 0) / NS_PER_MS);
  }

  /** The SPIRE agent of `nodeName` stops (or starts again); its Cilium agent's stream breaks and reconnects. */
  setAgentRunning(nodeName: string, running: boolean): void {
    const agent = this.#agent(nodeName);
    if (running) {
      agent.start();
      return;
    }
    agent.stop();
    this.delegates.get(nodeName)?.streamBroken(AGENT_GONE);
  }

  /** Per-node fault state; `undefined` clears a field. */
  setNodeFault(nodeName: string, fault: { readonly [K in keyof NodeFaults]?: NodeFaults[K] | undefined }): void {
    this.#agent(nodeName);
    const merged = { ...this.#faults.get(nodeName), ...fault };
    const next: NodeFaults = {
      ...(merged.trustDomain === undefined ? {} : { trustDomain: merged.trustDomain }),
      ...(merged.clockSkewNs === undefined || merged.clockSkewNs === 0 ? {} : { clockSkewNs: merged.clockSkewNs }),
    };
    if (Object.keys(next).length === 0) this.#faults.delete(nodeName);
    else this.#faults.set(nodeName, next);
  }

  /** The trust bundle the agents last received; it outlives a SPIRE server outage. */
  #currentBundle(): readonly ParsedCertificate[] {
    if (this.server.healthy) this.#bundle = this.server.bundle();
    return this.#bundle;
  }

  #agent(nodeName: string): SpireAgent {
    const agent = this.agents.get(nodeName);
    if (agent === undefined) throw new Error(`no SPIRE agent on node ${nodeName}`);
    return agent;
  }

  #startNode(node: NodeRef): void {
    const td = this.server.trustDomain;
    const agent = new SpireAgent({
      server: this.server,
      clock: this.#d.clock,
      scheduler: this.#d.scheduler,
      nodeName: node.name,
      nodeUid: this.#d.rng.fork(`node-uid/${node.name}`).uuid(),
      clusterName: this.#d.clusterName,
    });
    agent.start();
    this.agents.set(node.name, agent);
    if (!this.enabled) return;
    const log = this.#d.log(node.name);
    const debug = (): boolean => this.#d.config['debug'] === 'true';
    const identityOf = (spiffeId: string): number | undefined => identityOfSpiffeId(this.trustDomain(node.name), spiffeId);
    const manager = new AuthManager({
      nodeName: node.name,
      scheduler: this.#d.scheduler,
      clock: this.#d.clock,
      authMap: this.#d.network.authMap(node.name),
      log,
      certs: this,
      port: Number(this.#d.config['mesh-auth-mutual-listener-port'] ?? '4250'),
      nodeById: (id) => (id === 0 ? node : this.#d.network.nodes().find((n) => n.id === id)),
      debug,
    });
    this.managers.set(node.name, manager);
    this.delegates.set(
      node.name,
      new DelegateClient({
        nodeName: node.name,
        agent,
        scheduler: this.#d.scheduler,
        clock: this.#d.clock,
        log,
        debug,
        callerSpiffeId: `spiffe://${td}/cilium-agent`,
        rotated: (spiffeId) => {
          const id = identityOf(spiffeId);
          if (id !== undefined) manager.reauthenticate(id);
        },
        deleted: (spiffeId) => {
          const id = identityOf(spiffeId);
          if (id !== undefined) manager.forgetIdentity(id);
        },
      }),
    );
  }

  #scheduleGc(): void {
    const interval = parseDuration(this.#d.config['mesh-auth-gc-interval'] ?? '5m0s');
    this.#d.scheduler.after(
      interval,
      'auth-gc',
      () => {
        for (const node of this.#d.network.nodes()) {
          collectAuthGarbage({
            authMap: this.#d.network.authMap(node.name),
            log: this.#d.log(node.name),
            nowNs: this.#d.clock.nowNs,
            nowEpochMs: this.#d.clock.epochMs(),
            identityExists: (id) => this.#d.identityExists(id),
            nodeIdExists: (id) => this.#d.network.nodes().some((n) => n.id === id),
            policyRequires: (k) => this.#d.policyRequires(k),
            debug: this.#d.config['debug'] === 'true',
          });
        }
        this.#scheduleGc();
      },
      { background: true },
    );
  }
}
