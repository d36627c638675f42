import { describe, expect, it } from 'vitest';
import { SimError } from '../src/errors.ts';

describe('SimError', () => {
  it('takes its reason from the code unless the issue names one', () => {
    expect(new SimError({ code: 'NOT_FOUND', message: 'not found' }).reason).toBe('NotFound');
    expect(new SimError({ code: 'ALREADY_EXISTS', message: 'already exists' }).reason).toBe('AlreadyExists');
    expect(new SimError({ code: 'FORBIDDEN', message: 'no' }).reason).toBe('Forbidden');
    expect(new SimError({ code: 'CONFLICT', message: 'taken' }).reason).toBe('Conflict');
    expect(new SimError({ code: 'NO_NETWORK', message: 'offline' }).reason).toBe('Unavailable');
    expect(new SimError({ code: 'INVALID_PORT', message: 'too big' }).reason).toBe('Invalid');
    expect(new SimError({ code: 'NOT_FOUND', reason: 'Forbidden', message: 'no account' }).reason).toBe('Forbidden');
  });

  it('names the API object it is about, in no tool words', () => {
    const e = new SimError({ code: 'NOT_FOUND', ref: { kind: 'Pod', namespace: 'default', name: 'xwing' }, message: 'not found' });

    expect(e.ref).toEqual({ kind: 'Pod', namespace: 'default', name: 'xwing' });
    expect(e.object).toBe('Pod default/xwing');
    expect(e.message).toBe('Pod default/xwing: not found');
  });
});
