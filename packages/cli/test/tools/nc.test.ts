import { describe, expect, it } from 'vitest';
import { formatNc, parseNc } from '../../src/tools/nc.ts';

describe('nc (netcat-openbsd)', () => {
  it('parses -zv, -u and -w', () => {
    expect(parseNc(['-zv', '-w', '2', 'deathstar', '80'])).toEqual({
      host: 'deathstar',
      port: 80,
      udp: false,
      verbose: true,
      zero: true,
      timeoutMs: 2000,
    });
    expect(parseNc(['-zuv', '-w1', 'kube-dns.kube-system', '53'])).toMatchObject({ udp: true, timeoutMs: 1000 });
  });

  it('reports success with the service name and exit 0', () => {
    expect(formatNc(parseNc(['-zv', 'deathstar', '80']), { kind: 'succeeded', ip: '10.96.141.40' })).toEqual({
      stdout: '',
      stderr: 'Connection to deathstar (10.96.141.40) 80 port [tcp/http] succeeded!\n',
      exitCode: 0,
    });
    expect(formatNc(parseNc(['-zv', '10.0.0.1', '9999']), { kind: 'succeeded', ip: '10.0.0.1' }).stderr).toBe(
      'Connection to 10.0.0.1 9999 port [tcp/*] succeeded!\n',
    );
  });

  it('reports refusal and timeout with exit 1, silently without -v', () => {
    expect(formatNc(parseNc(['-zv', 'deathstar', '81']), { kind: 'refused', ip: '10.96.141.40' }).stderr).toBe(
      'nc: connect to deathstar (10.96.141.40) port 81 (tcp) failed: Connection refused\n',
    );
    expect(formatNc(parseNc(['-zv', '-w', '2', 'deathstar', '80']), { kind: 'timeout', ip: '10.96.141.40' }).stderr).toBe(
      'nc: connect to deathstar (10.96.141.40) port 80 (tcp) timed out: Operation now in progress\n',
    );
    expect(formatNc(parseNc(['-z', 'deathstar', '80']), { kind: 'timeout', ip: '10.96.141.40' })).toEqual({
      stdout: '',
      stderr: '',
      exitCode: 1,
    });
  });
});
