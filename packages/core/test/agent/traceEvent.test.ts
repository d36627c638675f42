import { describe, expect, it } from 'vitest';
import { type TraceEventReason, traceEvent, type TracePoint } from '../../src/agent/pendingFlow.ts';

const POINTS: readonly TracePoint[] = ['TO_ENDPOINT', 'TO_STACK', 'TO_PROXY', 'TO_OVERLAY', 'TO_NETWORK'];
const REASONS: readonly TraceEventReason[] = ['REPLY', 'ESTABLISHED', 'NEW'];

describe('traceEvent', () => {
  // Every flow's trace event comes from this table: a wrong entry would misreport where a packet
  // was seen or why (trace_observation_point, trace_reason in `hubble observe`).
  it('gives the one frozen event of each observation point and reason', () => {
    for (const point of POINTS)
      for (const reason of REASONS) {
        const event = traceEvent(point, reason);
        expect(event).toEqual({ kind: 'trace', point, reason });
        expect(Object.isFrozen(event)).toBe(true);
        expect(traceEvent(point, reason)).toBe(event);
      }
  });
});
