import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newCtEntry, type CtEntry } from '../../src/datapath/conntrack.ts';
import { CtEntryTable, pairHash } from '../../src/datapath/ctEntryTable.ts';
import type { Protocol } from '../../src/datapath/packet.ts';

// Conntrack files each entry once, under its tuple either way round, in a flat open-addressing
// table; whatever the order of filings, takeovers, deletions (which shift later entries of a
// probe run back), bulk refilings and growth, it must answer exactly as a Map keyed by the tuple
// with its two ends in a fixed order, found from either direction.
describe('conntrack entry table', () => {
  const ips = ['10.244.1.5', '10.244.2.7', '10.96.0.10', '192.168.1.1'];
  const tuple = fc.record({
    proto: fc.constantFrom<Protocol>('TCP', 'UDP', 'SCTP', 'ICMP'),
    srcIp: fc.constantFrom(...ips),
    dstIp: fc.constantFrom(...ips),
    sport: fc.constantFrom(53, 80, 443, 40000, 65535),
    dport: fc.integer({ min: 0, max: 70 }).map((d) => (d === 70 ? 80 : d)),
  });
  const op = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), tuple, back: fc.boolean() }),
    fc.record({ kind: fc.constant('delete' as const), tuple }),
    fc.record({ kind: fc.constant('delete-filed' as const), pick: fc.nat(), back: fc.boolean() }),
    // Files again some of the entries filed (by the order they were made in), as conntrack GC files the entries it keeps.
    fc.record({ kind: fc.constant('refile' as const), salt: fc.nat(2) }),
  );
  type Tuple = Pick<CtEntry, 'proto' | 'srcIp' | 'sport' | 'dstIp' | 'dport'>;
  const flip = (t: Tuple): Tuple => ({ proto: t.proto, srcIp: t.dstIp, sport: t.dport, dstIp: t.srcIp, dport: t.sport });
  const end = (ip: string, port: number) => `${ip}:${port}`;
  const key = (t: Tuple) => {
    const [a, b] = [end(t.srcIp, t.sport), end(t.dstIp, t.dport)].sort();
    return `${t.proto}|${a}|${b}`;
  };
  const hash = (t: Tuple) => pairHash(t.proto, t.srcIp, t.sport, t.dstIp, t.dport);

  it('hashes a tuple the same either way round', () => {
    fc.assert(
      fc.property(tuple, (t) => {
        expect(hash(flip(t))).toBe(hash(t));
      }),
    );
  });

  it('answers, counts, deletes and refiles as a Map of tuples either way round does', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const table = new CtEntryTable();
        const model = new Map<string, CtEntry>();
        const order = new Map<CtEntry, number>();
        for (const o of ops) {
          if (o.kind === 'set') {
            const e = newCtEntry(o.back ? flip(o.tuple) : o.tuple, 0);
            order.set(e, order.size);
            const held = model.get(key(e));
            expect(table.set(hash(e), e)).toBe(held);
            model.set(key(e), e);
          } else if (o.kind === 'refile') {
            const keep = (e: CtEntry) => (order.get(e)! + o.salt) % 3 !== 0;
            // The entries kept, with gaps where others were, as conntrack's tracked places hold them.
            const kept = [...model.values()].map((e) => (keep(e) ? e : undefined));
            table.refile(
              kept,
              Int32Array.from(kept, (e) => (e === undefined ? 0 : hash(e))),
            );
            for (const [k, e] of model) if (!keep(e)) model.delete(k);
          } else {
            const filed = [...model.values()];
            const picked = filed.length > 0 ? filed[o.kind === 'delete' ? 0 : o.pick % filed.length]! : undefined;
            const t = o.kind === 'delete' ? o.tuple : picked === undefined ? undefined : o.back ? flip(picked) : picked;
            if (t === undefined) continue;
            expect(table.delete(hash(t), newCtEntry(t, 0))).toBe(model.delete(key(t)));
          }
          expect(table.size).toBe(model.size);
          for (const e of model.values()) {
            expect(table.get(hash(e), e.proto, e.srcIp, e.sport, e.dstIp, e.dport)).toBe(e);
            const b = flip(e);
            expect(table.get(hash(b), b.proto, b.srcIp, b.sport, b.dstIp, b.dport)).toBe(e);
          }
        }
        // Tuples never filed, or filed and deleted, are not found.
        for (const proto of ['TCP', 'UDP', 'SCTP', 'ICMP'] as const)
          for (const srcIp of ips)
            for (const dstIp of ips)
              for (const [sport, dport] of [
                [80, 3],
                [40000, 70],
                [53, 80],
              ] as const) {
                const t = { proto, srcIp, sport, dstIp, dport };
                expect(table.get(hash(t), proto, srcIp, sport, dstIp, dport)).toBe(model.get(key(t)));
              }
      }),
      { numRuns: 300 },
    );
  });
});
