import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatConfigDelete, formatConfigSet, formatConfigView } from '../../../src/cilium/printers/config.ts';

describe('formatConfigView (cilium config view)', () => {
  it('sorts keys and aligns values four spaces after the longest key', () => {
    expect(formatConfigView({ 'mesh-auth-mutual-listener-port': '4250', 'mesh-auth-enabled': 'true', debug: 'false' })).toBe(
      [
        'debug                             false',
        'mesh-auth-enabled                 true',
        'mesh-auth-mutual-listener-port    4250',
        '',
      ].join('\n'),
    );
  });

  it('starts every value at the same column', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.stringMatching(/^[a-z][a-z-]{0,30}$/), fc.stringMatching(/^[a-z0-9]{1,10}$/), { minKeys: 1 }),
        (data) => {
          const lines = formatConfigView(data).trimEnd().split('\n');
          const longest = Math.max(...Object.keys(data).map((k) => k.length));
          for (const line of lines) expect(line[longest + 4]).not.toBe(' ');
          for (const line of lines) expect(line.slice(longest, longest + 4)).toBe('    ');
        },
      ),
    );
  });
});

describe('formatConfigSet / formatConfigDelete', () => {
  it('prints what cilium-cli prints, with or without the restart', () => {
    expect(formatConfigSet('debug', 'true', true)).toBe(
      '✨ Patching ConfigMap cilium-config with debug=true...\n♻️  Restarted Cilium pods\n',
    );
    expect(formatConfigSet('debug', 'true', false)).toBe(
      '✨ Patching ConfigMap cilium-config with debug=true...\n⚠️  Restart Cilium pods for configmap changes to take effect\n',
    );
    expect(formatConfigDelete('debug', true)).toBe('✨ Removing key debug from ConfigMap cilium-config...\n♻️  Restarted Cilium pods\n');
  });
});
