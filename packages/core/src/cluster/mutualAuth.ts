import type { AgentLog } from '../agent/agentLog.ts';
import { collectAuthGarbage } from '../auth/authGc.ts';
import { AuthManager } from '../auth/authManager.ts';
import type { CertificateProvider, Svid } from '../auth/certificateProvider.ts';
import type { AuthKey } from '../datapath/authMap.ts';
import type { NodeRef } from '../datapath/datapath.ts';
import { parseDuration } from '../sim/duration.ts';
import type { Clock } from '../sim/clock.ts';
import type { Rng } from '../sim/rng.ts';
import type { Scheduler } from '../sim/scheduler.ts';
import { SpireAgent } from '../spire/agent.ts';
import { ensureCiliumEntries, syncIdentityEntries } from '../spire/operator.ts';
import { SpireServer } from '../spire/server.ts';
import { verifySvidChain, type X509Svid } from '../spire/svid.ts';
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
  log(node: string): AgentLog;
  identityIds(): number[];
  identityExists(id: number): boolean;
  policyRequires(key: AuthKey): boolean;
}

/** How often the operator retries SPIRE when the server was unreachable. */
const OPERATOR_RETRY = '5s';

/**
 * SPIRE and Cilium's mutual authentication wired together: the SPIRE server and one agent per
 * node, the operator's registration entries, each Cilium agent's delegated-identity
 * subscription and auth manager, and the auth map GC timer.
 */
export class MutualAuth implements CertificateProvider {
  readonly server: SpireServer;
  readonly agents = new Map<string, SpireAgent>();
  readonly managers = new Map<string, AuthManager>();
  readonly trustDomain: string;
  readonly #d: MutualAuthDeps;
  /** Per node: SPIFFE ID -> SVID, as the Cilium agent's certificate provider caches them. */
  readonly #svids = new Map<string, Map<string, X509Svid>>();
  #bundle: readonly ParsedCertificate[] = [];
  #retrying = false;

  constructor(d: MutualAuthDeps) {
    this.#d = d;
    this.trustDomain = d.trustDomain;
    this.server = new SpireServer({ clock: d.clock, scheduler: d.scheduler, rng: d.rng.fork('server'), trustDomain: d.trustDomain });
    ensureCiliumEntries(this.server);
    for (const node of d.network.nodes()) this.#startNode(node);
    this.#scheduleGc();
  }

  /** Subscribes each node's Cilium agent to its SPIRE agent (after the agents attested). */
  connectAgents(): void {
    for (const [node, agent] of this.agents) {
      const cache = new Map<string, X509Svid>();
      this.#svids.set(node, cache);
      agent.subscribeX509Svids(`spiffe://${this.trustDomain}/cilium-agent`, ['cilium:mutual-auth'], (e) => {
        const identity = Number(e.spiffeId.split('/').pop());
        if (e.type === 'deleted') {
          cache.delete(e.spiffeId);
          this.#forgetIdentity(node, identity);
          return;
        }
        const rotated = cache.has(e.spiffeId);
        cache.set(e.spiffeId, e.svid);
        if (rotated) this.managers.get(node)?.reauthenticate(identity);
      });
    }
  }

  /** The operator: one SPIRE entry per Cilium identity; retried while the server is down. */
  syncIdentities(): void {
    const result = syncIdentityEntries(this.server, this.#d.identityIds());
    if (result.ok || this.#retrying) return;
    this.#retrying = true;
    this.#d.scheduler.after(parseDuration(OPERATOR_RETRY), 'operator-spire-retry', () => {
      this.#retrying = false;
      this.syncIdentities();
    }, { background: true });
  }

  requestAuth(node: string, key: AuthKey): void {
    this.managers.get(node)?.signal(key);
  }

  svidFor(nodeName: string, identity: number): Svid | undefined {
    const svid = this.#svids.get(nodeName)?.get(`spiffe://${this.trustDomain}/identity/${identity}`);
    return svid === undefined ? undefined : { spiffeId: svid.spiffeId, certificate: svid.certificate, notAfterMs: svid.expiresAtMs };
  }

  verify(svid: Svid, atMs: number, expectedId: string): { ok: true } | { ok: false; reason: string } {
    const v = verifySvidChain(svid.certificate, this.#currentBundle(), atMs, expectedId);
    return v.ok ? { ok: true } : { ok: false, reason: v.reason };
  }

  /** The trust bundle the agents last received; it outlives a SPIRE server outage. */
  #currentBundle(): readonly ParsedCertificate[] {
    if (this.server.healthy) this.#bundle = this.server.bundle();
    return this.#bundle;
  }

  #startNode(node: NodeRef): void {
    const agent = new SpireAgent({
      server: this.server, clock: this.#d.clock, scheduler: this.#d.scheduler, nodeName: node.name,
      nodeUid: this.#d.rng.fork(`node-uid/${node.name}`).uuid(), clusterName: this.#d.clusterName,
    });
    agent.start();
    this.agents.set(node.name, agent);
    const port = Number(this.#d.config['mesh-auth-mutual-listener-port'] ?? '4250');
    this.managers.set(node.name, new AuthManager({
      nodeName: node.name, scheduler: this.#d.scheduler, clock: this.#d.clock, authMap: this.#d.network.authMap(node.name),
      log: this.#d.log(node.name), certs: this, port,
      nodeById: (id) => (id === 0 ? node : this.#d.network.nodes().find((n) => n.id === id)),
      debug: () => this.#d.config['debug'] === 'true',
    }));
  }

  #forgetIdentity(node: string, identity: number): void {
    const map = this.#d.network.authMap(node);
    for (const e of map.entries()) {
      if (e.key.localIdentity === identity || e.key.remoteIdentity === identity) map.delete(e.key);
    }
  }

  #scheduleGc(): void {
    const interval = parseDuration(this.#d.config['mesh-auth-gc-interval'] ?? '5m0s');
    this.#d.scheduler.after(interval, 'auth-gc', () => {
      for (const node of this.#d.network.nodes()) {
        collectAuthGarbage({
          authMap: this.#d.network.authMap(node.name), log: this.#d.log(node.name),
          nowNs: this.#d.clock.nowNs, nowEpochMs: this.#d.clock.epochMs(),
          identityExists: (id) => this.#d.identityExists(id),
          nodeIdExists: (id) => this.#d.network.nodes().some((n) => n.id === id),
          policyRequires: (k) => this.#d.policyRequires(k),
          debug: this.#d.config['debug'] === 'true',
        });
      }
      this.#scheduleGc();
    }, { background: true });
  }
}
