import type { Clock } from '../sim/clock.ts';
import { NS_PER_MS, NS_PER_S } from '../sim/duration.ts';
import type { ScheduledEvent, Scheduler } from '../sim/scheduler.ts';
import { normalizeSelectors, parseSelector, selectorsMatch, type RegistrationEntry, type Selector } from './entry.ts';
import type { AttestedAgent, SpireServer, SpireServerEvent } from './server.ts';
import { isSpireStatusError, SpireStatusError } from './spireStatusError.ts';
import type { X509Svid } from './svid.ts';

/** What a delegated-identity subscriber is told: an SVID appeared or was rotated, or its entry is gone. */
export type SvidEvent = { readonly type: 'updated' | 'deleted'; readonly spiffeId: string; readonly svid: X509Svid };

export interface X509SvidSubscription {
  /** The SVIDs this subscription currently sees, sorted by SPIFFE ID. */
  svids(): X509Svid[];
  unsubscribe(): void;
}

export interface SpireAgentOptions {
  readonly server: SpireServer;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly nodeName: string;
  readonly nodeUid: string;
  /** The k8s_psat cluster name: Cilium's chart sets its `cluster.name` (`default` unless set). */
  readonly clusterName?: string;
  /**
   * When the first attestation happened, epoch ms, if before the agent's start in the
   * simulation (the agents of a fresh cluster attested as their pods came up). Default now.
   */
  readonly attestAtMs?: number;
  /** SPIFFE IDs allowed on the delegated identity API; default the node's Cilium agent. */
  readonly authorizedDelegates?: readonly string[];
  /** Delay between a server change and the agent's sync; default 0 (next event). */
  readonly syncDelayNs?: number;
  /** How often a failed attestation, sync or rotation is retried; SPIRE agents sync every 5 s. */
  readonly retryIntervalNs?: number;
}

interface CachedEntry {
  entry: RegistrationEntry;
  svid: X509Svid | undefined;
  rotation: ScheduledEvent | undefined;
}

interface Subscriber {
  readonly selectors: readonly Selector[];
  readonly onUpdate: (e: SvidEvent) => void;
}

const ADMIN_SOCKET_DOWN =
  'connection error: desc = "transport: error while dialing: dial unix /run/spire/sockets/admin.sock: connect: no such file or directory"';

/**
 * The SPIRE agent of one node. On start it attests to the server, caches the entries it is
 * authorized for and an SVID for each, rotates every SVID once less than half its lifetime
 * remains (no jitter, so runs are reproducible), and serves the delegated identity API to the
 * node's Cilium agent. While the server is down, cached SVIDs stay in use until they expire
 * and whatever is missing is retried every `retryIntervalNs`.
 */
export class SpireAgent {
  readonly nodeName: string;
  readonly #o: SpireAgentOptions;
  readonly #delegates: readonly string[];
  #running = false;
  #attested = false;
  #agent: AttestedAgent | undefined;
  #agentSvid: X509Svid | undefined;
  #agentRotation: ScheduledEvent | undefined;
  readonly #cache = new Map<string, CachedEntry>();
  readonly #subscribers = new Set<Subscriber>();
  #pendingSync: ScheduledEvent | undefined;
  #retry: ScheduledEvent | undefined;
  #unsubscribeServer: (() => void) | undefined;

  constructor(o: SpireAgentOptions) {
    this.#o = o;
    this.nodeName = o.nodeName;
    this.#delegates = o.authorizedDelegates ?? [`spiffe://${o.server.trustDomain}/cilium-agent`];
  }

  get running(): boolean {
    return this.#running;
  }

  /** The agent's own SPIFFE ID once attested. */
  get agentId(): string | undefined {
    return this.#agent?.spiffeId;
  }

  get agentSvid(): X509Svid | undefined {
    return this.#agentSvid;
  }

  /** Starts (or restarts after the agent-down fault): attests and syncs now. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#unsubscribeServer = this.#o.server.subscribe((e) => this.#onServerEvent(e));
    this.sync();
  }

  /** The agent-down fault: timers stop, the cache is dropped, the delegated API refuses calls. */
  stop(): void {
    if (!this.#running) return;
    this.#running = false;
    this.#unsubscribeServer?.();
    for (const ev of [this.#pendingSync, this.#retry, this.#agentRotation, ...[...this.#cache.values()].map((c) => c.rotation)]) {
      if (ev !== undefined) this.#o.scheduler.cancel(ev);
    }
    this.#cache.clear();
    this.#agent = undefined;
    this.#agentSvid = undefined;
  }

  /**
   * Brings the cache in line with the server: attests if needed, drops entries that are gone
   * (telling subscribers), fetches SVIDs for new or changed entries. Returns false when the
   * server could not be reached (a retry is scheduled).
   */
  sync(): boolean {
    if (!this.#running) return false;
    try {
      if (this.#agent === undefined) this.#attest();
      const entries = this.#o.server.authorizedEntries(this.#agent!.spiffeId);
      this.#dropMissing(new Set(entries.map((e) => e.id)));
      for (const entry of entries) this.#refresh(entry);
    } catch (e) {
      if (!isSpireStatusError(e)) throw e;
      this.#scheduleRetry();
      return false;
    }
    if ([...this.#cache.values()].some((c) => c.svid === undefined)) this.#scheduleRetry();
    return true;
  }

  /**
   * The delegated identity API (`SubscribeToX509SVIDs`). The caller must hold an entry of this
   * agent (else PermissionDenied `no identity issued`) whose SPIFFE ID is an authorized delegate
   * (else PermissionDenied `caller not configured as an authorized delegate`). It is then told
   * about every cached SVID whose entry selectors are all among `selectors` (Cilium asks for
   * `cilium:mutual-auth`): at once, then on each rotation or deletion.
   */
  subscribeX509Svids(
    callerSpiffeId: string,
    selectors: readonly (Selector | string)[],
    onUpdate: (e: SvidEvent) => void,
  ): X509SvidSubscription {
    if (!this.#running) throw new SpireStatusError('Unavailable', ADMIN_SOCKET_DOWN);
    if (![...this.#cache.values()].some((c) => c.entry.spiffeId === callerSpiffeId)) {
      throw new SpireStatusError('PermissionDenied', 'no identity issued');
    }
    if (!this.#delegates.includes(callerSpiffeId)) {
      throw new SpireStatusError('PermissionDenied', 'caller not configured as an authorized delegate');
    }
    const sub: Subscriber = {
      selectors: normalizeSelectors(selectors.map((s) => (typeof s === 'string' ? parseSelector(s) : s))),
      onUpdate,
    };
    this.#subscribers.add(sub);
    for (const svid of this.#svidsFor(sub)) onUpdate({ type: 'updated', spiffeId: svid.spiffeId, svid });
    return { svids: () => this.#svidsFor(sub), unsubscribe: () => this.#subscribers.delete(sub) };
  }

  /** The cached SVID for `spiffeId`, if this agent has one (expired ones included). */
  svidFor(spiffeId: string): X509Svid | undefined {
    for (const c of this.#cache.values()) if (c.entry.spiffeId === spiffeId && c.svid !== undefined) return c.svid;
    return undefined;
  }

  /** Every cached SVID, sorted by SPIFFE ID. */
  svids(): X509Svid[] {
    return [...this.#cache.values()].flatMap((c) => (c.svid === undefined ? [] : [c.svid])).sort(bySpiffeId);
  }

  #svidsFor(sub: Subscriber): X509Svid[] {
    return [...this.#cache.values()]
      .filter((c) => c.svid !== undefined && selectorsMatch(c.entry.selectors, sub.selectors, 'subset'))
      .map((c) => c.svid!)
      .sort(bySpiffeId);
  }

  #attest(): void {
    const { server, nodeName, nodeUid, clusterName, attestAtMs } = this.#o;
    const atMs = this.#attested ? undefined : attestAtMs;
    this.#attested = true;
    const { agent, svid } = server.attestAgent(nodeName, nodeUid, clusterName ?? 'default', atMs);
    this.#agent = agent;
    this.#agentSvid = svid;
    this.#agentRotation = this.#scheduleRotation(svid, () => this.#rotateAgentSvid());
  }

  #rotateAgentSvid(): void {
    try {
      this.#agentSvid = this.#o.server.renewAgentSvid(this.#agent!.spiffeId);
      this.#agentRotation = this.#scheduleRotation(this.#agentSvid, () => this.#rotateAgentSvid());
    } catch (e) {
      if (!isSpireStatusError(e)) throw e;
      this.#agentRotation = this.#o.scheduler.after(this.#retryNs(), 'spire-agent-svid-retry', () => this.#rotateAgentSvid(), {
        background: true,
      });
    }
  }

  #dropMissing(ids: Set<string>): void {
    for (const [id, cached] of this.#cache) {
      if (ids.has(id)) continue;
      this.#cache.delete(id);
      if (cached.rotation !== undefined) this.#o.scheduler.cancel(cached.rotation);
      if (cached.svid !== undefined) this.#notify(cached.entry, { type: 'deleted', spiffeId: cached.entry.spiffeId, svid: cached.svid });
    }
  }

  /** Fetches an SVID for a new entry, a changed entry, or one still without an SVID. */
  #refresh(entry: RegistrationEntry): void {
    const cached = this.#cache.get(entry.id);
    if (cached !== undefined && cached.entry.revision === entry.revision && cached.svid !== undefined) return;
    const slot: CachedEntry = cached ?? { entry, svid: undefined, rotation: undefined };
    slot.entry = entry;
    this.#cache.set(entry.id, slot);
    this.#fetch(slot);
  }

  /** Throws Unavailable when the server is down; the slot keeps its old SVID. */
  #fetch(slot: CachedEntry): void {
    const svid = this.#o.server.fetchEntrySvid(slot.entry);
    slot.svid = svid;
    if (slot.rotation !== undefined) this.#o.scheduler.cancel(slot.rotation);
    slot.rotation = this.#scheduleRotation(svid, () => this.#rotate(slot));
    this.#notify(slot.entry, { type: 'updated', spiffeId: svid.spiffeId, svid });
  }

  #rotate(slot: CachedEntry): void {
    slot.rotation = undefined;
    if (!this.#running || this.#cache.get(slot.entry.id) !== slot) return;
    try {
      this.#fetch(slot);
    } catch (e) {
      if (!isSpireStatusError(e)) throw e;
      slot.rotation = this.#o.scheduler.after(this.#retryNs(), 'spire-svid-rotate-retry', () => this.#rotate(slot), { background: true });
    }
  }

  /** Rotation is due once half the SVID's lifetime (NotBefore to NotAfter) has passed. */
  #scheduleRotation(svid: X509Svid, run: () => void): ScheduledEvent {
    const { clock, scheduler } = this.#o;
    const rotateAtMs = svid.notBeforeMs + Math.floor((svid.expiresAtMs - svid.notBeforeMs) / 2);
    const delayNs = Math.max(0, (rotateAtMs - clock.epochMs()) * NS_PER_MS);
    return scheduler.after(delayNs, 'spire-svid-rotate', run, { background: true });
  }

  #notify(entry: RegistrationEntry, event: SvidEvent): void {
    for (const sub of [...this.#subscribers]) {
      if (selectorsMatch(entry.selectors, sub.selectors, 'subset')) sub.onUpdate(event);
    }
  }

  #onServerEvent(e: SpireServerEvent): void {
    if (e.type === 'health-changed' && !e.healthy) return;
    if (this.#pendingSync !== undefined) return;
    this.#pendingSync = this.#o.scheduler.after(this.#o.syncDelayNs ?? 0, 'spire-agent-sync', () => {
      this.#pendingSync = undefined;
      this.sync();
    });
  }

  #scheduleRetry(): void {
    if (this.#retry !== undefined && !this.#retry.cancelled) return;
    this.#retry = this.#o.scheduler.after(this.#retryNs(), 'spire-agent-sync-retry', () => this.sync(), { background: true });
  }

  #retryNs(): number {
    return this.#o.retryIntervalNs ?? 5 * NS_PER_S;
  }
}

function bySpiffeId(a: X509Svid, b: X509Svid): number {
  return a.spiffeId < b.spiffeId ? -1 : a.spiffeId > b.spiffeId ? 1 : 0;
}
