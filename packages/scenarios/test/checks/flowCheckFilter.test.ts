import { describe, expect, it } from 'vitest';
import { flowCheckFilter } from '../../src/checks/flowCheckFilter.ts';
import { errorOf } from '../errorOf.ts';

describe('flowCheckFilter (a task file flow filter as data)', () => {
  it('maps each key to its FlowFilter field, all in one filter', () => {
    const { filter } = flowCheckFilter({
      fromPod: 'default/pod-worker',
      toPod: 'default/echo',
      verdict: 'DROPPED',
      dropReasonDesc: 'AUTH_REQUIRED',
      type: 'policy-verdict',
      fromIdentity: 'world',
    });

    expect(filter).toEqual({
      sourcePod: ['default/pod-worker'],
      destinationPod: ['default/echo'],
      verdict: ['DROPPED'],
      dropReasonDesc: ['AUTH_REQUIRED'],
      eventType: [{ type: 5 }],
      sourceIdentity: [2],
    });
  });

  it('reads trace points after trace: as sub-types', () => {
    expect(flowCheckFilter({ type: 'trace:to-endpoint' }).filter).toEqual({ eventType: [{ type: 4, subType: 0 }] });
  });

  it('matches authType on the flow, since Hubble has no filter for it', () => {
    const { filter, matches } = flowCheckFilter({ authType: 'SPIRE' });

    expect(filter).toEqual({});
    expect(matches({ auth_type: 'SPIRE' } as Parameters<typeof matches>[0])).toBe(true);
    expect(matches({ auth_type: 'DISABLED' } as Parameters<typeof matches>[0])).toBe(false);
  });

  it('refuses an unknown key, naming the supported ones, and a value it cannot use', () => {
    expect(errorOf(() => flowCheckFilter({ pod: 'x' }))).toMatchObject({
      code: 'INVALID_FIELD',
      path: 'filter.pod',
      message: expect.stringContaining('supported keys: fromPod, toPod'),
    });
    expect(errorOf(() => flowCheckFilter({ verdict: 'dropped' }))).toMatchObject({ code: 'INVALID_FIELD', path: 'filter.verdict' });
    expect(errorOf(() => flowCheckFilter({ fromIp: 'not-an-ip' }))).toMatchObject({ code: 'INVALID_FIELD' });
  });
});
