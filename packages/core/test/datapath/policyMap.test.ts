import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PolicyMap, portBlocks, type PolicyMapEntry, type PolicyMapKey } from '../../src/datapath/policyMap.ts';

const allow: PolicyMapEntry = { deny: false, authType: 0, hasExplicitAuth: false, derivedFrom: [{ kind: 'CiliumNetworkPolicy', namespace: 'default', name: 'a' }] };
const deny: PolicyMapEntry = { ...allow, deny: true };
const key = (identity: number, proto: number, port: number, portPrefixLength: number): PolicyMapKey => ({ identity, direction: 'INGRESS', proto, port, portPrefixLength });

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
    expect(portBlocks(80, 444).map((b) => `${b.port}/${b.prefixLength}`)).toEqual(['80/12', '96/11', '128/9', '256/9', '384/11', '416/12', '432/13', '440/14', '444/16']);
  });
});

describe('PolicyMap', () => {
  it('lets a deny on the wildcard identity beat an identity-specific allow', () => {
    const m = new PolicyMap({ ingress: true, egress: false });
    m.applyChanges([[key(300, 6, 80, 16), allow], [key(0, 0, 0, 0), deny]], []);
    expect(m.lookup(300, 'INGRESS', 6, 80)).toMatchObject({ allowed: false, denied: true, matchType: 'all' });
  });

  it('prefers a proxy redirect, then the longer prefix, then the specific identity', () => {
    const m = new PolicyMap({ ingress: true, egress: true });
    const l7: PolicyMapEntry = { ...allow, l7: { http: [{}] } };
    m.applyChanges([[key(300, 0, 0, 0), allow], [key(0, 6, 80, 16), l7]], []);
    expect(m.lookup(300, 'INGRESS', 6, 80)).toMatchObject({ matchType: 'L4-Only', l7: { http: [{}] } });
    m.applyChanges([[key(0, 6, 80, 16), allow], [key(300, 6, 0, 0), allow]], []);
    expect(m.lookup(300, 'INGRESS', 6, 80).matchType).toBe('L4-Only');
    m.applyChanges([[key(300, 6, 80, 16), allow]], []);
    expect(m.lookup(300, 'INGRESS', 6, 80).matchType).toBe('L3-L4');
  });

  it('propagates an explicit auth type to a chosen entry without one', () => {
    const m = new PolicyMap({ ingress: true, egress: true });
    m.applyChanges([[key(300, 0, 0, 0), { ...allow, authType: 1, hasExplicitAuth: true }], [key(0, 6, 80, 16), allow]], []);
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
});
