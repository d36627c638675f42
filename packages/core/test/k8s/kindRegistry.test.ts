import { describe, expect, expectTypeOf, it } from 'vitest';
import { derivedKind } from '../../src/k8s/kindDefinition.ts';
import { API_KINDS, APPLICABLE_KINDS, KINDS, type ApiKind, type Kind, type KindInfo } from '../../src/k8s/kinds.ts';
import type { K8sObject, ObjectOfKind } from '../../src/k8s/objects.ts';

// The registry is the one place a kind is declared: these checks hold for every entry, so a kind
// added later is held to them without a change here.
describe('the kind registry', () => {
  it('keys every kind by its own name, and names it as discovery does', () => {
    for (const [key, info] of Object.entries(KINDS) as [string, KindInfo][]) {
      expect(info.kind).toBe(key);
      expect(info.singular).toBe(key.toLowerCase());
      expect(info.apiVersions).toEqual(info.versions.map((v) => (info.group === '' ? v : `${info.group}/${v}`)));
    }
    const names = API_KINDS.flatMap((k) => [...new Set([k.plural, k.singular, ...k.shortNames])].map((n) => `${n}.${k.group}`));
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it('gives a kind users apply a schema and an admission, and a derived kind neither', () => {
    for (const info of API_KINDS) {
      expect({ kind: info.kind, applicable: info.applicable }).toEqual({ kind: info.kind, applicable: info.schema !== undefined });
      expect({ kind: info.kind, admits: info.admit !== undefined }).toEqual({ kind: info.kind, admits: info.stored });
      if (info.applicable) expect(APPLICABLE_KINDS).toContain(info.kind);
    }
  });

  it('starts every table with NAME, and prints NAME AGE for a kind that declares no columns, as for a CRD', () => {
    for (const info of API_KINDS) expect(info.columns[0]?.name).toBe('Name');
    const widget = derivedKind({ kind: 'Widget', group: 'example.com', versions: ['v1'], plural: 'widgets', namespaced: true });

    expect(widget.columns.map((c) => c.name)).toEqual(['Name', 'Age']);
    expect(widget.columns[1]).toMatchObject({ type: 'date', jsonPath: '.metadata.creationTimestamp' });
    expect(widget.fieldSelectors).toEqual(['metadata.name', 'metadata.namespace']);
  });

  it('derives the stored objects from the entries: each stored kind is its admission result', () => {
    type Admitted<K extends Kind> = ReturnType<NonNullable<(typeof KINDS)[K]['admit']>>;

    expectTypeOf<{ [K in Kind]: ObjectOfKind<K> }>().toEqualTypeOf<{ [K in Kind]: Admitted<K> }>();
    expectTypeOf<K8sObject['kind']>().toEqualTypeOf<Kind>();
    expectTypeOf<Kind>().toExtend<ApiKind>();
  });
});
