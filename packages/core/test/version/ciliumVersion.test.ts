import { describe, expect, it } from 'vitest';
import { isSimError } from '../../src/errors.ts';
import { behaviourIn, CILIUM_MINORS, parseCiliumVersion, type VERSIONED_BEHAVIOURS } from '../../src/version/ciliumVersion.ts';

describe('Cilium versions', () => {
  it('reads a minor as its modelled release and keeps a given patch', () => {
    expect(parseCiliumVersion('1.16')).toEqual({ minor: '1.16', release: '1.16.0' });
    expect(parseCiliumVersion('v1.18.7')).toEqual({ minor: '1.18', release: '1.18.7' });
  });

  it('refuses a version outside 1.14 to 1.20 with the supported list', () => {
    const err = (() => {
      try {
        parseCiliumVersion('1.13.4');
      } catch (e) {
        return e;
      }
    })();

    expect(isSimError(err) && err.message).toContain(
      'unsupported Cilium version "1.13.4"; supported: 1.14, 1.15, 1.16, 1.17, 1.18, 1.19, 1.20',
    );
  });

  it('puts a behaviour in force from its first version until the one that ends it', () => {
    const inForce = (name: keyof typeof VERSIONED_BEHAVIOURS) => CILIUM_MINORS.filter((m) => behaviourIn(parseCiliumVersion(m), name));

    expect(inForce('kafka-deprecated')).toEqual(['1.19']);
    expect(inForce('requires-removed')).toEqual(['1.19', '1.20']);
    expect(inForce('enable-default-deny-field')).toEqual(['1.16', '1.17', '1.18', '1.19', '1.20']);
  });
});
