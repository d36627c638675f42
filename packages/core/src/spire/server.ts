import { castDraft, produce } from 'immer';
import type { Clock } from '../sim/clock.ts';
import { formatDuration, NS_PER_MIN, NS_PER_S } from '../sim/duration.ts';
import { SimError } from '../errors.ts';
import type { Rng } from '../sim/rng.ts';
import type { Scheduler } from '../sim/scheduler.ts';
import { CaManager } from './ca.ts';
import { compareEntries, selectorsMatch, similarEntries, type RegistrationEntry, type Selector, type SelectorMatch } from './entry.ts';
import { validateEntryInput, type EntryInput } from './entryInput.ts';
import { assertTrustDomain, parseSpiffeId } from './spiffeId.ts';
import { SpireStatusError } from './spireStatusError.ts';
import { DEFAULT_X509_SVID_TTL_NS, MIN_X509_SVID_TTL_NS, mintX509Svid, type SigningAuthority, type X509Svid } from './svid.ts';

/** Cilium's trust domain (`mesh-auth-spiffe-trust-domain`). */
export const DEFAULT_TRUST_DOMAIN = 'spiffe.cilium';
/** SPIRE's `DefaultJWTSVIDTTL`. */
export const DEFAULT_JWT_SVID_TTL_NS = 5 * NS_PER_MIN;

/** An attested SPIRE agent as `spire-server agent list` shows it. */
export interface AttestedAgent {
  readonly spiffeId: string;
  readonly attestationType: 'k8s_psat';
  readonly nodeName: string;
  /** The selectors node attestation produced (`k8s_psat:agent_ns:cilium-spire`, ...). */
  readonly selectors: readonly Selector[];
  /** NotAfter of the agent's current SVID, epoch ms. */
  readonly expiresAtMs: number;
  readonly serial: string;
  readonly canReattest: boolean;
  readonly banned: boolean;
}

/** The server's control-plane state: plain data, changed through immer only. */
export interface SpireServerState {
  /** By entry ID, in creation order. */
  readonly entries: Readonly<Record<string, RegistrationEntry>>;
  /** By agent SPIFFE ID, in attestation order. */
  readonly agents: Readonly<Record<string, AttestedAgent>>;
}

export type SpireServerEvent =
  | { readonly type: 'entry-created' | 'entry-updated' | 'entry-deleted'; readonly entry: RegistrationEntry }
  | { readonly type: 'health-changed'; readonly healthy: boolean };

export interface EntryFilter {
  readonly spiffeId?: string;
  readonly parentId?: string;
  readonly selectors?: readonly Selector[];
  /** How `selectors` match; default superset, as `-matchSelectorsOn`. */
  readonly match?: SelectorMatch;
}

export interface SpireServerOptions {
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  /** The server forks its own streams from it (`ca`, `entries`, `svids`). */
  readonly rng: Rng;
  readonly trustDomain?: string;
  readonly caTtlNs?: number;
  readonly defaultX509SvidTtlNs?: number;
  readonly defaultJwtSvidTtlNs?: number;
}

/** What a client sees while the server is down: the dial fails. */
const UNAVAILABLE_DESC =
  'connection error: desc = "transport: error while dialing: dial tcp spire-server.cilium-spire.svc:8081: connect: connection refused"';

/**
 * The SPIRE server: the trust domain's CA (with rotation), the registration-entry store, node
 * attestation of agents, and SVID signing. `setHealthy(false)` injects the "SPIRE down" fault:
 * every API call then fails with Unavailable and nothing changes.
 */
export class SpireServer {
  readonly trustDomain: string;
  readonly ca: CaManager;
  readonly defaultX509SvidTtlNs: number;
  readonly defaultJwtSvidTtlNs: number;
  readonly #clock: Clock;
  readonly #ids: Rng;
  readonly #svidRng: Rng;
  #state: SpireServerState = { entries: {}, agents: {} };
  #healthy = true;
  readonly #listeners = new Set<(e: SpireServerEvent) => void>();

  constructor(o: SpireServerOptions) {
    this.trustDomain = assertTrustDomain(o.trustDomain ?? DEFAULT_TRUST_DOMAIN);
    this.#clock = o.clock;
    this.#ids = o.rng.fork('entries');
    this.#svidRng = o.rng.fork('svids');
    this.defaultX509SvidTtlNs = o.defaultX509SvidTtlNs ?? DEFAULT_X509_SVID_TTL_NS;
    atLeast(this.defaultX509SvidTtlNs, MIN_X509_SVID_TTL_NS, 'defaultX509SvidTtlNs');
    if (o.caTtlNs !== undefined) atLeast(o.caTtlNs, MIN_CA_TTL_NS, 'caTtlNs');
    this.defaultJwtSvidTtlNs = o.defaultJwtSvidTtlNs ?? DEFAULT_JWT_SVID_TTL_NS;
    const caOptions = { clock: o.clock, scheduler: o.scheduler, rng: o.rng.fork('ca'), trustDomain: this.trustDomain };
    this.ca = new CaManager(o.caTtlNs === undefined ? caOptions : { ...caOptions, caTtlNs: o.caTtlNs });
  }

  get state(): SpireServerState {
    return this.#state;
  }

  get healthy(): boolean {
    return this.#healthy;
  }

  /** The "SPIRE server down" fault and its recovery. */
  setHealthy(healthy: boolean): void {
    if (healthy === this.#healthy) return;
    this.#healthy = healthy;
    this.#emit({ type: 'health-changed', healthy });
  }

  /** Calls `fn` after every change (entry create/update/delete, health); returns the unsubscribe function. */
  subscribe(fn: (e: SpireServerEvent) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** `spiffe://<td>/spire/server`: the parent of node entries. */
  get serverId(): string {
    return `spiffe://${this.trustDomain}/spire/server`;
  }

  /**
   * Creates an entry (BatchCreateEntry). Bad input is a SimError; a similar entry (same SPIFFE ID,
   * parent and selectors) is refused with AlreadyExists, as SPIRE does.
   */
  createEntry(input: EntryInput): RegistrationEntry {
    this.#available();
    const fields = validateEntryInput(input, this.trustDomain);
    if (Object.values(this.#state.entries).some((e) => similarEntries(e, fields))) {
      throw new SpireStatusError('AlreadyExists', 'similar entry already exists');
    }
    const entry: RegistrationEntry = { id: this.#ids.uuid(), revision: 0, ...fields };
    this.#state = produce(this.#state, (d) => {
      d.entries[entry.id] = castDraft(entry);
    });
    this.#emit({ type: 'entry-created', entry });
    return entry;
  }

  /** Replaces an entry's fields (BatchUpdateEntry); the revision grows by one. */
  updateEntry(id: string, input: EntryInput): RegistrationEntry {
    this.#available();
    const old = this.getEntry(id);
    const fields = validateEntryInput(input, this.trustDomain);
    if (Object.values(this.#state.entries).some((e) => e.id !== id && similarEntries(e, fields))) {
      throw new SpireStatusError('AlreadyExists', 'similar entry already exists');
    }
    const entry: RegistrationEntry = { ...fields, id, revision: old.revision + 1 };
    this.#state = produce(this.#state, (d) => {
      d.entries[id] = castDraft(entry);
    });
    this.#emit({ type: 'entry-updated', entry });
    return entry;
  }

  /** Deletes an entry (BatchDeleteEntry); NotFound if there is none with that ID. */
  deleteEntry(id: string): RegistrationEntry {
    this.#available();
    const entry = this.getEntry(id);
    this.#state = produce(this.#state, (d) => {
      delete d.entries[id];
    });
    this.#emit({ type: 'entry-deleted', entry });
    return entry;
  }

  getEntry(id: string): RegistrationEntry {
    this.#available();
    const entry = this.#state.entries[id];
    if (entry === undefined) throw new SpireStatusError('NotFound', 'no such registration entry');
    return entry;
  }

  /** Entries matching every given filter, in `entry show` order (see compareEntries). */
  listEntries(filter: EntryFilter = {}): RegistrationEntry[] {
    this.#available();
    return Object.values(this.#state.entries)
      .filter((e) => filter.spiffeId === undefined || e.spiffeId === filter.spiffeId)
      .filter((e) => filter.parentId === undefined || e.parentId === filter.parentId)
      .filter((e) => filter.selectors === undefined || selectorsMatch(e.selectors, filter.selectors, filter.match ?? 'superset'))
      .sort(compareEntries);
  }

  /**
   * k8s_psat node attestation: the agent on `nodeName` proves itself with its projected service
   * account token and gets `spiffe://<td>/spire/agent/k8s_psat/<cluster>/<node-uid>` and an agent
   * SVID. Attesting again (agent restart) replaces the record and issues a new SVID. `atMs`
   * backdates the attestation (an agent that attested before the simulation began); default now.
   */
  attestAgent(nodeName: string, nodeUid: string, clusterName: string, atMs?: number): { agent: AttestedAgent; svid: X509Svid } {
    this.#available();
    const spiffeId = parseSpiffeId(`spiffe://${this.trustDomain}/spire/agent/k8s_psat/${clusterName}/${nodeUid}`, 'agentID').toString();
    const selectors: Selector[] = [
      { type: 'k8s_psat', value: `agent_node_name:${nodeName}` },
      { type: 'k8s_psat', value: `agent_node_uid:${nodeUid}` },
      { type: 'k8s_psat', value: 'agent_ns:cilium-spire' },
      { type: 'k8s_psat', value: 'agent_sa:spire-agent' },
      { type: 'k8s_psat', value: `cluster:${clusterName}` },
    ];
    const svid = this.#mint(spiffeId, this.defaultX509SvidTtlNs, atMs);
    const agent: AttestedAgent = {
      spiffeId,
      attestationType: 'k8s_psat',
      nodeName,
      selectors,
      expiresAtMs: svid.expiresAtMs,
      serial: svid.serial,
      canReattest: true,
      banned: false,
    };
    this.#state = produce(this.#state, (d) => {
      d.agents[spiffeId] = castDraft(agent);
    });
    return { agent, svid };
  }

  /** An attested agent renews its own SVID (at half-life, like any SVID). */
  renewAgentSvid(agentId: string): X509Svid {
    this.#available();
    const agent = this.#state.agents[agentId];
    if (agent === undefined) throw new SpireStatusError('NotFound', 'agent not found');
    const svid = this.#mint(agentId, this.defaultX509SvidTtlNs);
    this.#state = produce(this.#state, (d) => {
      d.agents[agentId] = castDraft({ ...agent, expiresAtMs: svid.expiresAtMs, serial: svid.serial });
    });
    return svid;
  }

  /** Attested agents in attestation order. */
  listAgents(): AttestedAgent[] {
    this.#available();
    return Object.values(this.#state.agents);
  }

  /**
   * The entries an agent may fetch SVIDs for: those under its own ID or under a node entry whose
   * selectors its attestation produced, and recursively everything under those entries (which is
   * how every agent gets the `identity/N` entries parented by `cilium-operator`).
   */
  authorizedEntries(agentId: string): RegistrationEntry[] {
    this.#available();
    const agent = this.#state.agents[agentId];
    if (agent === undefined) throw new SpireStatusError('PermissionDenied', 'agent is not attested');
    const all = Object.values(this.#state.entries);
    const nodeAliases = all.filter((e) => e.parentId === this.serverId && selectorsMatch(e.selectors, agent.selectors, 'subset'));
    const parents = new Set([agentId, ...nodeAliases.map((e) => e.spiffeId)]);
    const out: RegistrationEntry[] = [];
    for (let grew = true; grew; ) {
      grew = false;
      for (const e of all) {
        if (parents.has(e.parentId) && e.parentId !== this.serverId && !out.includes(e)) {
          out.push(e);
          parents.add(e.spiffeId);
          grew = true;
        }
      }
    }
    return out.sort(compareEntries);
  }

  /** Signs an SVID for an entry, with the entry's TTL or the server default. */
  fetchEntrySvid(entry: RegistrationEntry): X509Svid {
    this.#available();
    return this.#mint(entry.spiffeId, entry.x509SvidTtl > 0 ? entry.x509SvidTtl * NS_PER_S : this.defaultX509SvidTtlNs);
  }

  /** MintX509SVID: an SVID for any ID of the trust domain, no entry needed (`spire-server x509 mint`). */
  mintX509Svid(spiffeId: string, ttlNs?: number): X509Svid {
    this.#available();
    const id = parseSpiffeId(spiffeId, 'spiffeID');
    if (id.trustDomain !== this.trustDomain) {
      throw new SpireStatusError(
        'InvalidArgument',
        `invalid SPIFFE ID: "${spiffeId}" is not a member of trust domain "${this.trustDomain}"`,
      );
    }
    return this.#mint(id.toString(), ttlNs === undefined || ttlNs <= 0 ? this.defaultX509SvidTtlNs : ttlNs);
  }

  /** The trust bundle: every CA certificate verifiers must accept now. */
  bundle(): X509Svid['certificate'][] {
    return this.bundleAuthorities().map((a) => a.certificate);
  }

  /** The CAs of the trust bundle, whose certificates are encoded only when read (see ca.ts). */
  bundleAuthorities(): readonly SigningAuthority[] {
    this.#available();
    return this.ca.authorities();
  }

  #mint(spiffeId: string, ttlNs: number, atMs = this.#clock.epochMs()): X509Svid {
    return mintX509Svid({ authority: this.ca.active, spiffeId, nowMs: atMs, ttlNs, rng: this.#svidRng });
  }

  #available(): void {
    if (!this.#healthy) throw new SpireStatusError('Unavailable', UNAVAILABLE_DESC);
  }

  #emit(e: SpireServerEvent): void {
    for (const fn of [...this.#listeners]) fn(e);
  }
}

/** The shortest CA TTL: the CA rotates on fractions of it, each SVID it signs lives inside it. */
export const MIN_CA_TTL_NS = 10 * MIN_X509_SVID_TTL_NS;

/** Refuses a TTL under which the agents' or the CA's rotation would fire without end. */
function atLeast(ns: number, minNs: number, field: string): void {
  if (Number.isFinite(ns) && ns >= minNs) return;
  throw new SimError({
    code: 'INVALID_FIELD',
    object: 'SpireServer',
    path: field,
    message: `${field} must be at least ${formatDuration(minNs)} (rotation would otherwise fire without end), got ${Number.isFinite(ns) ? formatDuration(ns) : String(ns)}`,
  });
}
