import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RING_CAPACITY, RingBuffer } from '../../src/hubble/ringBuffer.ts';

describe('ring buffer', () => {
  it("holds Hubble's default 4095 events", () => {
    expect(new RingBuffer<number>().capacity).toBe(DEFAULT_RING_CAPACITY);
    expect(DEFAULT_RING_CAPACITY).toBe(4095);
  });

  it('overwrites the oldest event once full and counts it as lost', () => {
    const ring = new RingBuffer<number>(3);
    for (const n of [1, 2, 3, 4, 5]) ring.write(n);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect(ring.lost).toBe(2);
    expect(ring.written).toBe(5);
  });

  it('always keeps the newest min(n, capacity) events in write order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(fc.integer(), { maxLength: 60 }), (capacity, items) => {
        const ring = new RingBuffer<number>(capacity);
        for (const i of items) ring.write(i);
        expect(ring.toArray()).toEqual(items.slice(Math.max(0, items.length - capacity)));
        expect(ring.lost + ring.size).toBe(items.length);
      }),
    );
  });
});

describe('ring buffer capacity', () => {
  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new RingBuffer<number>(0)).toThrow(expect.objectContaining({ code: 'INVALID_FIELD', path: 'capacity' }));
  });
});
