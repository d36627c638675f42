import type { IdentityAllocator } from '../identity/allocator.ts';
import type { Ipcache } from '../identity/ipcache.ts';
import { labelSet, labelSetKey, type Label } from '../identity/labels.ts';
import { fqdnSelectorLabel, fqdnSelectorMatches, type FqdnSelector } from '../policy/fqdn.ts';
import type { PolicyEngine } from '../policy/policyEngine.ts';
import { FqdnCache, type FqdnCacheEntry } from '../proxy/fqdnCache.ts';
import type { Scheduler } from '../sim/scheduler.ts';

export interface FqdnDnsDeps {
  readonly scheduler: Scheduler;
  readonly allocator: IdentityAllocator;
  readonly ipcache: Ipcache;
  readonly policy: PolicyEngine;
  nowNs(): number;
}

/**
 * toFQDNs: the IPs that allowed DNS answers returned for names some toFQDNs selector matches
 * become local identities labelled with those selectors (`fqdn:matchName=api.github.com`),
 * so the selector cache lets egress reach them, until their TTL runs out. IPs no answer
 * returned stay plain `world` and stay denied.
 */
export class FqdnDns {
  readonly cache: FqdnCache;
  readonly #d: FqdnDnsDeps;
  /** IP -> the key of the local identity it holds. */
  readonly #ipIdentity = new Map<string, string>();

  constructor(d: FqdnDnsDeps) {
    this.#d = d;
    this.cache = new FqdnCache(d.scheduler, (e) => this.#expire(e));
  }

  learn(_clientIp: string, name: string, ips: readonly string[], ttlS: number): void {
    const selectors = this.#selectorsMatching(name);
    if (selectors.length === 0) return;
    for (const ip of ips) {
      this.cache.learn(name.replace(/\.$/, ''), ip, ttlS);
      this.#assign(ip);
    }
  }

  /** Every toFQDNs selector of the repository that matches `name`. */
  #selectorsMatching(name: string): FqdnSelector[] {
    const out = new Map<string, FqdnSelector>();
    for (const { rule } of this.#d.policy.repository.rules()) {
      for (const peerRule of rule.egress) {
        for (const peer of peerRule.peers) {
          if (peer.kind === 'fqdn' && fqdnSelectorMatches(peer.fqdn, name)) out.set(peer.key, peer.fqdn);
        }
      }
    }
    return [...out.values()];
  }

  /** Gives `ip` the identity of every selector matching any name it is leased under. */
  #assign(ip: string): void {
    const names = this.cache.list().filter((e) => e.ip === ip).map((e) => e.name);
    const labels: Label[] = [{ source: 'reserved', key: 'world', value: '' }, { source: 'cidr', key: `${ip}/32`, value: '' }];
    for (const name of names) for (const sel of this.#selectorsMatching(name)) labels.push(fqdnSelectorLabel(sel));
    const set = labelSet(labels);
    const key = `fqdn-ip:${ip}:${labelSetKey(set)}`;
    const old = this.#ipIdentity.get(ip);
    if (old === key) return;
    const { identity, created } = this.#d.allocator.acquireLocal(key, set, this.#d.nowNs(), `${ip}/32`);
    if (created) this.#d.policy.upsertIdentity({ id: identity.id, labels: set, cidr: `${ip}/32` });
    this.#d.ipcache.upsertPrefix(`${ip}/32`, identity.id);
    this.#ipIdentity.set(ip, key);
    if (old !== undefined) this.#release(old);
  }

  #expire(e: FqdnCacheEntry): void {
    if (this.cache.holds(e.ip)) {
      this.#assign(e.ip);
      return;
    }
    const key = this.#ipIdentity.get(e.ip);
    if (key === undefined) return;
    this.#ipIdentity.delete(e.ip);
    this.#d.ipcache.deletePrefix(`${e.ip}/32`);
    this.#release(key);
  }

  #release(key: string): void {
    const freed = this.#d.allocator.releaseLocal(key);
    if (freed !== undefined) this.#d.policy.removeIdentity(freed.id);
  }
}
