import { describe, expect, it } from 'vitest';
import { HubbleObserver } from '../../src/hubble/observer.ts';
import * as fx from './flowFixtures.ts';

describe('Hubble observer', () => {
  it('keeps one ring per node and merges them in time order', () => {
    const observer = new HubbleObserver();
    observer.record(fx.authAllowedVerdict);
    observer.record(fx.xwingPolicyDrop);
    observer.record(fx.authDeniedVerdict);
    expect(observer.nodes()).toEqual(['kind-worker', 'kind-worker2']);
    expect(observer.records().map((r) => r.flow.time)).toEqual([
      '2024-06-15T14:07:01.123Z',
      '2024-07-04T17:58:28.795123456Z',
      '2024-07-04T17:58:29.810Z',
    ]);
  });

  it('orders flows with equal times by arrival', () => {
    const observer = new HubbleObserver();
    observer.record(fx.xwingDeniedVerdict);
    observer.record(fx.xwingPolicyDrop);
    expect(observer.records().map((r) => r.flow.event_type.type)).toEqual([5, 1]);
  });

  it('loses the oldest flows of a node whose ring is full, and only that node', () => {
    const observer = new HubbleObserver({ capacity: 2 });
    observer.record(fx.xwingDeniedVerdict);
    observer.record(fx.xwingPolicyDrop);
    observer.record(fx.replyTrace);
    observer.record(fx.authDeniedVerdict);
    expect(observer.lost('kind-worker')).toBe(1);
    expect(observer.lost('kind-worker2')).toBe(0);
    expect(observer.seen).toBe(4);
    expect(observer.records()).toHaveLength(3);
  });

  it('stores flows as Hubble decodes them', () => {
    const stored = new HubbleObserver().record(fx.authRequiredDrop);
    expect(stored.is_reply).toBeUndefined();
    expect(stored.auth_type).toBeUndefined();
    expect(stored.drop_reason_desc).toBe('AUTH_REQUIRED');
    expect(stored.Summary).toBe('TCP Flags: SYN');
  });
});
