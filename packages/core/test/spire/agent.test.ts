import { describe, expect, it } from 'vitest';
import { Clock } from '../../src/sim/clock.ts';
import { NS_PER_MIN, NS_PER_S } from '../../src/sim/duration.ts';
import { Rng } from '../../src/sim/rng.ts';
import { Scheduler } from '../../src/sim/scheduler.ts';
import { SpireAgent, type SvidEvent } from '../../src/spire/agent.ts';
import { ensureCiliumEntries, syncIdentityEntries } from '../../src/spire/operator.ts';
import { SpireServer } from '../../src/spire/server.ts';
import { SpireStatusError } from '../../src/spire/spireStatusError.ts';
import { verifySvidChain } from '../../src/spire/svid.ts';

const CILIUM_AGENT = 'spiffe://spiffe.cilium/cilium-agent';
const ID_300 = 'spiffe://spiffe.cilium/identity/300';

function setup() {
  const clock = new Clock();
  const scheduler = new Scheduler(clock);
  const server = new SpireServer({ clock, scheduler, rng: Rng.seeded(1).fork('spire') });
  ensureCiliumEntries(server);
  syncIdentityEntries(server, [300]);
  const agent = new SpireAgent({ server, clock, scheduler, nodeName: 'kind-worker', nodeUid: 'uid-1' });
  agent.start();
  const events: SvidEvent[] = [];
  const sub = agent.subscribeX509Svids(CILIUM_AGENT, ['cilium:mutual-auth'], (e) => events.push(e));
  const verifyAt = (ms: number) =>
    verifySvidChain(
      agent.svidFor(ID_300)!.certificate,
      server.ca.authorities().map((a) => a.certificate),
      ms,
      ID_300,
    );
  return { clock, scheduler, server, agent, events, sub, verifyAt };
}

function thrown(fn: () => unknown): SpireStatusError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SpireStatusError) return e;
    throw e;
  }
  throw new Error('expected a SpireStatusError');
}

describe('SpireAgent delegated identity API', () => {
  it('delivers the SVIDs of cilium:mutual-auth entries to the Cilium agent at once', () => {
    const { events, sub, agent } = setup();

    expect(events.map((e) => [e.type, e.spiffeId])).toEqual([['updated', ID_300]]);
    expect(sub.svids().map((s) => s.spiffeId)).toEqual([ID_300]);
    expect(agent.agentId).toBe('spiffe://spiffe.cilium/spire/agent/k8s_psat/default/uid-1');
  });

  it('refuses a caller that has an entry but is not an authorized delegate', () => {
    const { agent } = setup();

    const e = thrown(() => agent.subscribeX509Svids('spiffe://spiffe.cilium/cilium-operator', ['cilium:mutual-auth'], () => {}));

    expect([e.code, e.desc]).toEqual(['PermissionDenied', 'caller not configured as an authorized delegate']);
  });

  it('refuses a caller with no entry at all', () => {
    const { agent } = setup();

    const e = thrown(() => agent.subscribeX509Svids('spiffe://spiffe.cilium/ns/default/sa/attacker', ['cilium:mutual-auth'], () => {}));

    expect([e.code, e.desc]).toEqual(['PermissionDenied', 'no identity issued']);
  });

  it('picks up entries created on the server and tells subscribers when one is deleted', () => {
    const { server, scheduler, events } = setup();

    syncIdentityEntries(server, [300, 400]);
    scheduler.runUntilIdle();
    syncIdentityEntries(server, [400]);
    scheduler.runUntilIdle();

    expect(events.map((e) => `${e.type} ${e.spiffeId}`)).toEqual([
      `updated ${ID_300}`,
      'updated spiffe://spiffe.cilium/identity/400',
      `deleted ${ID_300}`,
    ]);
  });
});

describe('SpireAgent SVID rotation', () => {
  it('rotates an SVID once half its lifetime has passed and tells subscribers', () => {
    const { scheduler, events, agent } = setup();
    const first = agent.svidFor(ID_300)!;

    scheduler.runUntil(29 * NS_PER_MIN);
    const beforeHalf = events.length;
    scheduler.runUntil(31 * NS_PER_MIN);

    expect(beforeHalf).toBe(1);
    expect(events).toHaveLength(2);
    expect(events[1]!.type).toBe('updated');
    expect(events[1]!.svid.serial).not.toBe(first.serial);
    expect(events[1]!.svid.expiresAtMs).toBeGreaterThan(first.expiresAtMs);
  });

  it('keeps SVIDs valid forever while the server is up', () => {
    const { scheduler, clock, verifyAt } = setup();

    scheduler.runUntil(30 * 60 * NS_PER_MIN);

    expect(verifyAt(clock.epochMs()).ok).toBe(true);
  });
});

describe('SpireAgent while the SPIRE server is down', () => {
  it('keeps using the cached SVID until it expires, then recovers when the server is back', () => {
    const { server, scheduler, clock, events, verifyAt } = setup();
    server.setHealthy(false);

    scheduler.runUntil(45 * NS_PER_MIN);
    const validAt45m = verifyAt(clock.epochMs()).ok;
    scheduler.runUntil(61 * NS_PER_MIN);
    const validAt61m = verifyAt(clock.epochMs()).ok;
    server.setHealthy(true);
    scheduler.runUntil(61 * NS_PER_MIN + 10 * NS_PER_S);

    expect([validAt45m, validAt61m]).toEqual([true, false]);
    expect(verifyAt(clock.epochMs()).ok).toBe(true);
    expect(events.filter((e) => e.type === 'updated')).toHaveLength(2);
  });

  it('cannot fetch an SVID for a new entry until the server is back', () => {
    const { server, scheduler, agent } = setup();
    syncIdentityEntries(server, [300, 500]);
    server.setHealthy(false);

    scheduler.runUntil(NS_PER_MIN);
    const whileDown = agent.svidFor('spiffe://spiffe.cilium/identity/500');
    server.setHealthy(true);
    scheduler.runUntil(2 * NS_PER_MIN);

    expect(whileDown).toBeUndefined();
    expect(agent.svidFor('spiffe://spiffe.cilium/identity/500')).toBeDefined();
  });
});

describe('SpireAgent stop and start (agent-down fault)', () => {
  it('refuses delegated API calls while stopped and serves new SVIDs after a restart', () => {
    const { agent } = setup();
    agent.stop();

    const e = thrown(() => agent.subscribeX509Svids(CILIUM_AGENT, ['cilium:mutual-auth'], () => {}));
    agent.start();

    expect(e.code).toBe('Unavailable');
    expect(agent.subscribeX509Svids(CILIUM_AGENT, ['cilium:mutual-auth'], () => {}).svids()).toHaveLength(1);
  });
});

describe('SpireAgent determinism', () => {
  it('produces byte-identical SVIDs from the same seed', () => {
    const a = setup().agent.svidFor(ID_300)!;
    const b = setup().agent.svidFor(ID_300)!;

    expect(Buffer.from(a.certificate.der).equals(Buffer.from(b.certificate.der))).toBe(true);
  });
});
