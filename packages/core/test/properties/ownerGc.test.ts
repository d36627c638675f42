import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/index.ts';

/**
 * The owner-reference collector against a model of kube's: an object whose owners (by name and
 * uid) are all gone is deleted, or only marked while it has finalizers; a marked object is an
 * owner still; chains and cycles are followed to the end.
 */
interface ModelObject {
  uid: string;
  refs: { name: string; uid: string }[];
  finalizers: boolean;
  marked: boolean;
}

function collect(model: Map<string, ModelObject>): void {
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, o] of [...model]) {
      if (o.marked || o.refs.length === 0) continue;
      if (o.refs.some((r) => model.get(r.name)?.uid === r.uid)) continue;
      changed = true;
      if (o.finalizers) o.marked = true;
      else model.delete(name);
    }
  }
}

const sa = (name: string, extra: string) => `apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: ${name}, namespace: gc${extra} }\n`;

type Op = { kind: 'delete'; target: number } | { kind: 'release'; target: number };

describe('the owner-reference collector agrees with a model of kube’s', () => {
  it('deletes or marks exactly the objects whose owners are all gone, through chains and cycles', () => {
    const objects = 6;
    const refs = fc.array(fc.tuple(fc.nat(objects), fc.boolean()), { maxLength: 3 });
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant('delete' as const), target: fc.nat(objects - 1) }),
      fc.record({ kind: fc.constant('release' as const), target: fc.nat(objects - 1) }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(refs, fc.boolean()), { minLength: objects, maxLength: objects }),
        fc.array(op, { maxLength: 6 }),
        (shape, ops) => {
          const c = Cluster.create({ seed: 1, mutualAuth: false });
          c.apply('apiVersion: v1\nkind: Namespace\nmetadata: { name: gc }\n');
          const model = new Map<string, ModelObject>();
          const name = (i: number): string => `o${i}`;
          shape.forEach(([, finalizers], i) => {
            c.apply(sa(name(i), finalizers ? ', finalizers: [example.com/keep]' : ''));
            model.set(name(i), { uid: c.get('ServiceAccount', name(i), 'gc')!.metadata.uid, refs: [], finalizers, marked: false });
          });
          // Owner references, one object at a time: index `objects` names an object that never existed,
          // and a false flag a stale uid; each apply lets the collector run, as does the model.
          shape.forEach(([owners], i) => {
            if (owners.length === 0 || !model.has(name(i))) return;
            const written = owners.map(([j, fresh]) => ({
              name: name(j),
              uid: fresh && model.has(name(j)) ? model.get(name(j))!.uid : `stale-${j}`,
            }));
            const list = written.map((r) => `{ apiVersion: v1, kind: ServiceAccount, name: ${r.name}, uid: ${r.uid} }`).join(', ');
            const fin = model.get(name(i))!.finalizers ? ', finalizers: [example.com/keep]' : '';
            const out = c.apply(sa(name(i), `${fin}, ownerReferences: [${list}]`));
            expect(out[0]!.ok).toBe(true);
            model.get(name(i))!.refs = written;
            collect(model);
          });
          for (const o of ops) {
            const n = name(o.target);
            if (!model.has(n)) continue;
            if (o.kind === 'delete') {
              c.delete({ kind: 'ServiceAccount', namespace: 'gc', name: n });
              const m = model.get(n)!;
              if (m.finalizers) m.marked = true;
              else model.delete(n);
            } else {
              c.apply(sa(n, ''));
              const m = model.get(n)!;
              if (m.marked) model.delete(n);
              else m.finalizers = false;
            }
            collect(model);
          }
          const seen = c
            .list('ServiceAccount', 'gc')
            .filter((s) => s.metadata.name !== 'default')
            .map((s) => [s.metadata.name, s.metadata.deletionTimestamp !== undefined]);
          expect(seen).toEqual([...model].map(([n, m]) => [n, m.marked]).sort());
        },
      ),
      { numRuns: 40 },
    );
  });

  it('follows a chain longer than any fixed number of rounds to its end', () => {
    const c = Cluster.create({ seed: 1, mutualAuth: false });
    c.apply('apiVersion: v1\nkind: Namespace\nmetadata: { name: gc }\n');
    c.apply(sa('link0', ''));
    for (let i = 1; i < 150; i++) {
      const uid = c.get('ServiceAccount', `link${i - 1}`, 'gc')!.metadata.uid;
      c.apply(sa(`link${i}`, `, ownerReferences: [{ apiVersion: v1, kind: ServiceAccount, name: link${i - 1}, uid: ${uid} }]`));
    }
    c.delete({ kind: 'ServiceAccount', namespace: 'gc', name: 'link0' });
    expect(c.list('ServiceAccount', 'gc').map((s) => s.metadata.name)).toEqual(['default']);
  });
});
