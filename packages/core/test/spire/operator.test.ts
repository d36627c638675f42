import { describe, expect, it } from 'vitest';
import { Clock } from '../../src/sim/clock.ts';
import { Rng } from '../../src/sim/rng.ts';
import { Scheduler } from '../../src/sim/scheduler.ts';
import { ensureCiliumEntries, identityOfSpiffeId, syncIdentityEntries } from '../../src/spire/operator.ts';
import { SpireServer } from '../../src/spire/server.ts';

function newServer(): SpireServer {
  const clock = new Clock();
  return new SpireServer({ clock, scheduler: new Scheduler(clock), rng: Rng.seeded(1) });
}

const ids = (server: SpireServer) => server.listEntries().map((e) => e.spiffeId);

describe('Cilium SPIRE entries', () => {
  it('ensures the node, cilium-agent and cilium-operator entries once', () => {
    const server = newServer();

    const first = ensureCiliumEntries(server);
    const second = ensureCiliumEntries(server);

    expect(first.ok && first.created.length).toBe(3);
    expect(second.ok && second.created.length).toBe(0);
    expect(ids(server)).toEqual([
      'spiffe://spiffe.cilium/cilium-agent',
      'spiffe://spiffe.cilium/cilium-operator',
      'spiffe://spiffe.cilium/ns/cilium-spire/sa/spire-agent',
    ]);
  });

  it('creates one identity entry per Cilium identity and deletes those of identities that are gone', () => {
    const server = newServer();
    syncIdentityEntries(server, [17947, 39239, 2]);

    const result = syncIdentityEntries(server, [39239, 40000]);

    expect(result.ok && result.created.map((e) => e.spiffeId)).toEqual(['spiffe://spiffe.cilium/identity/40000']);
    expect(result.ok && result.deleted.map((e) => e.spiffeId)).toEqual(['spiffe://spiffe.cilium/identity/17947']);
    expect(server.listEntries().map((e) => [e.spiffeId, e.parentId, e.selectors])).toEqual([
      ['spiffe://spiffe.cilium/identity/39239', 'spiffe://spiffe.cilium/cilium-operator', [{ type: 'cilium', value: 'mutual-auth' }]],
      ['spiffe://spiffe.cilium/identity/40000', 'spiffe://spiffe.cilium/cilium-operator', [{ type: 'cilium', value: 'mutual-auth' }]],
    ]);
  });

  it('gives reserved identities no entry', () => {
    const server = newServer();

    syncIdentityEntries(server, [1, 2, 8, 255]);

    expect(server.listEntries()).toEqual([]);
  });

  it('reports a failed sync while the server is down, and catches up once it is back', () => {
    const server = newServer();
    server.setHealthy(false);

    const down = syncIdentityEntries(server, [300]);
    server.setHealthy(true);
    const up = syncIdentityEntries(server, [300]);

    expect(down).toEqual({ ok: false, error: expect.stringContaining('rpc error: code = Unavailable') });
    expect(up.ok && up.created).toHaveLength(1);
  });

  it('reads the identity number back from a SPIFFE ID', () => {
    expect(identityOfSpiffeId('spiffe.cilium', 'spiffe://spiffe.cilium/identity/17947')).toBe(17947);
    expect(identityOfSpiffeId('spiffe.cilium', 'spiffe://spiffe.cilium/cilium-agent')).toBeUndefined();
  });
});
