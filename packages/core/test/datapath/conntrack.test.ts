import { describe, expect, it } from 'vitest';
import { Conntrack, isReplyOf, newCtEntry, type CtEntry } from '../../src/datapath/conntrack.ts';
import { reversed, type Packet } from '../../src/datapath/packet.ts';

const syn: Packet = { proto: 'TCP', srcIp: '10.244.1.5', sport: 40000, dstIp: '10.244.2.7', dport: 80, flags: { SYN: true } };

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
    expect(isReplyOf(e, syn)).toBe(false);
    expect(isReplyOf(e, synAck)).toBe(true);
    expect(ct.lookup(synAck)).toEqual({ entry: e, dir: 'reply' });
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
