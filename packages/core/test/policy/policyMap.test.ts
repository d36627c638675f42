import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PolicyMap, portBlocks, type PolicyMapEntry, type PolicyMapKey } from '../../src/policy/policyMap.ts';

const allow: PolicyMapEntry = {
  deny: false,
  authType: 0,
  hasExplicitAuth: false,
  derivedFrom: [{ kind: 'CiliumNetworkPolicy', namespace: 'default', name: 'a' }],
};
const deny: PolicyMapEntry = { ...allow, deny: true };
const key = (identity: number, proto: number, port: number, portPrefixLength: number): PolicyMapKey => ({
  identity,
  direction: 'INGRESS',
  proto,
  port,
  portPrefixLength,
});

describe('portBlocks', () => {
  it('covers a range exactly with disjoint prefix-aligned blocks', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 0, max: 3000 }), (start, len) => {
        const end = Math.min(65535, start + len);
        let next = start;
        for (const b of portBlocks(start, end)) {
          const size = 2 ** (16 - b.prefixLength);
          expect(b.port).toBe(next);
          expect(b.port % size).toBe(0);
          next += size;
        }
        expect(next).toBe(end + 1);
      }),
    );
  });

  it('splits the port-range example 80..444 into nine blocks', () => {
    expect(portBlocks(80, 444).map((b) => `${b.port}/${b.prefixLength}`)).toEqual([
      '80/12',
      '96/11',
      '128/9',
      '256/9',
      '384/11',
      '416/12',
      '432/13',
      '440/14',
      '444/16',
    ]);
  });
});

describe('PolicyMap', () => {
  it('lets a deny on the wildcard identity beat an identity-specific allow', () => {
    const m = new PolicyMap({ ingress: true, egress: false });
    m.applyChanges(
      [
        [key(300, 6, 80, 16), allow],
        [key(0, 0, 0, 0), deny],
      ],
      [],
    );
    expect(m.lookup(300, 'INGRESS', 6, 80)).toMatchObject({ allowed: false, denied: true, matchType: 'all' });
  });

  it('prefers a proxy redirect, then the longer prefix, then the specific identity', () => {
    const m = new PolicyMap({ ingress: true, egress: true });
    const l7: PolicyMapEntry = { ...allow, l7: { http: [{}] } };
    m.applyChanges(
      [
        [key(300, 0, 0, 0), allow],
        [key(0, 6, 80, 16), l7],
      ],
      [],
    );
    expect(m.lookup(300, 'INGRESS', 6, 80)).toMatchObject({ matchType: 'L4-Only', l7: { http: [{}] } });
    m.applyChanges(
      [
        [key(0, 6, 80, 16), allow],
        [key(300, 6, 0, 0), allow],
      ],
      [],
    );
    expect(m.lookup(300, 'INGRESS', 6, 80).matchType).toBe('L4-Only');
    m.applyChanges([[key(300, 6, 80, 16), allow]], []);
    expect(m.lookup(300, 'INGRESS', 6, 80).matchType).toBe('L3-L4');
  });

  it('propagates an explicit auth type to a chosen entry without one', () => {
    const m = new PolicyMap({ ingress: true, egress: true });
    m.applyChanges(
      [
        [key(300, 0, 0, 0), { ...allow, authType: 1, hasExplicitAuth: true }],
        [key(0, 6, 80, 16), allow],
      ],
      [],
    );
    expect(m.lookup(300, 'INGRESS', 6, 80)).toMatchObject({ matchType: 'L4-Only', authType: 1 });
  });

  it('drops with Policy denied when nothing matches, and forgets deleted entries', () => {
    const m = new PolicyMap({ ingress: true, egress: true });
    m.applyChanges([[key(300, 6, 80, 16), allow]], []);
    expect(m.size).toBe(1);
    m.applyChanges([], [key(300, 6, 80, 16)]);
    expect(m.size).toBe(0);
    expect(m.lookup(300, 'INGRESS', 6, 80)).toMatchObject({ allowed: false, denied: false, matchType: 'none' });
  });

  it('answers allow-all for an unenforced direction without consulting entries', () => {
    const m = new PolicyMap({ ingress: true, egress: false });
    m.applyChanges([[{ ...key(0, 0, 0, 0), direction: 'EGRESS' }, deny]], []);
    expect(m.lookup(5, 'EGRESS', 17, 53)).toMatchObject({ allowed: true, matchType: 'all' });
  });

  it('hands every packet landing on the same entry the same frozen decision (no per-packet allocation)', () => {
    const m = new PolicyMap({ ingress: true, egress: true });
    m.applyChanges(
      [
        [key(300, 6, 80, 16), allow],
        [key(0, 0, 0, 0), deny],
      ],
      [],
    );

    const first = m.lookup(300, 'INGRESS', 6, 80);
    const again = m.lookup(300, 'INGRESS', 6, 80);

    expect(again).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(m.lookup(301, 'INGRESS', 6, 80)).toBe(m.lookup(302, 'INGRESS', 17, 53));
  });

  it('agrees with a naive scan of all entries for random maps and packets', () => {
    const entry = fc.record({
      deny: fc.boolean(),
      authType: fc.constantFrom(0 as const, 1 as const, 2 as const),
      hasExplicitAuth: fc.boolean(),
      derivedFrom: fc.constant([]),
    });
    const k = fc.record({
      identity: fc.constantFrom(0, 300, 301),
      proto: fc.constantFrom(0, 6, 17),
      port: fc.integer({ min: 0, max: 127 }),
      portPrefixLength: fc.constantFrom(0, 9, 12, 16),
    });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(k, entry), { maxLength: 12 }),
        fc.constantFrom(300, 301, 999),
        fc.constantFrom(6, 17),
        fc.integer({ min: 0, max: 127 }),
        (rows, remote, proto, port) => {
          const keys = rows.map(([kk, e]): [PolicyMapKey, PolicyMapEntry] => {
            const norm: PolicyMapKey =
              kk.proto === 0
                ? { identity: kk.identity, direction: 'INGRESS', proto: 0, port: 0, portPrefixLength: 0 }
                : {
                    identity: kk.identity,
                    direction: 'INGRESS',
                    proto: kk.proto,
                    port: kk.portPrefixLength === 0 ? 0 : kk.port & ((0xffff << (16 - kk.portPrefixLength)) & 0xffff),
                    portPrefixLength: kk.portPrefixLength,
                  };
            return [norm, e];
          });
          const m = new PolicyMap({ ingress: true, egress: true });
          m.applyChanges(keys, []);
          const got = m.lookup(remote, 'INGRESS', proto, port);
          // The naive answer: every stored entry that covers the packet, ranked as §2.7 says.
          const covering = m
            .entries()
            .filter(
              ([kk]) =>
                (kk.identity === 0 || kk.identity === remote) &&
                (kk.proto === 0 || (kk.proto === proto && port >>> (16 - kk.portPrefixLength) === kk.port >>> (16 - kk.portPrefixLength))),
            );
          const rank = ([kk]: [PolicyMapKey, PolicyMapEntry]): number =>
            (kk.proto === 0 ? 0 : 8 + kk.portPrefixLength) * 2 + (kk.identity !== 0 ? 1 : 0);
          const top = (xs: [PolicyMapKey, PolicyMapEntry][]) =>
            xs.reduce<[PolicyMapKey, PolicyMapEntry] | undefined>((a, x) => (a === undefined || rank(x) > rank(a) ? x : a), undefined);
          const denyTop = top(covering.filter(([, e]) => e.deny));
          const allowTop = top(covering.filter(([, e]) => !e.deny));
          expect(got.allowed).toBe(denyTop === undefined && allowTop !== undefined);
          expect(got.denied).toBe(denyTop !== undefined);
          if (denyTop === undefined && allowTop !== undefined) {
            const others = Math.max(0, ...covering.filter(([, e]) => !e.deny && e.hasExplicitAuth).map(([, e]) => e.authType));
            expect(got.authType).toBe(allowTop[1].hasExplicitAuth ? allowTop[1].authType : others);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
