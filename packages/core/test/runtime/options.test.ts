import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../src/runtime/options.ts';
import { isSimError } from '../../src/errors.ts';

function issueOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (isSimError(e)) return `${e.code} ${e.issues[0]?.path}`;
    throw e;
  }
  return 'no error';
}

describe('resolveOptions: SPIRE and extensions', () => {
  it('runs SPIRE exactly when mutual auth is on, with operator entries, unless told otherwise', () => {
    expect(resolveOptions({}).spire).toEqual({ enabled: true, operatorEntries: true });
    expect(resolveOptions({ mutualAuth: false }).spire).toEqual({ enabled: false, operatorEntries: true });
    expect(resolveOptions({ mutualAuth: false, spire: { enabled: true, operatorEntries: false } }).spire).toEqual({
      enabled: true,
      operatorEntries: false,
    });
  });

  it('refuses mutual auth without SPIRE and unknown extensions, naming the option', () => {
    expect(issueOf(() => resolveOptions({ spire: { enabled: false } }))).toBe('INVALID_FLAG spire.enabled');
    expect(issueOf(() => resolveOptions({ extensions: ['spiffeTlsUpgrade', 'quantumTls' as never] }))).toBe('INVALID_FLAG extensions[1]');
  });

  it('lists extensions once, sorted', () => {
    expect(resolveOptions({ extensions: ['spiffeTlsUpgrade', 'spiffeTlsUpgrade'] }).extensions).toEqual(['spiffeTlsUpgrade']);
    expect(resolveOptions({}).extensions).toEqual([]);
  });
});
