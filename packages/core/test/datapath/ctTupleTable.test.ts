import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CtTupleTable } from '../../src/datapath/ctTupleTable.ts';
import type { Protocol } from '../../src/datapath/packet.ts';

// The datapath files tuples (its noted service frontends) in a flat open-addressing table; whatever
// the order of filings, refilings and deletions (which shift later entries of a probe run back),
// and however often the table grows, it must answer exactly as a Map keyed by the whole tuple.
describe('conntrack tuple table', () => {
  const ips = ['10.244.1.5', '10.244.2.7', '10.96.0.10', '192.168.1.1'];
  const tuple = fc.record({
    proto: fc.constantFrom<Protocol>('TCP', 'UDP', 'SCTP', 'ICMP'),
    src: fc.constantFrom(...ips),
    dst: fc.constantFrom(...ips),
    // Ports above 32767 make the packed key negative, as real client ports do.
    ports: fc.tuple(fc.constantFrom(53, 80, 443, 40000, 65535), fc.integer({ min: 0, max: 70 })).map(([s, d]) => (s << 16) | d),
  });
  const op = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), tuple, value: fc.nat() }),
    fc.record({ kind: fc.constant('delete' as const), tuple }),
    fc.record({ kind: fc.constant('delete-filed' as const), pick: fc.nat() }),
    // Keeps the values below a bound, as conntrack GC keeps its tracked entries.
    fc.record({ kind: fc.constant('retain' as const), below: fc.nat() }),
  );
  type Tuple = { proto: Protocol; src: string; dst: string; ports: number };
  const key = (t: Tuple) => `${t.proto}|${t.src}|${t.dst}|${t.ports}`;

  it('answers, counts, takes and retains as a Map of whole tuples does', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const table = new CtTupleTable<number>();
        const model = new Map<string, { t: Tuple; value: number }>();
        for (const o of ops) {
          if (o.kind === 'set') {
            table.set(o.tuple.proto, o.tuple.src, o.tuple.dst, o.tuple.ports, o.value);
            model.set(key(o.tuple), { t: o.tuple, value: o.value });
          } else if (o.kind === 'retain') {
            table.retain((value) => value < o.below);
            for (const [k, { value }] of model) if (value >= o.below) model.delete(k);
          } else {
            const filed = [...model.values()];
            const t = o.kind === 'delete' ? o.tuple : filed.length > 0 ? filed[o.pick % filed.length]!.t : undefined;
            if (t === undefined) continue;
            expect(table.take(t.proto, t.src, t.dst, t.ports)).toBe(model.get(key(t))?.value);
            model.delete(key(t));
          }
          expect(table.size).toBe(model.size);
          for (const { t, value } of model.values()) expect(table.get(t.proto, t.src, t.dst, t.ports)).toBe(value);
        }
        // Tuples never filed, or filed and deleted, are not found.
        for (const proto of ['TCP', 'UDP', 'SCTP', 'ICMP'] as const)
          for (const src of ips)
            for (const dst of ips)
              for (const ports of [(80 << 16) | 3, (40000 << 16) | 70])
                expect(table.get(proto, src, dst, ports)).toBe(model.get(key({ proto, src, dst, ports }))?.value);
      }),
      { numRuns: 300 },
    );
  });
});
