import type { Scheduler } from '../sim/scheduler.ts';
import { NS_PER_S } from '../sim/duration.ts';

export interface FqdnCacheEntry {
  readonly name: string;
  readonly ip: string;
  readonly expiresAtNs: number;
}

/**
 * The agent's DNS cache (`cilium fqdn cache list`): which IPs the answers the DNS proxy
 * forwarded returned for which names, each until its TTL runs out. A new answer for the same
 * (name, ip) renews the lease. `onExpire` fires when a lease ends without renewal.
 */
export class FqdnCache {
  readonly #scheduler: Scheduler;
  readonly #entries = new Map<string, FqdnCacheEntry>();
  /** IP -> the names leasing it, so lookups by address need no scan. */
  readonly #byIp = new Map<string, Set<string>>();
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
    let names = this.#byIp.get(ip);
    if (names === undefined) this.#byIp.set(ip, (names = new Set()));
    names.add(name);
    this.#scheduler.at(
      expiresAtNs,
      'fqdn-expire',
      () => {
        const e = this.#entries.get(key);
        // A renewed lease has a later expiry; its own event will end it.
        if (e === undefined || e.expiresAtNs > this.#scheduler.clock.nowNs) return;
        this.#entries.delete(key);
        const leasing = this.#byIp.get(ip);
        leasing?.delete(name);
        if (leasing?.size === 0) this.#byIp.delete(ip);
        this.#onExpire(e);
      },
      { background: true },
    );
    return existing === undefined;
  }

  /** True while some name still leases `ip`. */
  holds(ip: string): boolean {
    return this.#byIp.has(ip);
  }

  /** The names leasing `ip`, sorted. */
  namesOf(ip: string): string[] {
    return [...(this.#byIp.get(ip) ?? [])].sort();
  }

  /** Every lease, by name then IP. */
  list(): FqdnCacheEntry[] {
    return [...this.#entries.values()].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0,
    );
  }
}
