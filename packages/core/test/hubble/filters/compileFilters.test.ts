import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFilterLists, compileFlowFilter } from '../../../src/hubble/filters/compileFilters.ts';
import type { FlowFilter } from '../../../src/hubble/filters/flowFilter.ts';
import { normalizeFlow } from '../../../src/hubble/normalizeFlow.ts';
import * as fx from '../flowFixtures.ts';

const flows = fx.ALL_FIXTURES.map(normalizeFlow);
const POOL: readonly FlowFilter[] = [
  { verdict: ['DROPPED'] },
  { sourcePod: ['xwing'] },
  { destinationPod: ['kube-system/'] },
  { protocol: ['http', 'dns'] },
  { eventType: [{ type: 5 }] },
  { sourceLabel: ['org=alliance'], destinationPort: ['80'] },
  { nodeName: ['kind-worker2'] },
  { sourceIdentity: [2] },
  {},
];

describe('filter lists', () => {
  it('lets a flow through a whitelist exactly when one of its filters matches it', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...POOL), { minLength: 1, maxLength: 4 }), fc.constantFrom(...flows), (whitelist, flow) => {
        const some = whitelist.some((ff) => compileFlowFilter(ff)(flow));
        expect(compileFilterLists(whitelist, [])(flow)).toBe(some);
      }),
    );
  });

  it('lets a flow through a blacklist exactly when none of its filters matches it', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...POOL), { minLength: 1, maxLength: 4 }), fc.constantFrom(...flows), (blacklist, flow) => {
        const none = !blacklist.some((ff) => compileFlowFilter(ff)(flow));
        expect(compileFilterLists([], blacklist)(flow)).toBe(none);
      }),
    );
  });

  it('negating a filter selects exactly the flows the filter rejects', () => {
    fc.assert(
      fc.property(fc.constantFrom(...POOL), fc.constantFrom(...flows), (ff, flow) => {
        expect(compileFilterLists([], [ff])(flow)).toBe(!compileFilterLists([ff], [])(flow));
      }),
    );
  });

  it('lets every flow through empty lists', () => {
    expect(flows.every(compileFilterLists())).toBe(true);
  });

  it('requires every field of one filter to match', () => {
    const f = compileFlowFilter({ sourcePod: ['xwing'], verdict: ['DROPPED'] });
    expect(flows.filter(f).map((x) => x.event_type.type)).toEqual([5, 1, 129]);
  });
});
