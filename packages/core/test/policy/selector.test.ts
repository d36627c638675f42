import { describe, expect, it } from 'vitest';
import { labelSet } from '../../src/identity/labels.ts';
import { reservedLabels } from '../../src/identity/reserved.ts';
import { makeSelector, selectorMatches } from '../../src/policy/selector.ts';

const labels = labelSet([
  { source: 'k8s', key: 'app', value: 'web' },
  { source: 'k8s', key: 'io.kubernetes.pod.namespace', value: 'default' },
]);

describe('label selectors', () => {
  it('lets an any: key match a label of any source, and a k8s: key only k8s labels', () => {
    expect(selectorMatches(makeSelector([{ source: 'any', key: 'app', operator: 'In', values: ['web'] }]), labels)).toBe(true);
    expect(selectorMatches(makeSelector([{ source: 'reserved', key: 'app', operator: 'In', values: ['web'] }]), labels)).toBe(false);
  });

  it('evaluates NotIn and DoesNotExist as true for a missing key, as Kubernetes does', () => {
    expect(selectorMatches(makeSelector([{ source: 'any', key: 'tier', operator: 'NotIn', values: ['db'] }]), labels)).toBe(true);
    expect(selectorMatches(makeSelector([{ source: 'any', key: 'tier', operator: 'DoesNotExist', values: [] }]), labels)).toBe(true);
    expect(selectorMatches(makeSelector([{ source: 'any', key: 'app', operator: 'Exists', values: [] }]), labels)).toBe(true);
  });

  it('matches reserved identities by their reserved: label', () => {
    expect(selectorMatches(makeSelector([{ source: 'reserved', key: 'host', operator: 'In', values: [''] }]), reservedLabels(1))).toBe(
      true,
    );
  });

  it('has one canonical key whatever the order of requirements', () => {
    const a = makeSelector([
      { source: 'any', key: 'b', operator: 'In', values: ['2'] },
      { source: 'any', key: 'a', operator: 'In', values: ['y', 'x'] },
    ]);
    const b = makeSelector([
      { source: 'any', key: 'a', operator: 'In', values: ['x', 'y'] },
      { source: 'any', key: 'b', operator: 'In', values: ['2'] },
    ]);
    expect(a.key).toBe(b.key);
    expect(a.key).toBe('any:a in (x,y),any:b=2');
  });
});
