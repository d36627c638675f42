import { describe, expect, it } from 'vitest';
import { Clock } from '../../src/sim/clock.ts';
import { NS_PER_H } from '../../src/sim/duration.ts';
import { Rng } from '../../src/sim/rng.ts';
import { Scheduler } from '../../src/sim/scheduler.ts';
import { CaManager, type CaEvent } from '../../src/spire/ca.ts';
import { mintX509Svid, verifySvidChain } from '../../src/spire/svid.ts';

function setup() {
  const clock = new Clock();
  const scheduler = new Scheduler(clock);
  const ca = new CaManager({ clock, scheduler, rng: Rng.seeded(1).fork('ca'), trustDomain: 'spiffe.cilium' });
  const events: CaEvent['type'][] = [];
  ca.subscribe((e) => events.push(e.type));
  const mint = () =>
    mintX509Svid({
      authority: ca.active,
      spiffeId: 'spiffe://spiffe.cilium/identity/300',
      nowMs: clock.epochMs(),
      ttlNs: NS_PER_H,
      rng: Rng.seeded(2),
    });
  return { clock, scheduler, ca, events, mint };
}

describe('CA rotation', () => {
  it('starts with one self-signed CA valid for 24h', () => {
    const { ca, clock } = setup();

    expect(ca.authorities()).toHaveLength(1);
    expect(ca.active.certificate.isCa).toBe(true);
    expect(ca.active.certificate.notAfterMs - clock.epochMs()).toBe(24 * 3_600_000);
    expect(ca.active.certificate.uriSans).toEqual(['spiffe://spiffe.cilium']);
  });

  it('prepares the next CA at half-life and adds it to the bundle before it signs anything', () => {
    const { ca, scheduler, events } = setup();
    const first = ca.active;

    scheduler.runUntil(12 * NS_PER_H);

    expect(events).toEqual(['prepared']);
    expect(ca.active).toBe(first);
    expect(ca.authorities()).toHaveLength(2);
  });

  it('activates the next CA in the last sixth of the lifetime while the bundle holds old and new', () => {
    const { ca, scheduler, events, mint, clock } = setup();
    const first = ca.active;
    scheduler.runUntil(19.5 * NS_PER_H);
    const oldSvid = mint();

    scheduler.runUntil(20 * NS_PER_H);
    const newSvid = mint();

    expect(events).toEqual(['prepared', 'activated']);
    expect(ca.active).not.toBe(first);
    const bundle = ca.authorities().map((a) => a.certificate);
    expect(bundle).toHaveLength(2);
    expect(verifySvidChain(oldSvid.certificate, bundle, clock.epochMs()).ok).toBe(true);
    expect(verifySvidChain(newSvid.certificate, bundle, clock.epochMs()).ok).toBe(true);
    expect(newSvid.certificate.issuer).toBe(ca.active.certificate.subject);
  });

  it('drops the old CA from the bundle when it expires, and keeps rotating', () => {
    const { ca, scheduler, events } = setup();
    const first = ca.active;

    scheduler.runUntil(20 * NS_PER_H);
    const second = ca.active;

    scheduler.runUntil(24 * NS_PER_H);

    // At 24h the first CA expires just as the second reaches its own half-life.
    expect(events).toEqual(['prepared', 'activated', 'pruned', 'prepared']);
    expect(ca.authorities()).not.toContain(first);
    expect(ca.authorities()[0]).toBe(second);

    scheduler.runUntil(48 * NS_PER_H);
    // Each CA lives 24h from its preparation: activations at 20h, 32h and 44h.
    expect(events.filter((e) => e === 'activated')).toHaveLength(3);
  });

  it('keeps runUntilIdle from looping: rotation timers are background events', () => {
    const { scheduler } = setup();

    expect(scheduler.runUntilIdle()).toBe(0);
  });

  it('prints the bundle as concatenated PEM certificates', () => {
    const { ca, scheduler } = setup();
    scheduler.runUntil(12 * NS_PER_H);

    expect(ca.bundlePem().match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(2);
  });
});
