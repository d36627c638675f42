import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Conntrack, newCtEntry, type CtEntry } from '../../src/datapath/conntrack.ts';
import { reversed, tupleKey, type Packet, type Protocol } from '../../src/datapath/packet.ts';

const syn: Packet = { proto: 'TCP', srcIp: '10.244.1.5', sport: 40000, dstIp: '10.244.2.7', dport: 80, flags: { SYN: true } };

/** The model `foundReply` is checked against: `p` travels `entry`'s reply direction unless it is the entry's own tuple. */
function isReplyOf(entry: CtEntry, p: Packet): boolean {
  return !(p.srcIp === entry.srcIp && p.sport === entry.sport && p.dstIp === entry.dstIp && p.dport === entry.dport);
}

function entryFor(p: Packet): CtEntry {
  return newCtEntry(p, 0);
}

describe('Conntrack', () => {
  it('finds one entry from both directions and tells the reply apart', () => {
    const ct = new Conntrack();
    const e = ct.create(entryFor(syn));
    const synAck = reversed(syn, { SYN: true, ACK: true });

    expect(ct.find(syn)).toBe(e);
    expect(ct.find(synAck)).toBe(e);
    expect(ct.foundReply).toBe(true);
    expect(ct.find(syn)).toBe(e);
    expect(ct.foundReply).toBe(false);
  });

  it('keeps tuples of other protocols and ports apart', () => {
    const ct = new Conntrack();
    ct.create(entryFor(syn));

    expect(ct.find({ ...syn, proto: 'UDP' })).toBeUndefined();
    expect(ct.find({ ...syn, sport: 40001 })).toBeUndefined();
  });

  it('forgets a deleted entry in both directions and keeps its neighbours', () => {
    const ct = new Conntrack();
    const gone = ct.create(entryFor(syn));
    const kept = ct.create(entryFor({ ...syn, sport: 40001 }));

    ct.delete(gone);

    expect(ct.find(syn)).toBeUndefined();
    expect(ct.find(reversed(syn, { SYN: true, ACK: true }))).toBeUndefined();
    expect(ct.find({ ...syn, sport: 40001 })).toBe(kept);
    expect(ct.size).toBe(1);
  });
});

describe('conntrack garbage collection', () => {
  it('drops closed connections after 10 s, unanswered ones after 60 s and keeps established ones for 6 h', () => {
    const ct = new Conntrack();
    const entry = (sport: number, established: boolean, closing: boolean) =>
      ct.create({ ...newCtEntry({ proto: 'TCP', srcIp: '10.0.0.1', sport, dstIp: '10.0.0.2', dport: 80 }, 0), established, closing });
    entry(1, true, true);
    entry(2, false, false);
    entry(3, true, false);
    const S = 1_000_000_000;
    expect(ct.collect(5 * S)).toBe(0);
    expect(ct.collect(11 * S)).toBe(1);
    expect(ct.collect(61 * S)).toBe(1);
    expect(ct.collect(3600 * S)).toBe(0);
    expect(ct.collect(6 * 3600 * S + 1)).toBe(1);
    expect(ct.size).toBe(0);
  });
});

// `find` answers established packets from a small table of entries it found recently; whatever
// the order of creations, deletions (reopened tuples, GC) and lookups, it must answer exactly as
// the tuple maps do: a model that files each entry under both its tuples and unfiles both on
// delete, as the maps do.
describe('conntrack lookups', () => {
  // Few addresses and ports that share the table's slots, so tuples meet, clash and come back.
  const ips = ['10.244.1.5', '10.244.2.7'];
  const ports = [80, 80 ^ 1024, 40000];
  const tuple = fc.record({
    proto: fc.constantFrom<Protocol>('TCP', 'UDP'),
    srcIp: fc.constantFrom(...ips),
    dstIp: fc.constantFrom(...ips),
    sport: fc.constantFrom(...ports),
    dport: fc.constantFrom(...ports),
  });
  const op = fc.oneof(
    fc.record({ kind: fc.constant('create' as const), tuple }),
    fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant('find' as const), tuple }),
    fc.record({ kind: fc.constant('find-created' as const), pick: fc.nat(), back: fc.boolean() }),
    // A tuple taken again (both ways) while its entry is still filed.
    fc.record({ kind: fc.constant('create-again' as const), pick: fc.nat(), back: fc.boolean() }),
  );

  it('find answers as the tuple maps do, whatever was created and deleted before', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const ct = new Conntrack();
        const model = new Map<string, CtEntry>();
        const live: CtEntry[] = [];
        const created: CtEntry[] = [];
        const key = (t: Omit<Packet, 'flags'>) => tupleKey(t.proto, t.srcIp, t.sport, t.dstIp, t.dport);
        const back = (t: Omit<Packet, 'flags'>) => tupleKey(t.proto, t.dstIp, t.dport, t.srcIp, t.sport);
        for (const o of ops) {
          if (o.kind === 'create' || (o.kind === 'create-again' && created.length > 0)) {
            const again = o.kind === 'create-again' ? created[o.pick % created.length]! : undefined;
            const t = o.kind === 'create' ? o.tuple : o.back ? reversed({ ...again!, flags: {} }, {}) : again!;
            const e = ct.create(newCtEntry(t, 0));
            model.set(key(t), e);
            model.set(back(t), e);
            live.push(e);
            created.push(e);
          } else if (o.kind === 'delete' && live.length > 0) {
            const [e] = live.splice(o.pick % live.length, 1);
            ct.delete(e!);
            model.delete(key(e!));
            model.delete(back(e!));
          } else if (o.kind === 'find') {
            const p = { ...o.tuple, flags: {} };
            const found = ct.find(p);
            expect(found).toBe(model.get(key(o.tuple)));
            if (found !== undefined) expect(ct.foundReply).toBe(isReplyOf(found, p));
          } else if (o.kind === 'find-created' && created.length > 0) {
            const e = created[o.pick % created.length]!;
            const p = o.back ? reversed({ ...e, flags: {} }, {}) : { ...e, flags: {} };
            const found = ct.find(p);
            expect(found).toBe(model.get(key(p)));
            if (found !== undefined) expect(ct.foundReply).toBe(isReplyOf(found, p));
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

// Conntrack keeps its tracked entries in a list whose holes GC closes; through creations,
// deletions, entries created again and collections it must track exactly what a Set would.
describe('conntrack tracked entries', () => {
  const op = fc.oneof(
    fc.record({ kind: fc.constant('create' as const), sport: fc.integer({ min: 1, max: 6 }), established: fc.boolean(), at: fc.nat(100) }),
    fc.record({ kind: fc.constant('create-again' as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant('collect' as const), at: fc.nat(200) }),
  );
  const S = 1_000_000_000;
  const lifetime = (e: CtEntry) => (e.proto !== 'TCP' || !e.established ? 60 * S : e.closing ? 10 * S : 6 * 3600 * S);

  it('has, size, collect and find answer as a Set of entries and the tuple maps do', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const ct = new Conntrack();
        const model = new Set<CtEntry>();
        // Each entry filed under both its tuples, both unfiled when it goes (by delete or GC,
        // which may unfile a tuple another entry took over), as the table does.
        const tuples = new Map<string, CtEntry>();
        const key = (e: CtEntry, back: boolean) =>
          tupleKey(e.proto, back ? e.dstIp : e.srcIp, back ? e.dport : e.sport, back ? e.srcIp : e.dstIp, back ? e.sport : e.dport);
        const file = (e: CtEntry) => {
          tuples.set(key(e, false), e);
          tuples.set(key(e, true), e);
        };
        const unfile = (e: CtEntry) => {
          tuples.delete(key(e, false));
          tuples.delete(key(e, true));
        };
        const created: CtEntry[] = [];
        for (const o of ops) {
          if (o.kind === 'create') {
            const e = newCtEntry({ proto: 'TCP', srcIp: '10.0.0.1', sport: o.sport, dstIp: '10.0.0.2', dport: 80 }, o.at * S);
            e.established = o.established;
            ct.create(e);
            model.add(e);
            file(e);
            created.push(e);
          } else if (o.kind === 'create-again' && created.length > 0) {
            const e = created[o.pick % created.length]!;
            ct.create(e);
            model.add(e);
            file(e);
          } else if (o.kind === 'delete' && created.length > 0) {
            const e = created[o.pick % created.length]!;
            if (model.has(e)) unfile(e);
            ct.delete(e);
            model.delete(e);
          } else if (o.kind === 'collect') {
            const gone = [...model].filter((e) => o.at * S - e.lastSeenNs > lifetime(e));
            for (const e of gone) {
              model.delete(e);
              unfile(e);
            }
            expect(ct.collect(o.at * S)).toBe(gone.length);
          }
          expect(ct.size).toBe(model.size);
          for (const e of created) {
            expect(ct.has(e)).toBe(model.has(e));
            for (const back of [false, true]) {
              const p = back ? reversed({ ...e, flags: {} }, {}) : { ...e, flags: {} };
              expect(ct.find(p)).toBe(tuples.get(key(e, back)));
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

// GC reads each entry's last-seen time and lifetime from arrays beside the tracked entries,
// which `seen` and `established` keep current: whatever packets pass, whenever, GC must expire
// exactly the entries that a reading of the entries themselves finds idle beyond their lifetime.
describe('conntrack GC after packets', () => {
  const S = 1_000_000_000;
  const op = fc.oneof(
    fc.record({ kind: fc.constant('create' as const), sport: fc.integer({ min: 1, max: 8 }), udp: fc.boolean() }),
    fc.record({ kind: fc.constant('seen' as const), pick: fc.nat(), closing: fc.boolean() }),
    fc.record({ kind: fc.constant('established' as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant('advance' as const), by: fc.constantFrom(1, 9, 11, 59, 61, 3600, 6 * 3600) }),
    fc.record({ kind: fc.constant('collect' as const) }),
  );
  const lifetime = (e: CtEntry) => (e.proto !== 'TCP' || !e.established ? 60 * S : e.closing ? 10 * S : 6 * 3600 * S);

  it('expires exactly the entries idle beyond their lifetime as the packets left them', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const ct = new Conntrack();
        const live = new Set<CtEntry>();
        const created: CtEntry[] = [];
        let now = 0;
        for (const o of ops) {
          const e = created.length > 0 && 'pick' in o ? created[o.pick % created.length]! : undefined;
          if (o.kind === 'create') {
            const entry = ct.create(
              newCtEntry({ proto: o.udp ? 'UDP' : 'TCP', srcIp: '10.0.0.1', sport: o.sport, dstIp: '10.0.0.2', dport: 80 }, now),
            );
            live.add(entry);
            created.push(entry);
          } else if (o.kind === 'seen' && e !== undefined) ct.seen(e, now, o.closing);
          else if (o.kind === 'established' && e !== undefined) ct.established(e);
          else if (o.kind === 'delete' && e !== undefined) {
            ct.delete(e);
            live.delete(e);
          } else if (o.kind === 'advance') now += o.by * S;
          else if (o.kind === 'collect') {
            const gone = [...live].filter((x) => now - x.lastSeenNs > lifetime(x));
            for (const x of gone) live.delete(x);
            expect(ct.collect(now)).toBe(gone.length);
          }
          expect(ct.size).toBe(live.size);
          for (const x of created) expect(ct.has(x)).toBe(live.has(x));
        }
      }),
      { numRuns: 300 },
    );
  });
});
