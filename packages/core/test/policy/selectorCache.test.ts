import { describe, expect, it } from 'vitest';
import { endpointsPeer, entityPeer } from '../../src/policy/peerSelector.ts';
import { makeSelector } from '../../src/k8s/labelSelector.ts';
import { SelectorCache, type SelectorChange } from '../../src/policy/selectorCache.ts';
import { Repository } from '../../src/policy/repository.ts';
import { deathstar, policies, rule1, tiefighter, world, xwing } from './fixtures.ts';

describe('SelectorCache', () => {
  const empire = endpointsPeer(makeSelector([{ source: 'any', key: 'org', operator: 'In', values: ['empire'] }]));

  it('computes a new selector over the known identities and follows identity changes', () => {
    const cache = new SelectorCache();
    cache.upsertIdentity(deathstar);
    cache.upsertIdentity(xwing);
    expect([...cache.addSelector(empire)]).toEqual([deathstar.id]);
    expect(cache.upsertIdentity(tiefighter)).toEqual([{ key: empire.key, added: [tiefighter.id], removed: [] }]);
    expect(cache.removeIdentity(deathstar.id)).toEqual([{ key: empire.key, added: [], removed: [deathstar.id] }]);
    expect(cache.upsertIdentity(world)).toEqual([]);
  });

  it('tells only the users of a changed selector', () => {
    const cache = new SelectorCache();
    const heard: SelectorChange[][] = [];
    cache.addSelector(empire, { selectionsChanged: (c) => void heard.push([...c]) });
    cache.addSelector(entityPeer('world'));
    cache.upsertIdentity(world);
    cache.upsertIdentity(tiefighter);
    expect(heard).toEqual([[{ key: empire.key, added: [tiefighter.id], removed: [] }]]);
  });
});

describe('Repository', () => {
  it('bumps the revision on every change and reports the subjects involved', () => {
    const repo = new Repository();
    const p = policies(rule1)[0]!;
    const added = repo.upsert(p);
    expect(added.revision).toBe(2);
    expect(added.changedSubjects).toHaveLength(1);
    expect(repo.upsert(p).changedSubjects).toHaveLength(2);
    expect(repo.delete(p.source)?.revision).toBe(4);
    expect(repo.delete(p.source)).toBeUndefined();
    expect(repo.rules()).toEqual([]);
  });
});
