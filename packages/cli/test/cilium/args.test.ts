import { describe, expect, it } from 'vitest';
import { parseCilium } from '../../src/cilium/args.ts';
import { UsageError } from '../../src/tools/usageError.ts';

function refused(argv: string[]): UsageError {
  try {
    parseCilium('cilium', argv);
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error('expected a UsageError');
}

describe('parseCilium', () => {
  it('reads the agent and host commands', () => {
    expect(parseCilium('cilium-dbg', ['endpoint', 'list'])).toEqual({
      command: 'endpoint-list',
      binary: 'cilium-dbg',
      json: false,
      noHeaders: false,
    });
    expect(parseCilium('cilium', ['identity', 'list', '--endpoints'])).toMatchObject({ command: 'identity-list', endpoints: true });
    expect(parseCilium('cilium', ['config', 'set', 'debug', 'true'])).toMatchObject({
      command: 'config-set',
      key: 'debug',
      value: 'true',
      restart: true,
    });
    expect(parseCilium('cilium', ['config', 'set', 'debug', 'true', '--restart=false'])).toMatchObject({ restart: false });
    expect(parseCilium('cilium', ['status', '--wait'])).toMatchObject({ command: 'status', wait: true });
  });

  it('reads policy trace endpoints, identities and ports', () => {
    const r = parseCilium('cilium-dbg', [
      'policy',
      'trace',
      '--src-k8s-pod',
      'default:xwing',
      '--dst-k8s-pod',
      'default:deathstar-1',
      '--dport',
      '80/TCP',
      '-v',
    ]);
    expect(r).toMatchObject({
      command: 'policy-trace',
      srcPod: { namespace: 'default', name: 'xwing' },
      dstPod: { namespace: 'default', name: 'deathstar-1' },
      dports: [{ port: 80, protocol: 'TCP' }],
      verbose: true,
    });
    expect(parseCilium('cilium', ['policy', 'trace', '--src-identity', '16530', '--dst-identity', '2', '--dport', '53/udp'])).toMatchObject(
      { srcIdentity: 16530, dstIdentity: 2, dports: [{ port: 53, protocol: 'UDP' }] },
    );
  });

  it("refuses unknown commands, flags and bad ports with cobra's wording", () => {
    expect(refused(['frob']).stderr).toBe('Error: unknown command "frob" for "cilium"\nRun \'cilium --help\' for usage.\n');
    expect(refused(['endpoint', 'list', '--bogus'])).toMatchObject({ code: 'INVALID_FLAG', path: '--bogus' });
    expect(refused(['config', 'set', 'debug']).stderr).toBe('Error: accepts 2 arg(s), received 1\n');
    expect(refused(['policy', 'trace', '--dport', '99999']).code).toBe('INVALID_COMMAND');
  });
});
