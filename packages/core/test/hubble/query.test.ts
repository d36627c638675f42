import { describe, expect, it } from 'vitest';
import { HubbleObserver } from '../../src/hubble/observer.ts';
import { queryFlows } from '../../src/hubble/query.ts';
import * as fx from './flowFixtures.ts';

describe('queryFlows', () => {
  it('returns typed flows for whitelist, blacklist and time bounds', () => {
    const observer = new HubbleObserver();
    for (const f of fx.ALL_FIXTURES) observer.record(f);
    const l7 = queryFlows(observer, { whitelist: [{ eventType: [{ type: 129 }] }], blacklist: [{ protocol: ['dns'] }] });
    expect(l7.map((f) => f.l7?.http?.code ?? 0)).toEqual([0, 403, 200]);
    expect(queryFlows(observer, { since: '2024-07-01T00:00:00Z' })).toHaveLength(4);
  });
});
