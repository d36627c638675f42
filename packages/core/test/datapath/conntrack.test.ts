import { describe, expect, it } from 'vitest';
import { Conntrack, isReplyOf, type CtEntry } from '../../src/datapath/conntrack.ts';
import { reversed, type Packet } from '../../src/datapath/packet.ts';

const syn: Packet = { proto: 'TCP', srcIp: '10.244.1.5', sport: 40000, dstIp: '10.244.2.7', dport: 80, flags: { SYN: true } };

function entryFor(p: Packet): CtEntry {
  return { proto: p.proto, srcIp: p.srcIp, sport: p.sport, dstIp: p.dstIp, dport: p.dport, createdAtNs: 0, lastSeenNs: 0, established: false, closed: false };
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

  it('collects idle and closed entries', () => {
    const ct = new Conntrack();
    const e = ct.create({ ...entryFor(syn), lastSeenNs: 100 });
    ct.create({ ...entryFor({ ...syn, sport: 40001 }), lastSeenNs: 500 });

    expect(ct.collect(200)).toBe(1);
    expect(ct.find(syn)).toBeUndefined();
    expect(ct.size).toBe(1);
    void e;
  });
});
