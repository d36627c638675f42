import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSimError } from '../../src/errors.ts';
import { Clock } from '../../src/sim/clock.ts';
import { Rng } from '../../src/sim/rng.ts';
import { Scheduler } from '../../src/sim/scheduler.ts';
import { selectorsMatch, type Selector } from '../../src/spire/entry.ts';
import { SpireServer } from '../../src/spire/server.ts';
import { SpireStatusError } from '../../src/spire/spireStatusError.ts';
import { verifySvidChain } from '../../src/spire/svid.ts';

function newServer(seed = 1): SpireServer {
  const clock = new Clock();
  return new SpireServer({ clock, scheduler: new Scheduler(clock), rng: Rng.seeded(seed).fork('spire') });
}

const TD = 'spiffe://spiffe.cilium';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('SpireServer registration entries', () => {
  it('creates entries with UUIDs from the seed, revision 0 and sorted selectors', () => {
    const a = newServer(1).createEntry({ spiffeId: `${TD}/x`, parentId: `${TD}/p`, selectors: ['k8s:sa:cilium', 'k8s:ns:kube-system'] });
    const b = newServer(1).createEntry({ spiffeId: `${TD}/x`, parentId: `${TD}/p`, selectors: ['k8s:sa:cilium', 'k8s:ns:kube-system'] });

    expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.id).toBe(b.id);
    expect(a.revision).toBe(0);
    expect(a.selectors).toEqual([
      { type: 'k8s', value: 'ns:kube-system' },
      { type: 'k8s', value: 'sa:cilium' },
    ]);
  });

  it('refuses a similar entry (same SPIFFE ID, parent and selectors) with AlreadyExists', () => {
    const server = newServer();
    server.createEntry({ spiffeId: `${TD}/x`, parentId: `${TD}/p`, selectors: ['a:1', 'b:2'] });

    const e = thrown(() => server.createEntry({ spiffeId: `${TD}/x`, parentId: `${TD}/p`, selectors: ['b:2', 'a:1'] }));

    expect(e).toBeInstanceOf(SpireStatusError);
    expect((e as SpireStatusError).message).toBe('rpc error: code = AlreadyExists desc = similar entry already exists');
    expect(server.createEntry({ spiffeId: `${TD}/x`, parentId: `${TD}/p`, selectors: ['a:1'] }).spiffeId).toBe(`${TD}/x`);
  });

  it('reports every problem of a bad entry in one SimError and stores nothing', () => {
    const server = newServer();

    const e = thrown(() => server.createEntry({ spiffeId: 'spiffe://spiffe.cilium/a//b', parentId: 'http://x', selectors: ['nocolon'] }));

    expect(isSimError(e) && e.issues.map((i) => [i.code, i.path])).toEqual([
      ['INVALID_SPIFFE_ID', 'spiffeID'],
      ['INVALID_SPIFFE_ID', 'parentID'],
      ['INVALID_FIELD', 'selectors[0]'],
    ]);
    expect(server.listEntries()).toEqual([]);
  });

  it('refuses SPIFFE IDs of another trust domain', () => {
    const e = thrown(() => newServer().createEntry({ spiffeId: 'spiffe://other.org/x', parentId: `${TD}/p`, selectors: ['a:1'] }));

    expect(isSimError(e) && e.code).toBe('INVALID_SPIFFE_ID');
  });

  it('gives node entries the server as parent', () => {
    const entry = newServer().createEntry({ spiffeId: `${TD}/node`, node: true, selectors: ['k8s_psat:agent_ns:cilium-spire'] });

    expect(entry.parentId).toBe(`${TD}/spire/server`);
  });

  it('bumps the revision on update and deletes by ID', () => {
    const server = newServer();
    const e = server.createEntry({ spiffeId: `${TD}/x`, parentId: `${TD}/p`, selectors: ['a:1'] });

    const updated = server.updateEntry(e.id, { spiffeId: `${TD}/x`, parentId: `${TD}/p`, selectors: ['a:1'], x509SvidTtl: 600 });
    server.deleteEntry(e.id);

    expect(updated.revision).toBe(1);
    expect(updated.x509SvidTtl).toBe(600);
    expect((thrown(() => server.getEntry(e.id)) as SpireStatusError).code).toBe('NotFound');
  });

  it('lists entries in SPIRE order (SPIFFE ID, then parent), filtered by ID, parent and selectors', () => {
    const server = newServer();
    server.createEntry({ spiffeId: `${TD}/son`, parentId: `${TD}/father`, selectors: ['foo:bar'] });
    server.createEntry({ spiffeId: `${TD}/daughter`, parentId: `${TD}/mother`, selectors: ['bar:baz', 'baz:bat'] });
    server.createEntry({ spiffeId: `${TD}/daughter`, parentId: `${TD}/father`, selectors: ['foo:bar', 'bar:baz'] });

    const order = server.listEntries().map((e) => `${e.spiffeId.slice(TD.length)}<${e.parentId.slice(TD.length)}`);
    const bySelector = server.listEntries({ selectors: [{ type: 'bar', value: 'baz' }] }).map((e) => e.parentId);
    const exact = server.listEntries({ selectors: [{ type: 'foo', value: 'bar' }], match: 'exact' }).map((e) => e.spiffeId);

    expect(order).toEqual(['/daughter</father', '/daughter</mother', '/son</father']);
    expect(bySelector).toEqual([`${TD}/father`, `${TD}/mother`]);
    expect(exact).toEqual([`${TD}/son`]);
    expect(server.listEntries({ parentId: `${TD}/mother` })).toHaveLength(1);
  });

  it('fails every API call with Unavailable while down and changes nothing', () => {
    const server = newServer();
    server.setHealthy(false);

    const e = thrown(() => server.createEntry({ spiffeId: `${TD}/x`, parentId: `${TD}/p`, selectors: ['a:1'] }));

    expect((e as SpireStatusError).code).toBe('Unavailable');
    expect((thrown(() => server.mintX509Svid(`${TD}/x`)) as SpireStatusError).code).toBe('Unavailable');
    server.setHealthy(true);
    expect(server.listEntries()).toEqual([]);
  });
});

describe('selector matching', () => {
  const selector = fc.record({ type: fc.constantFrom('a', 'b'), value: fc.constantFrom('1', '2', '3') });
  const list = fc.uniqueArray(selector, { selector: (s) => `${s.type}:${s.value}`, maxLength: 4 });

  it('exact holds when superset and subset both hold', () => {
    fc.assert(
      fc.property(list, list, (entry: Selector[], filter: Selector[]) => {
        expect(selectorsMatch(entry, filter, 'exact')).toBe(
          selectorsMatch(entry, filter, 'superset') && selectorsMatch(entry, filter, 'subset'),
        );
      }),
    );
  });

  it('superset of a non-empty filter implies any', () => {
    fc.assert(
      fc.property(
        list,
        list.filter((l) => l.length > 0),
        (entry, filter) => {
          if (selectorsMatch(entry, filter, 'superset')) expect(selectorsMatch(entry, filter, 'any')).toBe(true);
        },
      ),
    );
  });
});

describe('SpireServer node attestation and signing', () => {
  it('attests a k8s_psat agent under its node UID with a 1h agent SVID', () => {
    const server = newServer();

    const { agent, svid } = server.attestAgent('kind-worker', '64745bf2-bd9d-4e42-bb2b-e095a6b65121', 'default');

    expect(agent.spiffeId).toBe(`${TD}/spire/agent/k8s_psat/default/64745bf2-bd9d-4e42-bb2b-e095a6b65121`);
    expect(agent).toMatchObject({ attestationType: 'k8s_psat', canReattest: true, serial: svid.serial, expiresAtMs: svid.expiresAtMs });
    expect(svid.certificate.uriSans).toEqual([agent.spiffeId]);
    expect(server.listAgents()).toEqual([agent]);
  });

  it('mints SVIDs that verify against its bundle', () => {
    const server = newServer();

    const svid = server.mintX509Svid(`${TD}/identity/1234`);

    expect(verifySvidChain(svid.certificate, server.bundle(), svid.notBeforeMs + 20_000, `${TD}/identity/1234`).ok).toBe(true);
  });

  it('authorizes an agent for entries under its node alias and everything below them', () => {
    const server = newServer();
    const { agent } = server.attestAgent('n1', 'uid-1', 'default');
    server.createEntry({
      spiffeId: `${TD}/ns/cilium-spire/sa/spire-agent`,
      node: true,
      selectors: ['k8s_psat:agent_ns:cilium-spire', 'k8s_psat:agent_sa:spire-agent'],
    });
    server.createEntry({
      spiffeId: `${TD}/cilium-operator`,
      parentId: `${TD}/ns/cilium-spire/sa/spire-agent`,
      selectors: ['k8s:sa:cilium-operator'],
    });
    server.createEntry({ spiffeId: `${TD}/identity/300`, parentId: `${TD}/cilium-operator`, selectors: ['cilium:mutual-auth'] });
    server.createEntry({ spiffeId: `${TD}/elsewhere`, parentId: `${TD}/other-agent`, selectors: ['x:y'] });

    expect(server.authorizedEntries(agent.spiffeId).map((e) => e.spiffeId)).toEqual([`${TD}/cilium-operator`, `${TD}/identity/300`]);
  });
});
