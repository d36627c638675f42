import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { labelSet } from '../../src/identity/labels.ts';
import { reservedLabels } from '../../src/identity/reserved.ts';
import { makeSelector, objectSelector, parseLabelSelector, selectorMatches, type SelectorOperator } from '../../src/k8s/labelSelector.ts';
import { referenceSelects } from '../policy/referenceSelector.ts';

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

describe('the string syntax', () => {
  it('reads every form of a requirement, in the order written', () => {
    const parsed = parseLabelSelector('a=1, b==2,c!=3,d,!e,f in (x, y),g notin (z)', 'kubernetes');
    expect(parsed).toEqual({
      requirements: [
        { source: 'k8s', key: 'a', operator: 'Equals', values: ['1'] },
        { source: 'k8s', key: 'b', operator: 'Equals', values: ['2'] },
        { source: 'k8s', key: 'c', operator: 'NotEquals', values: ['3'] },
        { source: 'k8s', key: 'd', operator: 'Exists', values: [] },
        { source: 'k8s', key: 'e', operator: 'DoesNotExist', values: [] },
        { source: 'k8s', key: 'f', operator: 'In', values: ['x', 'y'] },
        { source: 'k8s', key: 'g', operator: 'NotIn', values: ['z'] },
      ],
    });
  });

  it("takes Cilium's source prefixes in Hubble's dialect, any source without one", () => {
    const parsed = parseLabelSelector('k8s:app=web,reserved:world,org', 'cilium');
    expect('requirements' in parsed && parsed.requirements.map((r) => `${r.source} ${r.key}`)).toEqual([
      'k8s app',
      'reserved world',
      'any org',
    ]);
  });

  it("checks keys and values as kubectl does, where a source prefix is no key's", () => {
    expect(parseLabelSelector('k8s:app=web', 'kubernetes')).toEqual({
      problem: `invalid label selector "k8s:app=web": name part of "k8s:app" must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', 'my.name', '123-abc')`,
    });
    expect(parseLabelSelector('app in ()', 'kubernetes')).toEqual({
      problem: `invalid label selector "app in ()": for 'in', 'notin' operators, values set can't be empty (key "app")`,
    });
    expect(parseLabelSelector('app=', 'kubernetes')).toEqual({
      requirements: [{ source: 'k8s', key: 'app', operator: 'Equals', values: [''] }],
    });
    expect(parseLabelSelector(' ', 'cilium')).toEqual({ problem: 'empty label selector: expected e.g. app=web or reserved:world' });
  });
});

// Selectors and label sets over a few keys, values and sources, so that requirements often hit.
const KEYS = ['app', 'tier', 'app.kubernetes.io/name'] as const;
const VALUES = ['web', 'db', 'x-1'] as const;
const SOURCES = ['k8s', 'reserved', 'unspec'] as const;
const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

const valueSet = fc.uniqueArray(fc.constantFrom(...VALUES), { minLength: 1, maxLength: 3 });
const expression = fc.record({ key: fc.constantFrom(...KEYS), operator: fc.constantFrom(...OPERATORS), values: valueSet });
const objectForm = fc.record({
  matchLabels: fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), { maxKeys: 2 }),
  matchExpressions: fc.array(expression, { maxLength: 3 }),
});
const labelMap = fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), { maxKeys: 3 });
const labelSets = fc
  .array(fc.record({ source: fc.constantFrom(...SOURCES), key: fc.constantFrom(...KEYS), value: fc.constantFrom('', ...VALUES) }), {
    maxLength: 5,
  })
  .map((ls) => labelSet(ls));
const requirement = fc.record({
  source: fc.constantFrom('any', ...SOURCES),
  key: fc.constantFrom(...KEYS),
  operator: fc.constantFrom<SelectorOperator>('In', 'NotIn', 'Exists', 'DoesNotExist', 'Equals', 'NotEquals'),
  values: valueSet,
});
const requirements = fc.array(requirement, { maxLength: 4 }).map((rs) =>
  rs.map((r) => ({
    ...r,
    values: r.operator === 'Exists' || r.operator === 'DoesNotExist' ? [] : r.operator.endsWith('Equals') ? r.values.slice(0, 1) : r.values,
  })),
);

/** The object form as kubectl's `-l` would say it. */
function asText(sel: {
  matchLabels: Record<string, string>;
  matchExpressions: { key: string; operator: string; values: string[] }[];
}): string {
  const parts = Object.entries(sel.matchLabels).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions) {
    if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${e.operator === 'In' ? 'in' : 'notin'} (${e.values.join(',')})`);
  }
  return parts.join(',');
}

describe('label selector invariants', () => {
  it('selects the same labels whether written as an object or as text', () => {
    fc.assert(
      fc.property(objectForm, labelMap, (obj, pod) => {
        const written = {
          matchLabels: obj.matchLabels,
          matchExpressions: obj.matchExpressions.map((e) => (e.operator.endsWith('Exists') ? { key: e.key, operator: e.operator } : e)),
        };
        const text = asText(obj);
        fc.pre(text !== '');
        const parsed = parseLabelSelector(text, 'kubernetes');
        if (!('requirements' in parsed)) throw new Error(parsed.problem);
        const fromText = makeSelector(parsed.requirements);
        const fromObject = objectSelector(written);
        expect(fromText.key).toBe(fromObject.key);
        expect(selectorMatches(fromText, pod)).toBe(selectorMatches(fromObject, pod));
      }),
      { numRuns: 300 },
    );
  });

  it('matches as the reference reading does, on label sets of several sources and on object labels', () => {
    fc.assert(
      fc.property(requirements, labelSets, labelMap, (reqs, set, map) => {
        const sel = makeSelector(reqs);
        expect(selectorMatches(sel, set)).toBe(referenceSelects({ requirements: reqs }, set));
        expect(selectorMatches(sel, map)).toBe(referenceSelects({ requirements: reqs }, map));
      }),
      { numRuns: 500 },
    );
  });

  it('reads its canonical text back as the same selector, whatever the order it was built in', () => {
    fc.assert(
      fc.property(requirements, (reqs) => {
        const sel = makeSelector(reqs);
        expect(makeSelector([...reqs].reverse()).key).toBe(sel.key);
        fc.pre(sel.key !== '');
        const parsed = parseLabelSelector(sel.key, 'cilium');
        if (!('requirements' in parsed)) throw new Error(parsed.problem);
        expect(makeSelector(parsed.requirements).key).toBe(sel.key);
      }),
      { numRuns: 300 },
    );
  });
});
