import { describe, expect, it } from 'vitest';
import { fqdnPatternProblem, fqdnSelectorLabel, fqdnSelectorMatches } from '../../src/policy/fqdn.ts';
import { formatLabel } from '../../src/identity/labels.ts';

describe('FQDN selectors', () => {
  it('follows Cilium pattern semantics', () => {
    const m = (matchPattern: string, name: string) => fqdnSelectorMatches({ matchPattern }, name);
    expect([m('*.cilium.io', 'www.cilium.io'), m('*.cilium.io', 'cilium.io'), m('*.cilium.io', 'a.b.cilium.io')]).toEqual([
      true,
      false,
      false,
    ]);
    expect([m('*cilium.io', 'cilium.io'), m('*cilium.io', 'subcilium.io'), m('*cilium.io', 'www.cilium.io')]).toEqual([true, true, false]);
    expect([m('**.cilium.io', 'a.b.cilium.io'), m('**.cilium.io', 'cilium.io'), m('*', 'anything.example')]).toEqual([true, false, true]);
    expect(fqdnSelectorMatches({ matchName: 'API.GitHub.com' }, 'api.github.com.')).toBe(true);
  });

  it('labels DNS-proxy identities with the canonical selector string', () => {
    expect(formatLabel(fqdnSelectorLabel({ matchName: 'api.github.com.' }))).toBe('fqdn:matchName=api.github.com');
  });

  it('rejects ** anywhere but a leading **.', () => {
    expect(fqdnPatternProblem('a.**.io')).toMatch(/only as a leading/);
  });
});
