import type { AuthLog } from './authLog.ts';
import { formatAuthKey, type AuthKey, type AuthMap } from '../datapath/authMap.ts';
import { AUTH_TYPE, authTypeName } from '../policy/authType.ts';
import { isReservedIdentity } from '../identity/reserved.ts';
import { NS_PER_MS, NS_PER_S } from '../sim/duration.ts';
import type { Clock } from '../sim/clock.ts';
import type { Scheduler } from '../sim/scheduler.ts';
import type { CertificateProvider } from './certificateProvider.ts';
import { mutualHandshake } from './mutualHandshake.ts';

export interface AuthManagerEnv {
  readonly nodeName: string;
  readonly scheduler: Scheduler;
  readonly clock: Clock;
  readonly authMap: AuthMap;
  readonly log: AuthLog;
  readonly certs: CertificateProvider;
  /** The node with Cilium node ID `id` (0: this node), for the handshake's dial. */
  nodeById(id: number): { name: string; ip: string } | undefined;
  debug(): boolean;
  /** `mesh-auth-enabled`: without it the agent runs no auth manager and nothing answers the signals. */
  enabled(): boolean;
  /** `mesh-auth-mutual-enabled`: without it no handler is registered for the `spire` auth type. */
  mutualEnabled(): boolean;
  /** Mutual-auth listener port (mesh-auth-mutual-listener-port). */
  readonly port: number;
}

/** `mesh-auth-signal-backoff-duration`: a fresh entry is not re-authenticated within it. */
export const SIGNAL_BACKOFF_NS = NS_PER_S;
/** Time for the agent to pick a signal off its queue. */
export const SIGNAL_DELAY_NS = 100_000;

/**
 * One node's auth manager (Cilium's pkg/auth): takes the datapath's "authentication required"
 * signals, runs the handler for the policy's auth type, and writes the auth map entry that
 * lets the retransmitted packet through.
 */
export class AuthManager {
  readonly env: AuthManagerEnv;
  readonly #pending = new Set<string>();

  constructor(env: AuthManagerEnv) {
    this.env = env;
  }

  /** The datapath's signal: queue an authentication for `key`. */
  signal(key: AuthKey): void {
    if (!this.env.enabled()) return;
    this.env.scheduler.after(SIGNAL_DELAY_NS, 'auth-request', () => this.#handle(key));
  }

  /** Re-authenticates every entry involving `identity` (its certificate rotated). */
  reauthenticate(identity: number): void {
    this.#debug('Handle certificate rotation event', [['identity', String(identity)]]);
    for (const e of this.env.authMap.entries()) {
      if (e.key.localIdentity === identity || e.key.remoteIdentity === identity) this.#authenticate(e.key);
    }
  }

  /** The SVID of `identity` is gone (its entry was deleted): its entries go too. */
  forgetIdentity(identity: number): void {
    for (const e of this.env.authMap.entries()) {
      if (e.key.localIdentity !== identity && e.key.remoteIdentity !== identity) continue;
      this.#debug('Certificate delete event: deleting auth map entry', [['key', formatAuthKey(e.key)]]);
      this.env.authMap.delete(e.key);
    }
  }

  /**
   * The identity was released (the operator's identity GC freed its number): every entry naming
   * it goes at once, and a handshake still in flight for it writes nothing, so a number allocated
   * again to other labels never inherits an authentication.
   */
  identityRemoved(identity: number): void {
    for (const e of this.env.authMap.entries()) {
      const local = e.key.localIdentity === identity;
      if (!local && e.key.remoteIdentity !== identity) continue;
      this.#debug(local ? 'Deleting entry due to removed local identity' : 'Deleting entry due to removed remote identity', [
        ['key', formatAuthKey(e.key)],
      ]);
      this.env.authMap.delete(e.key);
    }
    for (const id of this.#pending) {
      const [local, remote] = id.split('/');
      if (local === String(identity) || remote === String(identity)) this.#pending.delete(id);
    }
  }

  #handle(key: AuthKey): void {
    if (isReservedIdentity(key.localIdentity) || isReservedIdentity(key.remoteIdentity)) {
      this.#write('info', 'Reserved identity, skipping authentication as reserved identities are not compatible with authentication', [
        ['key', formatAuthKey(key)],
      ]);
      return;
    }
    this.#debug('Handle authentication request', [['key', formatAuthKey(key)]]);
    const id = keyId(key);
    if (this.#pending.has(id)) {
      this.#debug('Pending authentication, skipping authentication', [['key', formatAuthKey(key)]]);
      return;
    }
    const existing = this.env.authMap.get(key);
    const now = this.env.clock.nowNs;
    if (existing !== undefined && now < existing.expiresAtNs && now - existing.storedAtNs < SIGNAL_BACKOFF_NS) {
      this.#debug('Already authenticated in the past 1s, skipping authentication', [['key', formatAuthKey(key)]]);
      return;
    }
    this.#authenticate(key);
  }

  #authenticate(key: AuthKey): void {
    const id = keyId(key);
    this.#pending.add(id);
    this.#debug('Policy is requiring authentication', [['key', formatAuthKey(key)]]);
    const fail = (err: string): void => {
      this.#write('warning', 'Failed to authenticate request', [
        ['error', `failed to authenticate with auth type ${authTypeName(key.authType)}: ${err}`],
        ['key', formatAuthKey(key)],
      ]);
      this.#clear(id);
    };
    if (key.authType === AUTH_TYPE['test-always-fail']) return fail('authenticating failed by the always-fail auth handler');
    if (key.authType !== AUTH_TYPE.required || !this.env.mutualEnabled())
      return fail(`unknown requested auth type: ${authTypeName(key.authType)}`);
    const remote = this.env.nodeById(key.remoteNodeID);
    if (remote === undefined) return fail(`remote node IP not available for node ID ${key.remoteNodeID}`);
    mutualHandshake(this.env, key, remote, {
      debug: (msg, fields) => this.#debug(msg, fields),
      failed: fail,
      succeeded: (expiresAtMs) => {
        // An identity released while the handshake ran cancelled it (see identityRemoved).
        if (!this.#pending.has(id)) return;
        const expiresAtNs = (expiresAtMs - this.env.clock.startMs) * NS_PER_MS;
        this.env.authMap.set({ key, expiresAtNs, storedAtNs: this.env.clock.nowNs });
        this.#debug('Successfully authenticated', [
          ['key', formatAuthKey(key)],
          ['remote_node_ip', remote.ip],
        ]);
        this.#clear(id);
      },
    });
  }

  #clear(id: string): void {
    this.#pending.delete(id);
    this.#debug('Clearing pending authentication', []);
  }

  #debug(msg: string, fields: readonly (readonly [string, string])[]): void {
    if (this.env.debug()) this.#write('debug', msg, fields);
  }

  #write(level: 'debug' | 'info' | 'warning', msg: string, fields: readonly (readonly [string, string])[]): void {
    this.env.log.write({ atEpochMs: this.env.clock.epochMs(), level, msg, fields, subsys: 'auth' });
  }
}

function keyId(k: AuthKey): string {
  return `${k.localIdentity}/${k.remoteIdentity}/${k.remoteNodeID}/${k.authType}`;
}
