import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SocketTable } from '../../src/workload/socketTable.ts';

describe('SocketTable', () => {
  // A stack finds a client socket's chain here for every segment it receives: the table must
  // answer as a Map would through any sequence of binds and releases, across its growth and
  // the moving back of entries after a deletion.
  it('answers as a Map does through any sets and deletes', () => {
    const op = fc.record({
      set: fc.boolean(),
      key: fc.oneof(fc.integer({ min: 1, max: 24 }), fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 2 ** 21 })),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 600 }), (ops) => {
        const table = new SocketTable<number>();
        const map = new Map<number, number>();
        ops.forEach(({ set, key }, n) => {
          if (set) {
            table.set(key, n);
            map.set(key, n);
          } else {
            table.delete(key);
            map.delete(key);
          }
          expect(table.size).toBe(map.size);
          if (n % 16 === 0) for (const [key, value] of map) expect(table.get(key)).toBe(value);
        });
        for (const { key } of ops) expect(table.get(key)).toBe(map.get(key));
        for (const [key, value] of map) expect(table.get(key)).toBe(value);
      }),
    );
  });
});
