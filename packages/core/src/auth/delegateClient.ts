import type { AuthLog } from './authLog.ts';
import { NS_PER_MS, NS_PER_S } from '../sim/duration.ts';
import type { Clock } from '../sim/clock.ts';
import type { ScheduledEvent, Scheduler } from '../sim/scheduler.ts';
import type { SpireAgent, X509SvidSubscription } from '../spire/agent.ts';
import { MUTUAL_AUTH_SELECTOR } from '../spire/operator.ts';
import { isSpireStatusError } from '../spire/spireStatusError.ts';
import type { X509Svid } from '../spire/svid.ts';

export interface DelegateClientEnv {
  readonly nodeName: string;
  readonly agent: SpireAgent;
  readonly scheduler: Scheduler;
  readonly clock: Clock;
  readonly log: AuthLog;
  /** The SPIFFE ID the Cilium agent's own entry gives it (`spiffe://<td>/cilium-agent`). */
  readonly callerSpiffeId: string;
  debug(): boolean;
  /** An SVID the client already held changed (rotation): re-authenticate its identity. */
  rotated(spiffeId: string): void;
  /** The entry behind an SVID is gone. */
  deleted(spiffeId: string): void;
}

/** The reconnect backoff of Cilium's delegate client: 100 ms doubling up to 10 s. */
const BACKOFF_MIN_NS = 100 * NS_PER_MS;
const BACKOFF_MAX_NS = 10 * NS_PER_S;

/**
 * One Cilium agent's client of the SPIRE delegated identity API (Cilium's
 * pkg/auth/spire/delegate.go): subscribes to the node's SPIRE agent for the
 * `cilium:mutual-auth` SVIDs and keeps them by SPIFFE ID. When the stream breaks (the SPIRE
 * agent is down) it keeps the SVIDs it has, which stay usable until they expire, and reconnects
 * with exponential backoff, logging each attempt as the agent does.
 */
export class DelegateClient {
  readonly #env: DelegateClientEnv;
  readonly #svids = new Map<string, X509Svid>();
  #sub: X509SvidSubscription | undefined;
  #retry: ScheduledEvent | undefined;
  #backoffNs = BACKOFF_MIN_NS;

  constructor(env: DelegateClientEnv) {
    this.#env = env;
  }

  get connected(): boolean {
    return this.#sub !== undefined;
  }

  /** The SVID held for `spiffeId`, expired or not. */
  svid(spiffeId: string): X509Svid | undefined {
    return this.#svids.get(spiffeId);
  }

  /** Opens the stream; on failure retries with backoff. */
  connect(): void {
    if (this.#sub !== undefined) return;
    this.#retry = undefined;
    this.#write('info', 'Connecting to SPIRE Delegate API Client', []);
    try {
      this.#sub = this.#env.agent.subscribeX509Svids(this.#env.callerSpiffeId, [MUTUAL_AUTH_SELECTOR], (e) => {
        if (e.type === 'deleted') {
          this.#svids.delete(e.spiffeId);
          this.#env.deleted(e.spiffeId);
          return;
        }
        const old = this.#svids.get(e.spiffeId);
        this.#svids.set(e.spiffeId, e.svid);
        if (old === undefined) this.#debug(`X509-SVID for ${e.spiffeId} is new, adding`);
        else if (old.serial !== e.svid.serial) {
          this.#debug(`X509-SVID for ${e.spiffeId} has changed, updating`);
          this.#env.rotated(e.spiffeId);
        }
      });
      this.#backoffNs = BACKOFF_MIN_NS;
    } catch (e) {
      if (!isSpireStatusError(e)) throw e;
      this.#write('warning', 'SPIRE Delegate API Client failed to init watcher, retrying', [['error', e.message]]);
      this.#scheduleRetry();
    }
  }

  /** The stream broke (the SPIRE agent went away): keep the SVIDs, reconnect later. */
  streamBroken(reason: string): void {
    if (this.#sub === undefined) return;
    this.#sub.unsubscribe();
    this.#sub = undefined;
    this.#write('error', 'error in delegate stream, restarting', [['error', reason]]);
    this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    if (this.#retry !== undefined && !this.#retry.cancelled) return;
    const delay = this.#backoffNs;
    this.#backoffNs = Math.min(BACKOFF_MAX_NS, this.#backoffNs * 2);
    this.#retry = this.#env.scheduler.after(delay, 'spire-delegate-reconnect', () => this.connect(), { background: true });
  }

  #debug(msg: string): void {
    if (this.#env.debug()) this.#write('debug', msg, []);
  }

  #write(level: 'debug' | 'info' | 'warning' | 'error', msg: string, fields: readonly (readonly [string, string])[]): void {
    this.#env.log.write({ atEpochMs: this.#env.clock.epochMs(), level, msg, fields, subsys: 'spire-delegate' });
  }
}
