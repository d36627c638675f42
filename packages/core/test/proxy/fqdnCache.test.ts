import { describe, expect, it } from 'vitest';
import { Clock } from '../../src/sim/clock.ts';
import { NS_PER_S } from '../../src/sim/duration.ts';
import { Scheduler } from '../../src/sim/scheduler.ts';
import { FqdnCache, type FqdnCacheEntry } from '../../src/proxy/fqdnCache.ts';

function setup(): { scheduler: Scheduler; cache: FqdnCache; expired: FqdnCacheEntry[] } {
  const scheduler = new Scheduler(new Clock(0));
  const expired: FqdnCacheEntry[] = [];
  return { scheduler, cache: new FqdnCache(scheduler, (e) => expired.push(e)), expired };
}

describe('the FQDN cache', () => {
  it('holds a lease for its TTL, then lets it go and reports it once', () => {
    const { scheduler, cache, expired } = setup();
    expect(cache.learn('api.github.com', '140.82.121.6', 30)).toBe(true);
    scheduler.runUntil(29 * NS_PER_S);
    expect(cache.holds('140.82.121.6')).toBe(true);
    scheduler.runUntil(30 * NS_PER_S);
    expect(cache.holds('140.82.121.6')).toBe(false);
    expect(expired.map((e) => e.name)).toEqual(['api.github.com']);
  });

  it('renews a lease on a new answer, so only the later expiry ends it', () => {
    const { scheduler, cache, expired } = setup();
    cache.learn('api.github.com', '140.82.121.6', 30);
    scheduler.runUntil(20 * NS_PER_S);
    expect(cache.learn('api.github.com', '140.82.121.6', 30)).toBe(false);
    scheduler.runUntil(45 * NS_PER_S);
    expect(cache.holds('140.82.121.6')).toBe(true);
    scheduler.runUntil(50 * NS_PER_S);
    expect(expired).toHaveLength(1);
  });

  it('names an address by every name leasing it, and lists leases by name then IP', () => {
    const { cache } = setup();
    cache.learn('www.cilium.io', '104.198.14.52', 30);
    cache.learn('amit.cilium.rocks', '104.198.14.52', 30);
    cache.learn('amit.cilium.rocks', '104.198.14.53', 30);
    expect(cache.namesOf('104.198.14.52')).toEqual(['amit.cilium.rocks', 'www.cilium.io']);
    expect(cache.list().map((e) => `${e.name} ${e.ip}`)).toEqual([
      'amit.cilium.rocks 104.198.14.52',
      'amit.cilium.rocks 104.198.14.53',
      'www.cilium.io 104.198.14.52',
    ]);
  });
});
