import { describe, expect, it } from 'vitest';
import { grep } from '../../../src/shell/filters/grep.ts';

// Lines of `kubectl logs` from the mutual-authentication lab's agent, trimmed.
const LOG = `${[
  'level=info msg="Policy is requiring authentication" key="localIdentity=1234"',
  'level=debug msg="Validating Server SNI" SNI ID=5678',
  'level=debug msg="Validated certificate" uri-san="[spiffe://spiffe.cilium/identity/5678]"',
  'level=info msg="Successfully authenticated" remote_node_ip=172.18.0.3',
  'level=info msg="Regenerating endpoint"',
].join('\n')}\n`;

const run = (...args: string[]) => grep(args, { stdin: LOG, env: {}, readFile: () => undefined });

describe('grep', () => {
  it('prints context lines with -A, -B and -C, separating groups that do not touch with --', () => {
    expect(run('-A1', 'Policy\\|Successfully').stdout).toBe(
      `${LOG.split('\n').slice(0, 2).join('\n')}\n--\n${LOG.split('\n').slice(3, 5).join('\n')}\n`,
    );
    expect(run('-n', '-C', '1', 'Validated').stdout).toBe(
      '2-level=debug msg="Validating Server SNI" SNI ID=5678\n3:level=debug msg="Validated certificate" uri-san="[spiffe://spiffe.cilium/identity/5678]"\n4-level=info msg="Successfully authenticated" remote_node_ip=172.18.0.3\n',
    );
    expect(run('-B', 'x', 'Policy').exitCode).toBe(2);
  });

  it('alternates with \\| in a basic regular expression, as the lab greps the agent logs', () => {
    expect(run('Policy is requiring\\|Validating\\|Validated\\|Successfully').stdout.split('\n').filter(Boolean)).toHaveLength(4);
  });

  it('matches | literally in a basic expression and alternates with it under -E', () => {
    expect(run('Validated|Successfully').exitCode).toBe(1);
    expect(run('-E', 'Validated|Successfully').stdout).toBe(`${LOG.split('\n')[2]}\n${LOG.split('\n')[3]}\n`);
  });

  it('ignores case with -i and inverts with -v', () => {
    expect(run('-i', 'REGENERATING').stdout).toBe('level=info msg="Regenerating endpoint"\n');
    expect(run('-v', 'level=debug').stdout.split('\n').filter(Boolean)).toHaveLength(3);
  });

  it('combines bundled flags and counts with -c', () => {
    expect(run('-ic', 'level=DEBUG').stdout).toBe('2\n');
  });

  it('prints only the matches with -o and whole words with -w', () => {
    expect(run('-o', 'spiffe://[^]"]*').stdout).toBe('spiffe://spiffe.cilium/identity/5678\n');
    expect(run('-w', 'SNI').stdout).toBe('level=debug msg="Validating Server SNI" SNI ID=5678\n');
    expect(run('-cw', 'Valid').stdout).toBe('0\n');
  });

  it('supports POSIX classes and interval expressions', () => {
    expect(run('-o', 'ID=[[:digit:]]\\{4\\}').stdout).toBe('ID=5678\n');
  });

  it('exits 1 with no output when nothing matches', () => {
    expect(run('nothing-here')).toEqual({ stdout: '', stderr: '', exitCode: 1 });
  });

  it('exits 2 with GNU grep messages on a bad pattern or missing pattern', () => {
    expect(run('\\(open')).toMatchObject({ stderr: 'grep: Unmatched ( or \\(\n', exitCode: 2 });
    expect(run('[abc')).toMatchObject({ stderr: 'grep: Unmatched [, [^, [:, [., or [=\n', exitCode: 2 });
    expect(run().exitCode).toBe(2);
  });

  it('treats ERE metacharacters literally with -F', () => {
    expect(run('-F', '[spiffe://').exitCode).toBe(0);
  });

  it("reads -E patterns with RE2's syntax and matches them in linear time", () => {
    expect(run('-E', '(?i)POLICY IS').stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(run('-Eo', '(?P<level>[[:alpha:]]+)=debug').stdout).toBe('level=debug\nlevel=debug\n');
    expect(run('-Ec', '\\p{Lu}[[:lower:]]+ authenticated').stdout).toBe('1\n');
    expect(run('-E', 'endpoint"\\z').stdout).toBe('level=info msg="Regenerating endpoint"\n');
    const long = grep(['-E', '(a+)+$'], { stdin: `${'a'.repeat(30_000)}!\n`, env: {}, readFile: () => undefined });
    expect(long.exitCode).toBe(1);
  });

  it('refuses what RE2 cannot match in linear time, with exit status 2', () => {
    expect(run('-E', '(x)\\1')).toMatchObject({ exitCode: 2, stderr: 'grep: invalid escape sequence: `\\1`\n' });
    expect(run('-P', 'a(?=b)').exitCode).toBe(2);
  });

  it('selects whole words with -w and prints them with -o', () => {
    expect(run('-ow', 'msg').stdout.split('\n').filter(Boolean)).toHaveLength(5);
    expect(run('-cw', 'Validat').stdout).toBe('0\n');
  });
});
