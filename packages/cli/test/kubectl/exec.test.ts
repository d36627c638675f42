import { describe, expect, it } from 'vitest';
import { formatExecResult } from '../../src/kubectl/exec.ts';

describe('formatExecResult', () => {
  it('passes a successful command through unchanged', () => {
    expect(formatExecResult({ stdout: 'Ship landed\n', stderr: '', exitCode: 0 })).toEqual({
      stdout: 'Ship landed\n',
      stderr: '',
      exitCode: 0,
    });
  });

  it("adds kubectl's line after the command's own stderr and exits with its status", () => {
    const inner = { stdout: '000', stderr: '', exitCode: 28 };
    expect(formatExecResult(inner)).toEqual({ stdout: '000', stderr: 'command terminated with exit code 28\n', exitCode: 28 });
    const refused = { stdout: '', stderr: 'nc: connect to 10.96.0.1 port 81 (tcp) failed: Connection refused\n', exitCode: 1 };
    expect(formatExecResult(refused).stderr).toBe(
      'nc: connect to 10.96.0.1 port 81 (tcp) failed: Connection refused\ncommand terminated with exit code 1\n',
    );
  });
});
