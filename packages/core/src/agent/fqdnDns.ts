import type { IdentityAllocator } from '../identity/allocator.ts';
import type { Ipcache } from '../identity/ipcache.ts';
import { labelSet, labelSetKey, type Label } from '../identity/labels.ts';
import { isClusterAddress } from '../k8s/ipam.ts';
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
  /** `tofqdns-min-ttl` in seconds: shorter record TTLs are raised to it. Absent or 0: the record's TTL. */
  minTtlS?(): number;
  /** A leading `**.` in toFQDNs matches any depth (Cilium 1.19); before, one label. Default true. */
  readonly doubleStarAnyDepth?: boolean;
}

/**
 * toFQDNs, as the agent's DNS proxy feeds it. Every answer the proxy forwards is cached for
 * its TTL (`cilium fqdn cache list`; Hubble names addresses from it). The IPs of names some
 * toFQDNs selector matches become local identities labelled with those selectors
 * (`fqdn:matchName=api.github.com`), so the selector cache lets egress reach them until the
 * last lease runs out. IPs no allowed answer returned stay plain `world` and stay denied, and
 * addresses inside the cluster are never selected.
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

  /** An answer the DNS proxy forwarded to `_clientIp`: `name` has `ips` for `ttlS` seconds. */
  learn(_clientIp: string, name: string, ips: readonly string[], ttlS: number): void {
    const fqdn = name.toLowerCase().replace(/\.$/, '');
    const ttl = Math.max(ttlS, this.#d.minTtlS?.() ?? 0);
    for (const ip of ips) {
      if (this.#inCluster(ip)) continue;
      this.cache.learn(fqdn, ip, ttl);
      this.#assign(ip);
    }
  }

  /** The names `ip` is currently leased under, sorted: what Hubble prints instead of the IP. */
  namesOf(ip: string): string[] {
    return this.cache.namesOf(ip);
  }

  /** The cluster's own addresses (endpoints, nodes, pod and service ranges): toFQDNs never selects them. */
  #inCluster(ip: string): boolean {
    return this.#d.ipcache.get(ip) !== undefined || isClusterAddress(ip);
  }

  /** Every toFQDNs selector of the repository that matches `name`. */
  #selectorsMatching(name: string): FqdnSelector[] {
    const out = new Map<string, FqdnSelector>();
    for (const { rule } of this.#d.policy.repository.rules()) {
      for (const peerRule of rule.egress) {
        for (const peer of peerRule.peers) {
          if (peer.kind === 'fqdn' && fqdnSelectorMatches(peer.fqdn, name, this.#d.doubleStarAnyDepth)) out.set(peer.key, peer.fqdn);
        }
      }
    }
    return [...out.values()];
  }

  /**
   * Gives `ip` the identity of every selector matching a name it is leased under; with no such
   * selector left (no lease, or only names no policy selects) the IP goes back to `world`.
   */
  #assign(ip: string): void {
    const labels: Label[] = [];
    for (const name of this.cache.namesOf(ip)) for (const sel of this.#selectorsMatching(name)) labels.push(fqdnSelectorLabel(sel));
    if (labels.length === 0) {
      this.#unassign(ip);
      return;
    }
    const set = labelSet([{ source: 'reserved', key: 'world', value: '' }, { source: 'cidr', key: `${ip}/32`, value: '' }, ...labels]);
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
    this.#assign(e.ip);
  }

  #unassign(ip: string): void {
    const key = this.#ipIdentity.get(ip);
    if (key === undefined) return;
    this.#ipIdentity.delete(ip);
    this.#d.ipcache.deletePrefix(`${ip}/32`);
    this.#release(key);
  }

  #release(key: string): void {
    const freed = this.#d.allocator.releaseLocal(key);
    if (freed !== undefined) this.#d.policy.removeIdentity(freed.id);
  }
}
