import type { Scheduler } from '../sim/scheduler.ts';
import { NS_PER_S } from '../sim/duration.ts';

export interface FqdnCacheEntry {
  readonly name: string;
  readonly ip: string;
  readonly expiresAtNs: number;
}

/**
 * The agent's DNS cache for toFQDNs (`cilium fqdn cache list`): which IPs allowed DNS answers
 * returned for which names, until their TTL runs out (tofqdns-min-ttl 0: the record's TTL).
 * `onExpire` fires for an (name, ip) pair whose last lease ended.
 */
export class FqdnCache {
  readonly #scheduler: Scheduler;
  readonly #entries = new Map<string, FqdnCacheEntry>();
  readonly #onExpire: (e: FqdnCacheEntry) => void;

  constructor(scheduler: Scheduler, onExpire: (e: FqdnCacheEntry) => void) {
    this.#scheduler = scheduler;
    this.#onExpire = onExpire;
  }

  /** Records an answer; returns true when (name, ip) is new. */
  learn(name: string, ip: string, ttlS: number): boolean {
    const key = `${name}|${ip}`;
    const existing = this.#entries.get(key);
    const expiresAtNs = this.#scheduler.clock.nowNs + ttlS * NS_PER_S;
    this.#entries.set(key, { name, ip, expiresAtNs });
    this.#scheduler.at(expiresAtNs, 'fqdn-expire', () => {
      const e = this.#entries.get(key);
      if (e !== undefined && e.expiresAtNs <= this.#scheduler.clock.nowNs) {
        this.#entries.delete(key);
        this.#onExpire(e);
      }
    }, { background: true });
    return existing === undefined;
  }

  /** True while some name still leases `ip`. */
  holds(ip: string): boolean {
    for (const e of this.#entries.values()) if (e.ip === ip) return true;
    return false;
  }

  list(): FqdnCacheEntry[] {
    return [...this.#entries.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.ip < b.ip ? -1 : 1));
  }
}
