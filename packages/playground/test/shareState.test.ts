// A shared link must give back exactly the steps it was made from, whatever was typed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeShareState, encodeShareState, type ShareState, type Step } from '../src/state/shareState.ts';

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.string({ unit: 'binary' }).map((text) => ({ kind: 'line' as const, text })),
  fc.constant({ kind: 'interrupt' as const }),
  fc.constant({ kind: 'clear' as const }),
  fc.record({
    kind: fc.constant('file' as const),
    path: fc.stringMatching(/^[a-z][a-z0-9./-]{0,20}$/),
    text: fc.string({ unit: 'binary' }),
  }),
);

const state: fc.Arbitrary<ShareState> = fc.record({
  scenario: fc.option(fc.stringMatching(/^[a-z][a-z0-9-]{0,30}$/), { nil: undefined }),
  lab: fc.boolean(),
  seed: fc.option(fc.nat({ max: 999_999_999 }), { nil: undefined }),
  steps: fc.array(step, { maxLength: 12 }),
});

describe('share links', () => {
  it('decode to the state they encode, steps in order', () => {
    fc.assert(
      fc.property(state, (s) => {
        const expected = { ...s, lab: s.scenario !== undefined && s.lab };
        expect(decodeShareState(`#${encodeShareState(s)}`)).toEqual({ state: expected, problems: [] });
      }),
    );
  });

  it('read as people write them, and name what they cannot read', () => {
    expect(encodeShareState({ scenario: 'star-wars', lab: false, seed: 7, steps: [{ kind: 'line', text: 'kubectl get pods' }] })).toBe(
      'scenario=star-wars&seed=7&c=kubectl+get+pods',
    );
    expect(decodeShareState('lab=zero-trust-tenants&seed=x&zz=1&f=noname')).toEqual({
      state: { scenario: 'zero-trust-tenants', lab: true, seed: undefined, steps: [] },
      problems: ['seed must be a whole number, received "x"', 'unknown part "zz"', 'a file step needs a name, a newline, then the text'],
    });
  });
});
