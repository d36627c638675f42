import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_LINE_BYTES, ShellSession } from '../../src/shell/session.ts';
import { fakeDispatch, newSession } from './fakeTools.ts';

describe('ShellSession variables and substitution', () => {
  it("keeps VAR=$(cmd) for later lines, as the lab's SERVER_POD line needs", () => {
    const sh = newSession();
    sh.run(`SERVER_POD=$(kubectl get pods -l app=echo-server -o jsonpath='{.items[0].metadata.name}')`);
    expect(sh.env['SERVER_POD']).toBe('echo-server-7d8b9c-x2k4p');
    expect(sh.run('args exec $SERVER_POD -- curl "${SERVER_POD}:8080"').stdout).toBe(
      '["exec","echo-server-7d8b9c-x2k4p","--","curl","echo-server-7d8b9c-x2k4p:8080"]\n',
    );
  });

  it('splits an unquoted expansion into words and keeps a quoted one whole', () => {
    const sh = newSession();
    sh.run('NAMES=$(kubectl get pods -o jsonpath="{.items[*].metadata.name}")');
    expect(sh.run('args $NAMES').stdout).toBe('["echo-server-7d8b9c-x2k4p","pod-worker-5b6c7d-q9w8e"]\n');
    expect(sh.run('args "$NAMES"').stdout).toBe('["echo-server-7d8b9c-x2k4p pod-worker-5b6c7d-q9w8e"]\n');
  });

  it('drops an unquoted empty expansion and uses ${VAR:-default}', () => {
    expect(newSession().run('args $UNSET "${UNSET:-fallback}"').stdout).toBe('["fallback"]\n');
  });

  it('runs backquotes and nested substitutions', () => {
    expect(newSession().run('echo `echo a` $(echo $(echo b))').stdout).toBe('a b\n');
  });

  it('does not expand inside single quotes', () => {
    const sh = newSession();
    sh.run('X=1');
    expect(sh.run(`echo '$X' "$X"`).stdout).toBe('$X 1\n');
  });

  it('passes assignments prefixed to a command in its env only', () => {
    const sh = newSession();
    expect(sh.run('MODE=strict env MODE').stdout).toBe('strict\n');
    expect(sh.env['MODE']).toBeUndefined();
  });

  it('export sets a variable, including from a substitution, without splitting it', () => {
    const sh = newSession();
    sh.run('export PODS=$(echo "a  b")');
    expect(sh.env['PODS']).toBe('a  b');
  });

  it('keeps assignments inside a substitution out of the session', () => {
    const sh = newSession();
    sh.run('echo $(LEAK=1; echo x)');
    expect(sh.env['LEAK']).toBeUndefined();
  });
});

describe('ShellSession sequencing', () => {
  it('runs && only after success and || only after failure', () => {
    expect(newSession().run('false && echo no || echo fallback; true && echo yes').stdout).toBe('fallback\nyes\n');
  });

  it('exposes the last status as $? and returns it as the exit code', () => {
    const sh = newSession();
    expect(sh.run('fail 2>/dev/null; echo $?').stdout).toBe('partial\n3\n');
    expect(sh.run('fail').exitCode).toBe(3);
  });

  it('gives a pipeline the status of its last stage, inverted by !', () => {
    expect(newSession().run('fail | cat').exitCode).toBe(0);
    expect(newSession().run('! true').exitCode).toBe(1);
  });

  it('feeds each stage the previous stdout and shows stderr of every stage', () => {
    const result = newSession().run('fail | stdin | grep part');
    expect(result.stdout).toBe('partial\n');
    expect(result.stderr).toBe('boom\n');
  });

  it('interleaves output command by command', () => {
    expect(newSession().run('fail; echo after').output).toBe('partial\nboom\nafter\n');
  });

  it('returns the dispatch status for unknown commands', () => {
    expect(newSession().run('nope').stderr).toBe('bash: nope: command not found\n');
  });
});

describe('ShellSession redirection', () => {
  it('discards with > /dev/null and 2>/dev/null', () => {
    expect(newSession().run('fail > /dev/null 2>/dev/null').output).toBe('');
  });

  it('merges stderr into the pipe with 2>&1', () => {
    expect(newSession().run('fail 2>&1 | grep -c .').stdout).toBe('2\n');
  });

  it('writes > FILE to the session store, appends with >>, and reads it back with cat', () => {
    const sh = newSession();
    sh.run('echo one > ./map.svg; echo two >> map.svg');
    expect(sh.files.get('map.svg')).toBe('one\ntwo\n');
    expect(sh.run('cat map.svg | wc -l').stdout).toBe('2\n');
  });

  it('sends both streams to a file with > FILE 2>&1', () => {
    const sh = newSession();
    sh.run('fail > out.log 2>&1');
    expect(sh.files.get('out.log')).toBe('partial\nboom\n');
  });

  it('reads stdin from < FILE, falling back to the caller reader', () => {
    expect(newSession().run('stdin < manifests/pod.yaml').stdout).toBe('kind: Pod\n');
    expect(newSession().run('stdin < missing.yaml').stderr).toBe('cilium-sim: missing.yaml: No such file or directory\n');
  });
});

describe('ShellSession errors and limits', () => {
  it('reports unsupported syntax with exit status 2 and runs nothing', () => {
    const sh = newSession();
    const result = sh.run('X=1; for i in a; do echo; done');
    expect(result).toEqual({
      stdout: '',
      stderr: 'cilium-sim: unsupported shell syntax: for loop\n',
      exitCode: 2,
      output: 'cilium-sim: unsupported shell syntax: for loop\n',
    });
    expect(sh.env['X']).toBeUndefined();
  });

  it('refuses a line over 1 MB', () => {
    const result = newSession().run(`echo ${'x'.repeat(MAX_LINE_BYTES)}`);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^cilium-sim: input line too long/);
  });

  it('turns an exception thrown by a command into a message, never a stack trace', () => {
    const sh = new ShellSession({
      dispatch: (argv) => {
        if (argv[0] === 'boom') throw new Error('kaput');
        return fakeDispatch(argv, { stdin: '', env: {} });
      },
    });
    expect(sh.run('boom')).toMatchObject({ stderr: 'cilium-sim: internal error while running boom: kaput\n', exitCode: 70 });
  });

  it('never throws, whatever the line', () => {
    const shellish = fc.stringMatching(/^[a-z $(){}'"`\\|&;<>#=*\n0-9-]{0,40}$/);
    fc.assert(
      fc.property(shellish, (line) => {
        const result = newSession().run(line);
        expect(Number.isInteger(result.exitCode)).toBe(true);
      }),
    );
  });

  it('stops at exit and records the status', () => {
    const sh = newSession();
    expect(sh.run('echo a; exit 4; echo b').stdout).toBe('a\n');
    expect(sh.exitRequested).toBe(4);
  });
});
